package metrics

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	m.flash = ""
	if m.input != inputNone {
		return m.onInputKey(msg)
	}
	k := m.keys
	// Each pair of keys steps one thing forward and back.
	for _, s := range []struct {
		fwd, back key.Binding
		step      func(d int)
	}{
		{k.Down, k.Up, m.moveFocus}, {k.Right, k.Left, m.moveCursor},
		{k.NextExemplar, k.PrevExemplar, m.stepExemplar}, {k.NextChange, k.PrevChange, m.stepChange},
	} {
		switch {
		case key.Matches(msg, s.fwd):
			s.step(1)
			return nil
		case key.Matches(msg, s.back):
			s.step(-1)
			return nil
		}
	}
	switch {
	case key.Matches(msg, k.Edit):
		m.mode, m.input = modeQuery, inputEditor
		m.editor.Focus()
		m.editor.CursorEnd()
	case key.Matches(msg, k.Service):
		m.input, m.pick = inputPicker, 0
		m.filter.SetValue("")
		m.filter.Focus()
		for i, s := range m.services {
			if s == m.service {
				m.pick = i
			}
		}
		return m.loadServices()
	case key.Matches(msg, k.Mode):
		return m.toggleMode()
	case key.Matches(msg, k.Top):
		if p, ok := m.cursorPanel(); ok {
			m.cursor, m.exSel = p.from, -1
		}
	case key.Matches(msg, k.Bottom):
		if p, ok := m.cursorPanel(); ok {
			m.cursor, m.exSel = p.to, -1
		}
	case key.Matches(msg, k.OpenTrace):
		return m.openTrace()
	case key.Matches(msg, k.Logs):
		return m.openLogs()
	case key.Matches(msg, k.Copy):
		return m.copyQuery()
	case key.Matches(msg, k.Link):
		return m.copyLink()
	case key.Matches(msg, k.Back):
		if m.exSel >= 0 {
			m.exSel = -1
		} else {
			m.cursor = time.Time{}
		}
	}
	return nil
}

// onInputKey handles a key while the editor or the picker has the
// keyboard: esc closes it, enter runs the query or picks the service.
func (m *Model) onInputKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	in := m.input
	switch {
	case key.Matches(msg, k.Back):
		m.closeInput()
		return nil
	case key.Matches(msg, k.Run):
		m.closeInput()
		if in == inputEditor {
			m.cursor = time.Time{}
			return m.runQuery(m.editor.Value())
		}
		return m.pickService()
	}
	var cmd tea.Cmd
	if in == inputEditor {
		switch {
		case key.Matches(msg, k.HistPrev):
			m.histMove(-1)
		case key.Matches(msg, k.HistNext):
			m.histMove(1)
		default:
			m.editor, cmd = m.editor.Update(msg)
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.PickUp):
		m.pick = max(0, m.pick-1)
	case key.Matches(msg, k.PickDown):
		m.pick = max(0, min(len(m.filtered())-1, m.pick+1))
	default:
		before := m.filter.Value()
		m.filter, cmd = m.filter.Update(msg)
		if m.filter.Value() != before {
			m.pick = 0
		}
	}
	return cmd
}

// pickService shows the signals of the service highlighted in the
// picker, if there is one.
func (m *Model) pickService() tea.Cmd {
	list := m.filtered()
	if m.pick >= len(list) {
		return nil
	}
	m.mode = modeSignals
	m.cursor = time.Time{}
	return m.selectService(list[m.pick])
}

// closeInput gives the keyboard back from the editor or the picker.
func (m *Model) closeInput() {
	m.input = inputNone
	m.editor.Blur()
	m.filter.Blur()
}

// filtered are the services whose name contains the picker's text.
func (m *Model) filtered() []string {
	f := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	if f == "" {
		return m.services
	}
	var out []string
	for _, s := range m.services {
		if strings.Contains(strings.ToLower(s), f) {
			out = append(out, s)
		}
	}
	return out
}

func (m *Model) toggleMode() tea.Cmd {
	m.cursor, m.exSel = time.Time{}, -1
	if m.mode == modeSignals {
		m.mode = modeQuery
		if m.result == nil && m.qExpr == "" {
			m.input = inputEditor
			m.editor.Focus()
		}
		return nil
	}
	m.mode = modeSignals
	if m.panels == nil {
		return m.refresh()
	}
	return nil
}

func (m *Model) moveFocus(d int) {
	if m.mode != modeSignals {
		return
	}
	n := len(signalSpecs())
	m.focus = (m.focus + d + n) % n
}

// cursorPanel is the chart the cursor walks: the focused one.
func (m *Model) cursorPanel() (panel, bool) {
	ps := m.shownPanels()
	if len(ps) == 0 {
		return panel{}, false
	}
	if m.mode == modeSignals {
		return ps[min(m.focus, len(ps)-1)], true
	}
	return ps[0], true
}

