package logs

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// onKey sends a key to the part of the pane that has focus. Each mode has
// its own small handler, so Update stays readable.
func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	m.flash = ""
	switch m.mode {
	case modeEdit:
		return m.editKey(msg)
	case modeFilter, modeJump:
		return m.inputKey(msg)
	case modeDetail:
		return m.detailKey(msg)
	}
	return m.listKey(msg)
}

func (m *Model) editKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Run):
		m.mode = modeList
		m.editor.Blur()
		m.chartBack = nil // a query of the user's own: esc no longer returns to a chart
		return m.runQuery(m.editor.Value())
	case key.Matches(msg, k.Back):
		m.mode = modeList
		m.editor.Blur()
		return nil
	case key.Matches(msg, k.HistPrev):
		m.histMove(-1)
		return nil
	case key.Matches(msg, k.HistNext):
		m.histMove(1)
		return nil
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.Update(msg)
	return cmd
}

// inputKey drives the one-line filter and jump-to-time inputs.
func (m *Model) inputKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Run):
		v := m.input.Value()
		m.input.Blur()
		was := m.mode
		m.mode = modeList
		if was == modeFilter {
			return m.setFilter(v)
		} else {
			m.jumpTo(v)
		}
		return nil
	case key.Matches(msg, k.Back):
		m.input.Blur()
		m.mode = modeList
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

func (m *Model) openInput(md mode, prompt, value, placeholder string) tea.Cmd {
	m.mode = md
	m.input.Prompt = prompt
	m.input.Placeholder = placeholder
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.input.Width = max(1, m.width-len(prompt)-1)
	return m.input.Focus()
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	if m.plot != nil {
		return m.chartKey(msg)
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		if m.atOldest() {
			return m.loadOlder()
		}
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		if m.atOldest() {
			return m.loadOlder()
		}
		m.move(-max(1, m.listHeight()-1))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.listHeight()-1))
	case key.Matches(msg, k.Top):
		m.move(-m.viewLen())
	case key.Matches(msg, k.Bottom):
		m.move(m.viewLen())
	case key.Matches(msg, k.Edit):
		return m.edit()
	case key.Matches(msg, k.Filter):
		text := ""
		if m.flt != nil {
			text = m.flt.text
		}
		return m.openInput(modeFilter, "/", text, "text to find (case-insensitive); empty clears")
	case key.Matches(msg, k.Request):
		return m.pivotFromLine(pane.TargetRequest)
	case key.Matches(msg, k.Trace):
		return m.pivotFromLine(pane.TargetTraces)
	case key.Matches(msg, k.Link):
		return m.copyLink()
	case key.Matches(msg, k.Jump):
		return m.openInput(modeJump, "jump to› ", "", "10:04, 10:04:05, 2026-11-22T10:04:05Z, 15m ago")
	case key.Matches(msg, k.Next):
		m.jumpMatch(1)
	case key.Matches(msg, k.Prev):
		m.jumpMatch(-1)
	case key.Matches(msg, k.Context):
		m.toggleContext()
	case key.Matches(msg, k.Detail):
		m.openDetail()
	case key.Matches(msg, k.Expand):
		if abs, ok := m.selected(); ok {
			m.expanded[abs] = !m.expanded[abs]
			if !m.expanded[abs] {
				delete(m.expanded, abs)
			}
			m.clampScroll()
		}
	case key.Matches(msg, k.Copy):
		return m.copySelected()
	case key.Matches(msg, k.Tail):
		if m.tail.Busy() {
			m.stopTail()
			m.flash = "live tail stopped; the lines it brought stay"
			return nil
		}
		return m.startTail()
	case key.Matches(msg, k.Labels):
		m.showLabels = !m.showLabels
		m.clampScroll()
	case key.Matches(msg, k.Wrap):
		m.wrap = !m.wrap
		m.clampScroll()
	case key.Matches(msg, k.Back):
		return m.back()
	}
	return nil
}

// edit gives the query editor the keyboard.
func (m *Model) edit() tea.Cmd {
	m.mode = modeEdit
	m.editor.CursorEnd()
	return m.editor.Focus()
}

// back undoes the most recent thing that can be undone: a running query,
// then the filter.
func (m *Model) back() tea.Cmd {
	switch {
	case m.query.Busy():
		m.cancelQuery()
		m.flash = "query cancelled; the previous results stay"
	case m.older.Busy():
		m.older.Stop()
		m.flash = "stopped loading older lines"
	case m.flt != nil:
		return m.setFilter("")
	case m.chartBack != nil:
		m.backToChart()
	}
	return nil
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Detail):
		m.mode = modeList
	case key.Matches(msg, k.Copy):
		return m.copySelected()
	case key.Matches(msg, k.Request):
		return m.pivotFromLine(pane.TargetRequest)
	case key.Matches(msg, k.Trace):
		return m.pivotFromLine(pane.TargetTraces)
	case key.Matches(msg, k.Up):
		m.detail.ScrollUp(1)
	case key.Matches(msg, k.Down):
		m.detail.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		m.detail.PageUp()
	case key.Matches(msg, k.PageDown):
		m.detail.PageDown()
	case key.Matches(msg, k.Top):
		m.detail.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.detail.GotoBottom()
	}
	return nil
}

func (m *Model) openDetail() {
	abs, ok := m.selected()
	if !ok {
		return
	}
	m.mode, m.detailAbs = modeDetail, abs
	m.refreshDetail()
	m.detail.GotoTop()
}

// refreshDetail renders the selected row into the viewport; done on open
// and resize, not per frame.
func (m *Model) refreshDetail() {
	if m.detailAbs < m.buf.first() || m.detailAbs >= m.buf.end() {
		m.mode = modeList // the row was evicted
		return
	}
	m.detail.SetContent(detailContent(&m.st, m.buf.at(m.detailAbs), m.loc, m.width, m.metaTitle()))
}

// copySelected hands the selected line to the root as an OSC 52 sequence.
// Building the string is not I/O; the root writes it.
func (m *Model) copySelected() tea.Cmd {
	abs, ok := m.meant()
	if !ok {
		m.flash = "nothing to copy"
		return nil
	}
	text, cmd := pane.CopyTextCmd(m.buf.at(abs).e.Line)
	if cmd == nil {
		m.flash = "nothing to copy"
		return nil
	}
	m.flash = fmt.Sprintf("copied %s bytes (OSC 52; your terminal must allow clipboard writes)", commas(len(text)))
	return cmd
}
