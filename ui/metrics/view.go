package metrics

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// View draws the pane: a header, an error line when the last refresh
// failed, the charts (or the picker), and a readout line.
func (m *Model) View() string { return pane.Fit(m.width, m.height, m.lines) }

// lines are the frame's lines, the readout last.
func (m *Model) lines() []string {
	top := []string{m.headerLine()}
	if s := m.errorLine(); s != "" {
		top = append(top, s)
	}
	bottom := m.readoutLine()
	h := max(1, m.height-len(top)-1)
	var body []string
	switch {
	case m.input == inputPicker:
		body = m.pickerLines(h)
	case m.mode == modeQuery:
		body = m.queryLines(h)
	default:
		body = m.signalLines(h)
	}
	lines := append(top, body...)
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return append(lines, bottom)
}

func (m *Model) fit(s string) string { return ansi.Truncate(s, m.width, "…") }

func (m *Model) spinner() string {
	if m.loading() {
		return " " + m.spin.View()
	}
	return ""
}

func (m *Model) rangeLabel() string {
	from, to := m.resolve()
	l := from.In(m.base.Location).Format("15:04") + "–" + to.In(m.base.Location).Format("15:04")
	if to.Sub(from) > 24*time.Hour {
		l = from.In(m.base.Location).Format("01-02 15:04") + "–" + to.In(m.base.Location).Format("01-02 15:04")
	}
	if m.rng.Live() {
		l += " live"
	}
	return l
}

func (m *Model) headerLine() string {
	st := m.st
	if m.mode == modeQuery || m.input == inputEditor {
		if m.input == inputEditor {
			return m.editor.View()
		}
		q := m.editor.Value()
		if strings.TrimSpace(q) == "" {
			return m.fit(st.Prompt.Render(m.editor.Prompt) + st.Muted.Render("press i to write a PromQL query") + m.spinner())
		}
		meta := ""
		if m.result != nil {
			meta = fmt.Sprintf("  step %s · %s", fmtDur(m.result.step), m.rangeLabel())
			if a := m.ageLabel(); a != "" {
				meta += " · " + a
			}
		}
		return m.fit(st.Prompt.Render(m.editor.Prompt) + st.Query.Render(q) + st.Subtle.Render(meta) + m.spinner())
	}
	svc := m.service
	if svc == "" {
		svc = "–"
	}
	// Parts in order of what to drop first when the line is too narrow:
	// the hint, the rate window, the step. The service, the range and the
	// data's age always stay.
	hint := st.Muted.Render(" (s to change)")
	var stepS, rateS string
	if len(m.panels) > 0 {
		p := m.panels[0]
		stepS = st.Subtle.Render(" · step " + fmtDur(p.step))
		rateS = st.Subtle.Render(" · rate over " + window(p.step))
	}
	tail := st.Subtle.Render(" · " + m.rangeLabel())
	if a := m.ageLabel(); a != "" {
		tail += st.Subtle.Render(" · " + a)
	}
	tail += m.spinner()
	head := st.Title.Render("Golden signals") + st.Subtle.Render(" · ") + st.Query.Render(svc)
	for _, opt := range [][]string{{hint, stepS, rateS}, {stepS, rateS}, {stepS}, nil} {
		line := head + strings.Join(opt, "") + tail
		if ansi.StringWidth(line) <= m.width {
			return line
		}
	}
	return m.fit(head + tail)
}

// errorLine says what failed in the last refresh and that the charts show
// older data, or "" when it succeeded.
func (m *Model) errorLine() string {
	err, at := m.sigReq.Err(), m.sigReq.ErrAt()
	switch {
	case m.input == inputPicker:
		err, at = m.svcReq.Err(), m.base.Now()
	case m.mode == modeQuery:
		err, at = m.qReq.Err(), m.qReq.ErrAt()
	}
	if err == nil {
		return ""
	}
	kind, msg := pane.ErrText(err)
	s := m.st.ErrorMsg.Render("✗ "+kind+": ") + m.st.Plain.Render(msg)
	stale := false
	if m.mode == modeQuery {
		stale = m.result != nil
	} else {
		stale = hasPoints(flatten(m.panels))
	}
	if stale {
		s += m.st.Muted.Render(fmt.Sprintf(" — showing the last good data (failed %s ago)", fmtDur(m.base.Now().Sub(at).Round(time.Second))))
	}
	return m.fit(s)
}

