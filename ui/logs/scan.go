package logs

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// filterChunk is how many rows one Update tests for a new filter. At
// about 90 ns a row (BenchmarkFilterScan) that is some 1.5 ms, well inside
// one frame at bubbletea's 60 fps; a million rows take 62 chunks, each
// followed by a frame that shows the progress, so no key waits behind
// the scan (BenchmarkFilterUpdate measures the longest Update).
const filterChunk = 16 << 10

// filterStepMsg asks the pane to scan the next chunk of its filter.
type filterStepMsg struct {
	pane string
	gen  int
}

// PaneID implements pane.Routed.
func (m filterStepMsg) PaneID() string { return m.pane }

// filterStepCmd hands control back to the event loop between chunks, so
// that keys and frames are handled while a long scan goes on.
func filterStepCmd(pane string, gen int) tea.Cmd {
	return func() tea.Msg { return filterStepMsg{pane: pane, gen: gen} }
}

// step tests up to n rows from f.next and reports whether any remain.
func (f *filter) step(b *buffer, n int) bool {
	f.next = max(f.next, b.first())
	end := min(b.end(), f.next+int64(n))
	f.scan(b, f.next, end)
	f.next = end
	return f.next < b.end()
}

// scanning reports whether the filter has rows left to test.
func (m *Model) scanning() bool { return m.flt != nil && m.flt.next < m.buf.end() }

// scanProgress is the share of the buffer the filter has tested, 0..1.
func (m *Model) scanProgress() float64 {
	if m.flt == nil || m.buf.Len() == 0 {
		return 1
	}
	return float64(m.flt.next-m.buf.first()) / float64(m.buf.Len())
}

// setFilter applies text as the filter; empty text clears it. The first
// chunk is scanned at once (a small buffer needs no more); the rest one
// chunk per message, keeping the selected row selected as matches come in.
func (m *Model) setFilter(text string) tea.Cmd {
	if text == "" {
		m.reView(func() { m.flt = nil })
		m.fltGen++
		m.fltChain = false
		return nil
	}
	m.anchorOn(m.selected())
	m.flt = newFilter(text)
	m.flt.next = m.buf.first()
	m.fltGen++
	m.fltChain = false
	return m.filterStep()
}

// restartFilter rescans the whole buffer after its contents were
// replaced, with the selection on the newest row.
func (m *Model) restartFilter() tea.Cmd {
	if m.flt == nil {
		return nil
	}
	m.flt.matches, m.flt.ctxView = m.flt.matches[:0], m.flt.ctxView[:0]
	m.flt.next = m.buf.first()
	m.anchorOn(m.buf.end()-1, m.buf.Len() > 0)
	return m.filterStep()
}

// filterStep scans one chunk, places the selection, and schedules the
// next chunk unless one is already on its way.
func (m *Model) filterStep() tea.Cmd {
	f := m.flt
	more := f.step(m.buf, filterChunk)
	m.rebuildContext()
	m.placeAnchor()
	if more {
		if m.fltChain {
			return nil
		}
		m.fltChain = true
		return tea.Batch(filterStepCmd(m.id, m.fltGen), m.spin.Start())
	}
	m.anchored = false
	if len(f.matches) == 0 {
		m.flash = fmt.Sprintf("no buffered line contains %q", f.text)
	}
	return nil
}

// onFilterStep continues the scan of the current filter.
func (m *Model) onFilterStep(msg filterStepMsg) tea.Cmd {
	if msg.gen != m.fltGen || m.flt == nil {
		return nil
	}
	m.fltChain = false
	if !m.scanning() {
		return nil
	}
	return m.filterStep()
}

// anchorOn remembers the row to keep selected while a scan adds matches
// around it, as long as the user does not move.
func (m *Model) anchorOn(abs int64, ok bool) {
	m.anchorAbs, m.anchored = abs, ok
	m.anchorSel, m.anchorTop = m.sel, m.top
}

// placeAnchor selects the anchor row (or the nearest match after it)
// unless the user moved since it was last placed.
func (m *Model) placeAnchor() {
	if !m.anchored || m.sel != m.anchorSel || m.top != m.anchorTop {
		m.anchored = false
		m.clampScroll()
		return
	}
	m.sel = m.posOf(m.anchorAbs)
	m.top = m.sel // clampScroll pulls it back to fill the screen
	m.clampScroll()
	m.anchorSel, m.anchorTop = m.sel, m.top
}