// moveCursor moves the cursor by d steps; the first move puts it on the
// last step of the window.
func (m *Model) moveCursor(d int) {
	p, ok := m.cursorPanel()
	if !ok || p.step <= 0 {
		m.flash = "nothing to read yet"
		return
	}
	m.exSel = -1
	if m.cursor.IsZero() {
		m.cursor = lastStep(p)
		return
	}
	c := m.cursor.Add(time.Duration(d) * p.step)
	if c.Before(p.from) {
		c = p.from
	}
	if c.After(p.to) {
		c = p.to
	}
	m.cursor = c
}

// lastStep is the time of the panel's newest point, else its end.
func lastStep(p panel) time.Time {
	var t time.Time
	for _, s := range p.series {
		if n := len(s.Points); n > 0 && s.Points[n-1].T.After(t) {
			t = s.Points[n-1].T
		}
	}
	if t.IsZero() {
		return p.to
	}
	return t
}

// stepExemplar selects the next (d=1) or previous exemplar in time. The
// first press picks the slowest, or the first after the cursor if there
// is one. The cursor follows the selection.
func (m *Model) stepExemplar(d int) {
	if m.mode != modeSignals {
		m.flash = "exemplars are on the latency chart of the signals view (m)"
		return
	}
	if len(m.exemplars) == 0 {
		m.flash = "no exemplars with a trace id in this range"
		if m.exErr != nil {
			kind, msg := pane.ErrText(m.exErr)
			m.flash = "exemplars: " + kind + ": " + msg
		}
		return
	}
	switch {
	case m.exSel >= 0:
		m.exSel = (m.exSel + d + len(m.exemplars)) % len(m.exemplars)
	case !m.cursor.IsZero():
		i := sort.Search(len(m.exemplars), func(i int) bool { return !m.exemplars[i].t.Before(m.cursor) })
		if d < 0 {
			i--
		}
		m.exSel = (i + len(m.exemplars)) % len(m.exemplars)
	default:
		best := 0
		for i, e := range m.exemplars {
			if e.v > m.exemplars[best].v {
				best = i
			}
		}
		m.exSel = best
	}
	m.focus = 0
	m.cursor = m.exemplars[m.exSel].t
}

// openTrace asks the root to open the selected exemplar's trace.
func (m *Model) openTrace() tea.Cmd {
	e, ok := m.selectedExemplar()
	if !ok {
		if m.mode == modeQuery {
			m.input = inputEditor
			m.editor.Focus()
			return nil
		}
		m.flash = "select an exemplar first (x), then enter opens its trace"
		return nil
	}
	msg := pane.PivotMsg{Target: pane.TargetTraces, TraceID: e.traceID, Service: m.service,
		From: e.t.Add(-pivotPad), To: e.t.Add(pivotPad)}
	return func() tea.Msg { return msg }
}

// openLogs asks the root to show the service's logs around the cursor.
func (m *Model) openLogs() tea.Cmd {
	svc := m.service
	if m.mode == modeQuery {
		svc = m.queryService()
	}
	if svc == "" {
		m.flash = "no service to open logs for; pick one with s"
		return nil
	}
	at := m.moment()
	if e, ok := m.changeAtCursor(); ok {
		// On a change: the changed service's logs around it.
		at = e.T
		if e.Service != "" {
			svc = e.Service
		}
	}
	msg := pane.PivotMsg{Target: pane.TargetLogs, Service: svc, ServiceLabel: m.logLabel,
		From: at.Add(-pivotPad), To: at.Add(pivotPad)}
	return func() tea.Msg { return msg }
}

// queryService is the service label shared by every series of the free
// query's result, if there is one.
func (m *Model) queryService() string {
	if m.result == nil || len(m.result.labels) == 0 {
		return ""
	}
	svc := m.result.labels[0][m.label]
	for _, l := range m.result.labels[1:] {
		if l[m.label] != svc {
			return ""
		}
	}
	return svc
}

// copyLink copies (OSC 52) and shows a link that opens the focused
// chart's query over the range it ran on in the team's web UI; for the
// latency chart that is its highest quantile, the query y copies.
func (m *Model) copyLink() tea.Cmd {
	p, ok := m.cursorPanel()
	if !ok || len(p.exprs) == 0 || p.from.IsZero() {
		m.flash = "nothing charted yet; U links to the focused chart's query"
		return nil
	}
	l, ok := m.links.Metrics(p.exprs[len(p.exprs)-1], p.from, p.to)
	var cmd tea.Cmd
	m.flash, cmd = pane.CopyLink(l, ok, "no web UI to link to: set grafana.url and grafana.prometheus_datasource, or prometheus.url")
	return cmd
}

func (m *Model) copyQuery() tea.Cmd {
	var q string
	if p, ok := m.cursorPanel(); ok {
		q = p.exprs[len(p.exprs)-1]
	} else if m.mode == modeQuery {
		q = m.editor.Value()
	}
	q, cmd := pane.CopyCmd(q)
	if cmd == nil {
		m.flash = "no query to copy yet"
		return nil
	}
	m.flash = fmt.Sprintf("copied the query (%d bytes, OSC 52)", len(q))
	return cmd
}
