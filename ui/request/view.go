package request

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// View renders the pane: the ID input, the summary, notes (partial,
// widened, errors), the timeline grouped by service, and a status line.
func (m *Model) View() string {
	return pane.Fit(m.width, m.height, func() []string {
		top := m.headLines()
		lines := append(top, m.listLines(max(0, m.height-len(top)-1))...)
		for len(lines) < m.height-1 {
			lines = append(lines, "")
		}
		return append(lines[:min(len(lines), m.height-1)], m.statusLine())
	})
}

// fit sanitizes text and cuts it to the pane's width.
func (m *Model) fit(s string) string { return ansi.Truncate(sanitize.Line(s), m.width, "…") }

// headLines is everything above the list.
func (m *Model) headLines() []string {
	st := m.st
	var out []string
	if m.mode == modeInput || m.view == nil {
		out = append(out, m.input.View())
	} else {
		out = append(out, st.Prompt.Render("id› ")+st.Text.Render(m.fit(m.shown)))
	}
	if m.err != nil {
		kind, reason := pane.ErrText(m.err)
		note := fmt.Sprintf("✗ %s: %s: %s", sanitize.Line(m.errID), kind, reason)
		if m.view != nil {
			note += " (showing the previous result)"
		}
		out = append(out, st.ErrorMsg.Render(m.fit(note)))
	}
	v := m.view
	if v == nil {
		if !m.req.Busy() && m.err == nil {
			out = append(out, "", st.Muted.Render(m.fit("Paste a request id (e.g. req-e40849d5669c) or a trace id and press enter.")),
				st.Muted.Render(m.fit("Loki and Jaeger are searched in parallel; the lines and spans are joined into one timeline.")))
		}
		return out
	}
	if !v.Found() {
		for _, l := range m.wrap(v.NotFound()) {
			out = append(out, st.WarnMsg.Render(l))
		}
		return append(out, m.notes()...)
	}
	s := v.Summary
	ids := "request " + strings.Join(v.RequestIDs, ", ")
	if len(v.RequestIDs) == 0 {
		ids = "no request id"
	}
	out = append(out, st.Title.Render(m.fit(fmt.Sprintf("%s · trace %s", ids, strings.Join(v.TraceIDs, ", ")))))
	out = append(out, st.Subtle.Render(m.fit(fmt.Sprintf("%d spans · %d logs · %d services · window %s",
		s.SpanCount, s.LogCount, len(v.Services), m.windowText(v.Window)))))
	if e := s.FirstError; e != nil {
		out = append(out, st.ErrorMsg.Render(m.fit(fmt.Sprintf("first error %s %s %s: %s", m.clock(e.Time), e.Kind, e.Service, e.Text))))
	} else {
		out = append(out, st.OK.Render("no errors"))
	}
	var line []string
	if e := s.SlowestSpan; e != nil {
		line = append(line, fmt.Sprintf("slowest %s %s %s", e.Service, e.Text, e.Duration.Round(time.Microsecond)))
	}
	if len(s.CriticalServices) > 0 {
		line = append(line, "critical path "+strings.Join(s.CriticalServices, " → "))
	}
	if len(line) > 0 {
		out = append(out, st.Critical.Render(m.fit(strings.Join(line, " · "))))
	}
	return append(out, m.notes()...)
}

// notes are the partial, widened and warning lines.
func (m *Model) notes() []string {
	v, st := m.view, m.st
	var out []string
	if n := v.PartialNote(); n != "" {
		// Wrapped, not cut: which backend failed and why is the point.
		for _, l := range m.wrap("⚠ " + sanitize.Line(n)) {
			out = append(out, st.WarnMsg.Render(l))
		}
	}
	if v.ChangesProblem != "" {
		out = append(out, st.WarnMsg.Render(m.fit("⚠ changes not all listed: "+v.ChangesProblem)))
	}
	if v.Widened && v.Found() {
		out = append(out, st.WarnMsg.Render(m.fit(fmt.Sprintf("⚠ nothing in %s; widened once to %s", v.Narrow, v.Searched))))
	}
	for i, w := range v.Warnings {
		if i == 2 {
			out = append(out, st.WarnMsg.Render(m.fit(fmt.Sprintf("⚠ and %d more warnings", len(v.Warnings)-2))))
			break
		}
		out = append(out, st.WarnMsg.Render(m.fit("⚠ "+w)))
	}
	return out
}