func flatten(ps []panel) []chart.Series {
	var out []chart.Series
	for _, p := range ps {
		out = append(out, p.series...)
	}
	return out
}

// readoutLine is the flash, else what the cursor and the exemplar say.
func (m *Model) readoutLine() string {
	st := m.st
	if m.flash != "" {
		return m.fit(st.WarnMsg.Render(m.flash))
	}
	if e, ok := m.changeAtCursor(); ok && m.exSel < 0 {
		return m.fit(st.WarnMsg.Render(m.changeReadout(e)))
	}
	var parts []string
	if !m.cursor.IsZero() {
		parts = append(parts, "cursor "+m.cursor.In(m.base.Location).Format("15:04:05"))
	}
	if e, ok := m.selectedExemplar(); ok {
		parts = append(parts, fmt.Sprintf("exemplar %d/%d: trace %s took %s at %s — enter opens it",
			m.exSel+1, len(m.exemplars), e.traceID, chart.UnitSeconds.Format(e.v), e.t.In(m.base.Location).Format("15:04:05")))
	} else if m.mode == modeSignals {
		// What a key acts on comes first; the scheme is what a narrow
		// terminal cuts.
		if len(m.exemplars) > 0 {
			parts = append(parts, fmt.Sprintf("%d exemplars (x selects)", len(m.exemplars)))
		}
		if len(m.changes) > 0 {
			parts = append(parts, fmt.Sprintf("%d changes (c walks)", len(m.changes)))
		}
		if sc := m.schemeLabel(); sc != "" && m.cursor.IsZero() {
			parts = append(parts, sc)
		}
	}
	if len(parts) == 0 {
		if m.mode == modeQuery {
			return m.fit(st.Muted.Render("←/→ cursor · i edit · m signals · L logs"))
		}
		return m.fit(st.Muted.Render("←/→ cursor · j/k chart · x exemplar · L logs · i PromQL"))
	}
	return m.fit(st.Subtle.Render(strings.Join(parts, " · ")))
}

// plotWidth estimates the plot's width in cells, for the automatic step.
func (m *Model) plotWidth() int {
	w := m.width
	if m.mode == modeSignals && m.width >= 60 {
		w = (m.width - 1) / 2
	}
	return max(10, w-8)
}

// toChart turns a panel into what the chart draws.
func (m *Model) toChart(p panel, focused bool) chart.Chart {
	c := chart.Chart{
		Title: p.title, Unit: p.unit, From: p.from, To: p.to, Step: p.step, Series: p.series,
		ZeroBased: p.zero, Focused: focused, Empty: p.empty, Loc: m.base.Location, Cursor: m.cursor,
	}
	if p.err != nil {
		c.Title += " (stale)"
		if !hasPoints(p.series) {
			kind, msg := pane.ErrText(p.err)
			c.Empty = kind + ": " + msg
		}
	}
	return c
}

func (m *Model) signalLines(h int) []string {
	if len(m.panels) == 0 {
		msg := "loading…"
		switch {
		case m.src == nil:
			msg = "no Prometheus is configured for this context; see `reltui config check`"
		case m.svcReq.Err() != nil:
			kind, reason := m.svcReq.ErrText()
			msg = "could not list services: " + kind + ": " + reason
		case !m.loading() && m.service == "":
			msg = "no services found"
		}
		return []string{"", m.fit(m.st.Muted.Render("  " + msg))}
	}
	charts := make([]chart.Chart, len(m.panels))
	marks := m.changeTimes()
	for i, p := range m.panels {
		charts[i] = m.toChart(p, i == m.focus)
		charts[i].Changes = marks
		if p.name == "latency" {
			for j, e := range m.exemplars {
				charts[i].Markers = append(charts[i].Markers, chart.Marker{T: e.t, V: e.v, Selected: j == m.exSel})
			}
		}
	}
	st := m.st.Chart
	switch {
	case m.width >= 60 && h >= 14:
		// A 2×2 grid.
		lw := (m.width - 1) / 2
		rw := m.width - 1 - lw
		th := h / 2
		bh := h - th
		var out []string
		for row := 0; row < 2; row++ {
			ch := th
			if row == 1 {
				ch = bh
			}
			l := strings.Split(chart.Render(charts[row*2], lw, ch, st), "\n")
			r := strings.Split(chart.Render(charts[row*2+1], rw, ch, st), "\n")
			for i := range l {
				out = append(out, l[i]+" "+r[i])
			}
		}
		return out
	case h >= 4*6:
		var out []string
		for i, c := range charts {
			ch := h / 4
			if i == 3 {
				ch = h - 3*(h/4)
			}
			out = append(out, strings.Split(chart.Render(c, m.width, ch, st), "\n")...)
		}
		return out
	}
	// Too small for four: the focused one, j/k for the others.
	return strings.Split(chart.Render(charts[m.focus], m.width, h, st), "\n")
}

