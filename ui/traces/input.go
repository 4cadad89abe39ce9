package traces

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if m.mode != modeForm && m.mode != modeFilter {
		m.flash = ""
	}
	switch m.mode {
	case modeForm:
		return m.formKey(msg)
	case modeFilter:
		return m.filterKey(msg)
	case modeDetail:
		return m.detailKey(msg)
	case modeTrace:
		return m.traceKey(msg)
	case modeDiff:
		return m.diffKey(msg)
	}
	return m.resultsKey(msg)
}

// openForm shows the form and asks Jaeger for the names it suggests.
func (m *Model) openForm() tea.Cmd {
	m.mode = modeForm
	m.formErr = ""
	m.form.focusField(m.form.focus)
	m.refreshMatches()
	return tea.Batch(m.fetchServices(), m.fetchOps())
}

func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	if m.suggestKey(msg) {
		return m.fetchOps()
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.form.blur()
		m.mode = modeResults
		return nil
	case key.Matches(msg, k.Run):
		m.take() // what is highlighted is what the user means
		q, err := m.form.query()
		if err != nil {
			m.formErr = err.Error()
			return nil
		}
		m.form.blur()
		m.formErr = ""
		m.mode = modeResults
		return m.runSearch(q)
	case key.Matches(msg, k.NextField):
		m.form.focusField(m.form.focus + 1)
		m.refreshMatches()
		return m.fetchOps()
	case key.Matches(msg, k.PrevField):
		m.form.focusField(m.form.focus - 1)
		m.refreshMatches()
		return m.fetchOps()
	}
	var cmd tea.Cmd
	m.form.inputs[m.form.focus], cmd = m.form.inputs[m.form.focus].Update(msg)
	m.refreshMatches()
	return tea.Batch(cmd, m.fetchOps())
}

// filterKey drives the span filter's input: enter applies it and steps
// to the first match, esc leaves the filter as it was.
func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	ev, cmd := m.spanFilter.Update(msg)
	if ev == pane.FilterTyping {
		return cmd
	}
	m.mode = modeTrace
	if ev == pane.FilterApplied {
		m.setFilter(m.spanFilter.Value())
		m.step(1, true)
	}
	return cmd
}

func (m *Model) resultsKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if k.Navigate(msg, &m.rsel, &m.rtop, len(m.rows), m.tableHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Edit):
		return m.openForm()
	case key.Matches(msg, k.Sort):
		m.sortBy = (m.sortBy + 1) % numSortKeys
		m.sortAsc = false
		m.sortRows()
		m.rsel, m.rtop = 0, 0
	case key.Matches(msg, k.Reverse):
		m.reverseSort()
	case key.Matches(msg, k.Open):
		if m.rsel < len(m.rows) {
			return m.openTrace(m.rows[m.rsel].TraceID)
		}
	case key.Matches(msg, k.CopyTrace):
		if m.rsel < len(m.rows) {
			return m.copy("trace id", m.rows[m.rsel].TraceID)
		}
	case key.Matches(msg, k.Link):
		return m.searchLink()
	case key.Matches(msg, k.Back):
		switch {
		case m.search.Busy():
			m.search.Stop()
			m.flash = "search cancelled"
		case m.trace.Busy():
			m.trace.Stop()
			m.flash = "fetch cancelled"
		case m.tr != nil:
			m.mode = modeTrace // esc from the table returns to the last trace
		}
	}
	m.clampResults()
	return nil
}