// wrap breaks a long message into lines of the pane's width.
func (m *Model) wrap(s string) []string {
	var out []string
	for len(s) > 0 {
		cut := ansi.Truncate(s, m.width, "")
		if len(cut) == 0 {
			break
		}
		if len(cut) < len(s) {
			if i := strings.LastIndex(cut, " "); i > m.width/2 {
				cut = cut[:i+1]
			}
		}
		out = append(out, strings.TrimRight(cut, " "))
		s = s[len(cut):]
	}
	return out
}

func (m *Model) windowText(w correlate.Window) string {
	f, t := w.From.In(m.base.Location), w.To.In(m.base.Location)
	return fmt.Sprintf("%s – %s", f.Format("01-02 15:04:05"), t.Format("15:04:05"))
}

func (m *Model) clock(t time.Time) string { return t.In(m.base.Location).Format("15:04:05.000") }

// listHeight is how many rows the list shows.
func (m *Model) listHeight() int { return max(1, m.height-len(m.headLines())-1) }

// listLines renders the visible rows.
func (m *Model) listLines(h int) []string {
	if h <= 0 || len(m.rows) == 0 {
		return nil
	}
	out := make([]string, 0, h)
	for i := m.top; i < len(m.rows) && len(out) < h; i++ {
		out = append(out, m.renderRow(m.rows[i], i == m.sel))
	}
	return out
}

func (m *Model) renderRow(r row, selected bool) string {
	v, st := m.view, m.st
	var text string
	style := st.Plain
	switch r.kind {
	case rowService:
		g := v.Group(r.svc)
		spans := 0
		for _, it := range g {
			if it.Kind == correlate.ItemSpan {
				spans++
			}
		}
		text = fmt.Sprintf("▸ %s  %d spans, %d logs", sanitize.Line(v.Services[r.svc]), spans, len(g)-spans)
		style = st.Service
	case rowChanges:
		text, style = m.changesHeading(), st.Service
	case rowChange:
		text, style = m.changeText(v.Changes[r.ref]), st.Change
	case rowSpan:
		sp := &v.Spans[r.ref]
		mark := "  "
		if sp.Error {
			mark = "✗ "
			style = st.Error
		} else {
			style = st.Span
		}
		text = fmt.Sprintf("  %s %sspan %-10s %s", m.clockMicro(sp.Start), mark, sp.Duration.Round(time.Microsecond), sanitize.Line(sp.Operation))
	case rowLog:
		l := &v.Logs[r.ref]
		lv := strings.ToUpper(l.Level)
		if len(lv) > 5 {
			lv = lv[:5]
		}
		// The resolver sanitizes lines already; a view from elsewhere may
		// not be, and only the visible rows pay for the check.
		text = fmt.Sprintf("  %s   log  %-5s %s", m.clockMicro(l.Time), sanitize.Line(lv), sanitize.Line(l.Line))
		switch {
		case correlate.IsErrorLevel(l.Level):
			style = st.Error
		case strings.HasPrefix(strings.ToLower(l.Level), "warn"):
			style = st.WarnMsg
		case strings.EqualFold(l.Level, "debug"):
			style = st.Debug
		}
	}
	text = m.fit(text)
	if selected {
		pad := max(0, m.width-ansi.StringWidth(text))
		return st.Selected.Render(text + strings.Repeat(" ", pad))
	}
	return style.Render(text)
}

func (m *Model) clockMicro(t time.Time) string {
	return t.In(m.base.Location).Format("15:04:05.000000")
}

// statusLine is the filter input, the spinner, a flash, or the position.
func (m *Model) statusLine() string {
	st := m.st
	switch {
	case m.mode == modeFilter:
		return m.filterIn.View()
	case m.req.Busy():
		took := m.base.Now().Sub(m.loadStart).Round(100 * time.Millisecond)
		text := fmt.Sprintf(" searching Loki and Jaeger for %s… %s", m.loadID, took)
		if v := m.view; m.early && v != nil && v.Searching {
			text += fmt.Sprintf(" · %d answered, %d out", len(v.Calls), v.Pending)
		}
		return m.spin.View() + st.Subtle.Render(m.fit(text))
	case m.flash != "":
		return st.WarnMsg.Render(m.fit(m.flash))
	case m.view == nil:
		return st.Muted.Render(m.fit("i: enter an id"))
	}
	pos := fmt.Sprintf("%d/%d", min(m.sel+1, len(m.rows)), len(m.rows))
	if m.filter != "" {
		pos += " · filter /" + m.filter
	}
	if m.view.Took > 0 {
		pos += fmt.Sprintf(" · %s, %d backend calls", m.view.Took.Round(time.Millisecond), len(m.view.Calls))
	}
	return st.Muted.Render(m.fit(pos))
}