func (m *Model) queryLines(h int) []string {
	if m.result == nil {
		msg := "write a PromQL query (i); the chart and a table of its series appear here"
		if m.qReq.Busy() {
			msg = "querying…"
		}
		return []string{"", m.fit(m.st.Muted.Render("  " + msg))}
	}
	p := *m.result
	ch := max(min(h, 6), h*3/5)
	if len(p.series) == 0 {
		ch = h
	}
	out := strings.Split(chart.Render(m.toChart(p, true), m.width, ch, m.st.Chart), "\n")
	if th := h - ch; th >= 2 {
		out = append(out, m.tableLines(p, th)...)
	}
	return out
}

// tableLines lists the query's series with their values at the cursor
// (or the last), the last and the maximum.
func (m *Model) tableLines(p panel, h int) []string {
	at := m.moment()
	head := fmt.Sprintf("%-10s %-10s %-10s ", "at "+at.In(m.base.Location).Format("15:04:05"), "last", "max")
	nameW := max(10, m.width-ansi.StringWidth(head)-1)
	lines := []string{m.fit(m.st.Header.Render(pad("series", nameW) + " " + head))}
	for i, s := range p.series {
		if len(lines) == h-1 && len(p.series)-i > 1 {
			lines = append(lines, m.st.Muted.Render(fmt.Sprintf("… %d more series", len(p.series)-i)))
			break
		}
		cur, last, top := "–", "–", "–"
		if v, ok := chart.ValueAt(s.Points, at, p.step); ok {
			cur = p.unit.Format(v)
		}
		mx := math.Inf(-1)
		for _, pt := range s.Points {
			if !math.IsNaN(pt.V) {
				mx = math.Max(mx, pt.V)
				last = p.unit.Format(pt.V)
			}
		}
		if !math.IsInf(mx, -1) {
			top = p.unit.Format(mx)
		}
		name := s.Name
		if i < len(p.labels) {
			name = labelString(p.labels[i])
		}
		row := pad(ansi.Truncate(name, nameW, "…"), nameW) + " " + fmt.Sprintf("%-10s %-10s %-10s", cur, last, top)
		lines = append(lines, m.fit(m.st.Plain.Render(row)))
	}
	return lines
}

// labelString renders a label set the Prometheus way: name{a="b"}.
func labelString(ls map[string]string) string {
	keys := make([]string, 0, len(ls))
	for k := range ls {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, ls[k])
	}
	return ls["__name__"] + "{" + strings.Join(parts, ", ") + "}"
}

func (m *Model) pickerLines(h int) []string {
	out := []string{m.filter.View()}
	list := m.filtered()
	if len(list) == 0 {
		msg := "no service matches"
		if m.svcReq.Busy() {
			msg = "loading services…"
		}
		return append(out, m.st.Muted.Render("  "+msg))
	}
	rows := max(1, h-1)
	first := max(0, min(m.pick-rows/2, len(list)-rows))
	for i := first; i < len(list) && len(out) < h; i++ {
		line := "  " + list[i]
		if list[i] == m.service {
			line += "  (shown)"
		}
		if i == m.pick {
			out = append(out, m.st.Selected.Render(m.fit(pad(line, m.width))))
			continue
		}
		out = append(out, m.fit(line))
	}
	return out
}

func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// fmtDur is a compact duration: 15s, 1m, 1m30s, 2h.
func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