func (m *Model) traceKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	cur := m.selSpan()
	fold := m.selFold() // a fold row has no span: cur is -1 there
	switch {
	case key.Matches(msg, k.Back):
		switch {
		case m.dv.req.Busy():
			m.dv.req.Stop()
			m.flash = "diff cancelled"
		case m.filter != "":
			m.setFilter("")
			m.spanFilter.Clear()
		case m.trace.Busy():
			m.trace.Stop()
			m.flash = "fetch cancelled"
		default:
			m.mode = modeResults
		}
		return nil
	case key.Matches(msg, k.Edit):
		return m.openForm()
	case key.Matches(msg, k.CopyTrace):
		if m.tr != nil {
			return m.copy("trace id", m.tr.traceID)
		}
		return nil
	case key.Matches(msg, k.Link):
		return m.traceLink()
	}
	if m.tr == nil {
		return nil
	}
	if k.Navigate(msg, &m.sel, &m.top, len(m.visible), m.listHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.FoldTiny):
		m.toggleTiny()
	case fold != nil && (key.Matches(msg, k.Expand) || key.Matches(msg, k.Toggle) || key.Matches(msg, k.Detail)):
		m.openFold(fold)
	case fold != nil && key.Matches(msg, k.Collapse):
		m.selectSpan(fold.parent)
	case key.Matches(msg, k.Collapse):
		if cur >= 0 {
			if len(m.tr.nodes[cur].children) > 0 && !m.collapsed[cur] {
				m.collapsed[cur] = true
				m.refold()
			} else if p := m.tr.nodes[cur].parent; p >= 0 {
				m.selectSpan(p)
			}
		}
	case key.Matches(msg, k.Expand):
		if cur >= 0 {
			if m.collapsed[cur] {
				delete(m.collapsed, cur)
				m.refold()
			} else if len(m.tr.nodes[cur].children) > 0 {
				m.sel++
			}
		}
	case key.Matches(msg, k.Toggle):
		if cur >= 0 && len(m.tr.nodes[cur].children) > 0 {
			m.collapsed[cur] = !m.collapsed[cur]
			if !m.collapsed[cur] {
				delete(m.collapsed, cur)
			}
			m.refold()
		}
	case key.Matches(msg, k.CollapseAll):
		// Fold everything below the roots, so the top level shows.
		for i := range m.tr.nodes {
			if m.tr.nodes[i].parent >= 0 && len(m.tr.nodes[i].children) > 0 {
				m.collapsed[int32(i)] = true
			}
		}
		m.refold()
	case key.Matches(msg, k.ExpandAll):
		clear(m.collapsed)
		m.refold()
	case key.Matches(msg, k.Detail):
		if cur >= 0 {
			m.mode, m.detailSpan = modeDetail, cur
			m.refreshDetail()
			m.detail.GotoTop()
		}
	case key.Matches(msg, k.Filter):
		m.mode = modeFilter
		return m.spanFilter.Open()
	case key.Matches(msg, k.Next):
		m.step(1, false)
	case key.Matches(msg, k.Prev):
		m.step(-1, false)
	case key.Matches(msg, k.CopySpan):
		if cur >= 0 {
			return m.copy("span id", m.tr.nodes[cur].span.SpanID)
		}
	case key.Matches(msg, k.Logs):
		return m.logsPivot(cur)
	case key.Matches(msg, k.Diff):
		return m.startDiff()
	}
	m.clampTrace()
	return nil
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeTrace
		return nil
	case key.Matches(msg, k.CopyTrace):
		return m.copy("trace id", m.tr.traceID)
	case key.Matches(msg, k.CopySpan):
		return m.copy("span id", m.tr.nodes[m.detailSpan].span.SpanID)
	case key.Matches(msg, k.Link):
		return m.traceLink()
	case key.Matches(msg, k.Logs):
		return m.logsPivot(m.detailSpan)
	}
	k.Scroll(msg, &m.detail)
	return nil
}

// refreshDetail renders the span detail into the viewport: on open and
// resize, not per frame.
func (m *Model) refreshDetail() {
	if m.tr == nil || int(m.detailSpan) >= len(m.tr.nodes) {
		m.mode = modeTrace
		return
	}
	m.detail.SetContent(detailContent(&m.st, m.tr, m.detailSpan, m.b.Location, m.width))
}

// copy hands text to the root as an OSC 52 sequence; building the string
// is not I/O, the root writes it.
func (m *Model) copy(what, text string) tea.Cmd {
	text, cmd := pane.CopyCmd(text)
	if cmd != nil {
		m.flash = fmt.Sprintf("copied %s %s (OSC 52; your terminal must allow clipboard writes)", what, text)
	}
	return cmd
}
