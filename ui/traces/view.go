package traces

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/ui/pane"
)

// The waterfall's glyphs. They carry the meaning on their own, so the
// view reads the same without colour.
const (
	glyphCritical = "◆" // marker column: the span has time on the critical path
	glyphError    = "!" // marker column: the span failed
	glyphOpen     = "▾"
	glyphFolded   = "▸"
	barOwn        = '█' // the span's own time on the critical path
	barSpan       = '▒' // the rest of the span
	barFolded     = '┄' // where the spans of a fold row lie
	glyphFoldRow  = "…" // a fold row, in place of the fold glyph
)

// maxWarnLines bounds the header's warning lines: a trace can carry one
// clock-skew warning per span, and the waterfall must keep its rows.
const maxWarnLines = 2

// formLabelWidth is the width of the search form's labels.
const formLabelWidth = 14

// View draws the pane. It reads the model and the clock and nothing else;
// only the rows on screen are drawn, so a frame costs the same for a
// 10-span and a 50,000-span trace.
func (m *Model) View() string { return pane.Fit(m.width, m.height, m.lines) }

// lines are the frame's lines, before pane.Fit cuts them to the area.
func (m *Model) lines() []string {
	switch m.mode {
	case modeDetail:
		return append([]string{m.detailTitle()}, strings.Split(m.detail.View(), "\n")...)
	case modeDiff:
		return slices.Concat(m.diffHeader(), m.diffRows(), []string{m.bottomLine()})
	case modeTrace, modeFilter:
		return slices.Concat(m.traceHeader(), m.waterfall(), []string{m.bottomLine()})
	}
	return slices.Concat(m.resultsHeader(), m.table(), []string{m.bottomLine()})
}

func (m *Model) fit(s string) string { return ansi.Truncate(s, m.width, "…") }

// padRight pads a styled string with spaces to w cells.
func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// errLines say what failed, why, and what still works, in at most two
// lines.
func (m *Model) errLines(err error, still string) []string {
	if err == nil {
		return nil
	}
	kind, reason := pane.ErrText(err)
	return m.errText(kind, reason, still)
}

// errText is errLines for a kind and reason already worked out.
func (m *Model) errText(kind, reason, still string) []string {
	s := m.st.ErrorMsg.Render("✗ "+kind+": ") + m.st.Plain.Render(reason) + m.st.Muted.Render(" — "+still)
	lines := strings.Split(ansi.Wrap(s, m.width, " "), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1], m.width-1, "") + "…"
	}
	return lines
}

func (m *Model) rangeLabel(from, to time.Time) string {
	layout := "15:04:05"
	if to.Sub(from) >= 24*time.Hour || from.In(m.b.Location).Day() != to.In(m.b.Location).Day() {
		layout = "01-02 15:04"
	}
	return from.In(m.b.Location).Format(layout) + "–" + to.In(m.b.Location).Format(layout)
}

// describe is a search in one line, as the form would read it.
func describe(svc, op, tags string, minD, maxD time.Duration, limit int) string {
	parts := []string{"service=" + svc}
	if op != "" {
		parts = append(parts, "operation="+op)
	}
	if tags != "" {
		parts = append(parts, tags)
	}
	if minD > 0 {
		parts = append(parts, "≥"+fmtDur(minD))
	}
	if maxD > 0 {
		parts = append(parts, "≤"+fmtDur(maxD))
	}
	if limit > 0 {
		parts = append(parts, fmt.Sprintf("limit %d", limit))
	}
	return strings.Join(parts, " ")
}

func (m *Model) resultsHeader() []string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	q := m.shownQ
	title := st.Title.Render("Traces")
	var status []string
	switch {
	case m.search.Busy():
		status = append(status, m.spin.View()+st.Subtle.Render("searching "+m.rangeLabel(q.Start, q.End)+"…"))
	case m.trace.Busy():
		status = append(status, m.spin.View()+st.Subtle.Render("fetching trace "+shortID(m.fetchID)+"…"))
	}
	if m.hasResults {
		status = append(status,
			st.Subtle.Render(fmt.Sprintf("%s traces", thousands(len(m.rows)))),
			st.Muted.Render(m.rangeLabel(q.Start, q.End)),
			st.Muted.Render("sorted by "+sortNames[m.sortBy]+" "+m.sortArrow()))
		if m.search.Err() != nil {
			status = append(status, st.WarnMsg.Render("stale, "+pane.Age(m.b.Now().Sub(m.search.LastAt()))+" old"))
		}
	}
	lines := []string{m.fit(title + " " + strings.Join(status, sep))}
	if m.mode == modeForm {
		lines = append(lines, m.formLines()...)
	} else if q.Service != "" {
		lines = append(lines, m.fit(st.Prompt.Render("search› ")+st.Query.Render(
			describe(q.Service, q.Operation, formatTags(q.Tags), q.MinDuration, q.MaxDuration, q.Limit))))
	}
	still := "no earlier results; i edits the search"
	if m.hasResults {
		still = fmt.Sprintf("showing the previous %d traces from %s ago", len(m.rows), pane.Age(m.b.Now().Sub(m.search.LastAt())))
	}
	lines = append(lines, m.errLines(m.search.Err(), still)...)
	lines = append(lines, m.errLines(m.trace.Err(), "the table still works; enter retries")...)
	if len(m.warnings) > 0 {
		lines = append(lines, m.fit(st.WarnMsg.Render("! "+strings.Join(m.warnings, "; "))))
	}
	if len(m.rows) > 0 {
		lines = append(lines, m.fit(st.Header.Render("  "+m.tableRow("start", "duration", "spans", "errors", "root span", ""))))
	}
	return lines
}

func (m *Model) formLines() []string {
	st := &m.st
	lines := make([]string, 0, numFields+1)
	for i := range numFields {
		label := fmt.Sprintf("%*s ", formLabelWidth-1, fieldLabels[i])
		if i == m.form.focus {
			label = st.Prompt.Render(label)
		} else {
			label = st.Muted.Render(label)
		}
		lines = append(lines, m.fit(label+m.form.inputs[i].View()))
		if i == m.form.focus {
			lines = append(lines, m.suggestLines()...)
		}
	}
	switch {
	case m.formErr != "":
		lines = append(lines, m.fit(st.ErrorMsg.Render("✗ "+m.formErr)))
	case m.listOpen() && m.sg.sel >= 0:
		lines = append(lines, m.fit(st.Muted.Render("tab takes · enter takes and searches · ↑/↓ ctrl+n/p choose · esc hides list")))
	case m.listOpen():
		lines = append(lines, m.fit(st.Muted.Render("↓/ctrl+n chooses · tab next field · enter searches · esc hides list")))
	default:
		lines = append(lines, m.fit(st.Muted.Render("enter searches · tab next field · esc closes · tags: http.status_code=500 (error=true finds nothing on Jaeger v2)")))
	}
	return lines
}

// sortArrow is the sort direction: an arrow, and a word that reads the
// same without colour or without the arrow glyph.
func (m *Model) sortArrow() string {
	if m.sortAsc {
		return "▲ asc"
	}
	return "▼ desc"
}

// tableRow lays out one row of the result table.
func (m *Model) tableRow(start, dur, spans, errs, root, svcs string) string {
	s := fmt.Sprintf("%-12s %9s %7s %6s  %s", start, dur, spans, errs, root)
	if svcs != "" {
		s += "  " + svcs
	}
	return s
}

func (m *Model) table() []string {
	th := m.tableHeight()
	out := make([]string, 0, th)
	if len(m.rows) == 0 {
		out = append(out, m.emptyResults()...)
	}
	for i := m.rtop; i < len(m.rows) && len(out) < th; i++ {
		r := m.rows[i]
		root := r.RootSvc + ": " + r.RootOp
		svcs := fmt.Sprintf("[%s]", strings.Join(r.Services, " "))
		// The gutter marks the cursor: reverse video alone vanishes under
		// NO_COLOR's ASCII profile.
		gutter := "  "
		if i == m.rsel {
			gutter = "> "
		}
		line := gutter + m.tableRow(r.Start.In(m.b.Location).Format("15:04:05.000"), fmtDur(r.Duration),
			thousands(r.SpanCount), thousands(r.ErrorCount), root, svcs)
		line = ansi.Truncate(line, m.width, "…")
		switch {
		case i == m.rsel:
			line = m.st.Selected.Render(padRight(line, m.width))
		case r.ErrorCount > 0:
			line = m.st.ErrorMsg.Render(line)
		}
		out = append(out, line)
	}
	for len(out) < th {
		out = append(out, "")
	}
	return out[:th]
}

func (m *Model) emptyResults() []string {
	var s string
	switch {
	case m.src == nil:
		s = "No Jaeger is configured for this context. Add a jaeger backend (url: grpc://host:16685) and check it with `reltui config check`."
	case m.search.Busy():
		s = "Waiting for Jaeger…"
	case m.hasResults:
		s = "No traces matched " + describe(m.shownQ.Service, m.shownQ.Operation, formatTags(m.shownQ.Tags), m.shownQ.MinDuration, m.shownQ.MaxDuration, 0) +
			" in " + m.rangeLabel(m.shownQ.Start, m.shownQ.End) + ". Widen the range ([ -) or loosen the search (i)."
	case m.mode == modeForm:
		return nil
	default:
		s = "No search yet. Press i, type a service (e.g. api), and press enter. Use min duration (e.g. 1s) to find slow traces, then s to sort by duration."
	}
	return strings.Split(ansi.Wrap(m.st.Subtle.Render(s), max(10, m.width), ""), "\n")
}

func shortID(id string) string {
	if len(id) > 16 {
		return id[:16] + "…"
	}
	return id
}

func (m *Model) traceHeader() []string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	var lines []string
	var head []string
	if m.tr != nil {
		t := m.tr
		// Most telling first: at 80 columns the root's name is what gets cut.
		head = append(head, st.Title.Render("Trace "+t.traceID), fmtDur(t.duration()), thousands(len(t.nodes))+" spans")
		if m.foldTiny {
			head = append(head, st.Subtle.Render(fmt.Sprintf("%s under %s folded", thousands(m.hidden), m.shareLabel())))
		}
		if t.errors > 0 {
			head = append(head, st.ErrorMsg.Render(fmt.Sprintf("%s %d errors", glyphError, t.errors)))
		}
		if len(t.roots) > 0 {
			r := t.nodes[t.roots[0]].span
			head = append(head, st.Service.Render(r.Service)+" "+r.Operation)
		}
	} else {
		head = append(head, st.Title.Render("Trace"))
	}
	if m.trace.Busy() {
		head = append(head, m.spin.View()+st.Subtle.Render("fetching "+shortID(m.fetchID)+"…"))
	} else if m.dv.req.Busy() {
		head = append(head, m.spin.View()+st.Subtle.Render("finding a healthy baseline…"))
	} else if m.trace.Err() != nil && m.tr != nil {
		head = append(head, st.WarnMsg.Render("stale, "+pane.Age(m.b.Now().Sub(m.trace.LastAt()))+" old"))
	}
	lines = append(lines, m.fit(strings.Join(head, sep)))
	still := "esc goes back to the search"
	if m.tr != nil {
		still = "showing the trace fetched " + pane.Age(m.b.Now().Sub(m.trace.LastAt())) + " ago"
	}
	lines = append(lines, m.errLines(m.trace.Err(), still)...)
	if m.tr == nil {
		return lines
	}
	lines = append(lines, m.diffErrLines()...)
	cp := st.Critical.Render(glyphCritical+" critical path ") + st.Plain.Render(strings.Join(m.tr.critSvcs, " → "))
	if m.filter != "" {
		pos := "–"
		if m.matchAt >= 0 {
			pos = thousands(m.matchAt + 1)
		}
		cp += sep + st.Subtle.Render(fmt.Sprintf("/%s %s/%s", m.filter, pos, thousands(len(m.matches))))
	}
	if n := len(m.visible); n > 0 {
		right := st.Muted.Render(fmt.Sprintf("%s/%s", thousands(m.sel+1), thousands(n)))
		if gap := m.width - ansi.StringWidth(cp) - ansi.StringWidth(right); gap >= 2 {
			cp += strings.Repeat(" ", gap) + right
		}
	}
	lines = append(lines, m.fit(cp))
	lines = append(lines, m.warnLines()...)
	lay := m.layout()
	lines = append(lines, m.axisLine(lay))
	return lines
}

// rowLayout is the column widths of the waterfall.
type rowLayout struct {
	name, dur, bar int
}

func (m *Model) layout() rowLayout {
	const marks, durW = 2, 8
	avail := m.width - marks - 1 - durW - 1 - 1
	// Narrow screens give the names half: a bar of 30 cells still shows
	// the shape, a name cut to 20 does not say what the span is.
	name := max(12, avail/2)
	if m.width >= 160 {
		name = max(12, avail/3)
	}
	bar := avail - name
	if bar < 8 {
		name, bar = max(1, avail), 0
	}
	return rowLayout{name: name, dur: durW, bar: bar}
}

// axisLine labels the columns and marks the time axis at quarters of the
// trace.
func (m *Model) axisLine(lay rowLayout) string {
	st := &m.st
	head := padRight("   service operation", 2+1+lay.name) + " " + fmt.Sprintf("%*s", lay.dur, "duration") + " "
	if lay.bar == 0 {
		return m.fit(st.Header.Render(head))
	}
	axis := []rune(strings.Repeat(" ", lay.bar))
	d := m.tr.duration()
	next := 0
	for q := 0; q <= 4; q++ {
		label := []rune(fmtDur(d * time.Duration(q) / 4))
		if q == 0 {
			label = []rune("0")
		}
		pos := lay.bar * q / 4
		label = append([]rune("┊"), label...)
		if q == 4 {
			label = append(label[1:], '┊')
			pos = lay.bar - len(label)
		}
		if pos < next || pos+len(label) > lay.bar {
			continue
		}
		copy(axis[pos:], label)
		next = pos + len(label) + 1
	}
	return m.fit(st.Header.Render(head) + st.Muted.Render(string(axis)))
}

func (m *Model) waterfall() []string {
	lh := m.listHeight()
	out := make([]string, 0, lh)
	if m.tr == nil {
		var s string
		switch {
		case m.trace.Busy():
			s = "Fetching trace " + m.fetchID + "…"
		default:
			s = "No trace open. Press esc for the search, or enter on a result."
		}
		out = append(out, strings.Split(ansi.Wrap(m.st.Subtle.Render(s), max(10, m.width), ""), "\n")...)
	} else if len(m.tr.nodes) == 0 {
		out = append(out, m.st.Subtle.Render("This trace has no spans."))
	}
	if m.tr != nil {
		lay := m.layout()
		var matchSet map[int32]bool
		for p := m.top; p < len(m.visible) && len(out) < lh; p++ {
			i := m.visible[p]
			if i < 0 {
				out = append(out, m.foldLine(&m.folds[^i], p == m.sel, lay))
				continue
			}
			if m.filter != "" && matchSet == nil {
				matchSet = m.visibleMatches(p, lh)
			}
			out = append(out, m.spanRow(i, p == m.sel, matchSet[i], lay))
		}
	}
	for len(out) < lh {
		out = append(out, "")
	}
	return out[:lh]
}

// visibleMatches is the set of matching spans among the rows on screen,
// found by searching only those rows.
func (m *Model) visibleMatches(from, n int) map[int32]bool {
	set := map[int32]bool{}
	q := strings.ToLower(m.filter)
	for p := from; p < len(m.visible) && p < from+n; p++ {
		if i := m.visible[p]; i >= 0 && strings.Contains(m.tr.searchText(i), q) {
			set[i] = true
		}
	}
	return set
}

// spanRow draws one waterfall row: markers, the indented name, the
// duration and the bar. The selected row is drawn plain and then
// reversed or highlighted as a whole, so inner styles cannot break it.
func (m *Model) spanRow(i int32, selected, match bool, lay rowLayout) string {
	st := &m.st
	nd := &m.tr.nodes[i]
	s := &nd.span
	paint := func(sty lipgloss.Style, txt string) string {
		if selected || txt == "" {
			return txt
		}
		return sty.Render(txt)
	}
	var b strings.Builder
	b.Grow(m.width * 2)
	if nd.critical > 0 {
		b.WriteString(paint(st.Critical, glyphCritical))
	} else {
		b.WriteByte(' ')
	}
	if s.Error {
		b.WriteString(paint(st.ErrorMsg, glyphError))
	} else {
		b.WriteByte(' ')
	}
	if selected {
		b.WriteByte('>') // the cursor, for when reverse video is lost
	} else {
		b.WriteByte(' ')
	}

	// The name column: indent, fold glyph, service, operation.
	prefix := indent(int(nd.depth), lay.name)
	switch {
	case len(nd.children) == 0:
		prefix += "  "
	case m.collapsed[i]:
		prefix += glyphFolded + " "
	default:
		prefix += glyphOpen + " "
	}
	room := lay.name
	pw := ansi.StringWidth(prefix)
	if pw > room {
		prefix, pw = ansi.Truncate(prefix, room, ""), room
	}
	room -= pw
	svc := ansi.Truncate(s.Service, room, "…")
	room -= ansi.StringWidth(svc)
	op := ""
	if room > 1 {
		op = " " + ansi.Truncate(s.Operation, room-1, "…")
		room -= ansi.StringWidth(op)
	}
	b.WriteString(prefix)
	nameStyle, opStyle := st.Service, st.Plain
	if s.Error {
		opStyle = st.ErrorMsg
	}
	if match {
		nameStyle, opStyle = st.Match, st.Match
	}
	b.WriteString(paint(nameStyle, svc))
	b.WriteString(paint(opStyle, op))
	b.WriteString(strings.Repeat(" ", room))
	b.WriteByte(' ')
	fmt.Fprintf(&b, "%*s", lay.dur, fmtDur(s.Duration))
	b.WriteByte(' ')
	if lay.bar > 0 {
		m.writeBar(&b, nd, lay.bar, paint)
	}
	line := b.String()
	if selected {
		return st.Selected.Render(padRight(ansi.Truncate(line, m.width, ""), m.width))
	}
	return line
}

// warnLines are the trace's warnings, at most maxWarnLines: a truncation
// warning first, since it says the waterfall is not the whole trace, then
// the rest in order, and a count of what did not fit.
func (m *Model) warnLines() []string {
	ws := m.tr.warnings
	if len(ws) == 0 {
		return nil
	}
	order := make([]string, 0, min(len(ws), maxWarnLines+1))
	for _, w := range ws {
		if isTruncation(w) {
			order = append(order, w)
		}
	}
	for _, w := range ws {
		if len(order) > maxWarnLines {
			break
		}
		if !isTruncation(w) {
			order = append(order, w)
		}
	}
	if len(ws) > maxWarnLines {
		rest := len(ws) - (maxWarnLines - 1)
		order = append(order[:maxWarnLines-1], fmt.Sprintf("%s more warnings not shown", thousands(rest)))
	}
	lines := make([]string, 0, len(order))
	for _, w := range order {
		lines = append(lines, m.fit(m.st.WarnMsg.Render("! "+w)))
	}
	return lines
}

// isTruncation tells a warning that spans are missing from the answer
// from a per-span one: the Jaeger client's span-limit and message-size
// warnings say "showing the first".
func isTruncation(w string) bool {
	return strings.Contains(w, "showing the first") || strings.Contains(w, "truncated")
}

// indent is the name column's indent for a row at depth in a column of
// width cells: two spaces a level, and past a third of the column the
// depth written out ("12…") where the indent would have gone.
func indent(depth, width int) string {
	maxDepth := max(0, width/3-1)
	prefix := ""
	if depth > maxDepth {
		prefix = fmt.Sprintf("%d…", depth)
		depth = max(0, maxDepth-(len(prefix)+1)/2)
	}
	return strings.Repeat("  ", depth) + prefix
}

// foldLine draws a fold row: where its parent's children would be, a
// count of the tiny spans it stands for, the threshold in the duration
// column and their extent on the axis.
func (m *Model) foldLine(f *foldRow, selected bool, lay rowLayout) string {
	st := &m.st
	var b strings.Builder
	b.Grow(m.width * 2)
	if selected {
		b.WriteString("  >")
	} else {
		b.WriteString("   ")
	}
	prefix := indent(int(f.depth), lay.name) + glyphFoldRow + " "
	text := fmt.Sprintf("%s spans under %s folded", thousands(f.spans), m.shareLabel())
	if f.spans == 1 {
		text = "1 span under " + m.shareLabel() + " folded"
	}
	if ansi.StringWidth(prefix+text) > lay.name {
		text = fmt.Sprintf("%s spans folded", thousands(f.spans)) // the duration column says under what
	}
	name := ansi.Truncate(prefix+text, lay.name, "…")
	b.WriteString(name)
	b.WriteString(strings.Repeat(" ", max(0, lay.name-ansi.StringWidth(name))))
	b.WriteByte(' ')
	fmt.Fprintf(&b, "%*s", lay.dur, "<"+fmtDur(m.tr.foldBelow))
	b.WriteByte(' ')
	if lay.bar > 0 {
		b.WriteString(m.foldBar(f, lay.bar))
	}
	line := b.String()
	if selected {
		return st.Selected.Render(padRight(ansi.Truncate(line, m.width, ""), m.width))
	}
	return st.Muted.Render(line)
}

// foldBar marks where a fold row's spans lie on the time axis.
func (m *Model) foldBar(f *foldRow, width int) string {
	total := m.tr.duration()
	col := func(d time.Duration) int {
		if total <= 0 {
			return 0
		}
		return min(max(int(float64(d)/float64(total)*float64(width)), 0), width)
	}
	x0, x1 := col(f.lo), col(f.hi)
	if x1 <= x0 {
		x1 = min(x0+1, width)
		x0 = x1 - 1
	}
	return strings.Repeat(" ", x0) + strings.Repeat(string(barFolded), x1-x0) + strings.Repeat(" ", width-x1)
}

// writeBar draws the span's place on the time axis: its own critical-path
// time solid, the rest shaded.
func (m *Model) writeBar(b *strings.Builder, nd *node, width int, paint func(lipgloss.Style, string) string) {
	t := m.tr
	total := t.duration()
	col := func(at time.Time) int {
		if total <= 0 {
			return 0
		}
		c := int(float64(at.Sub(t.start)) / float64(total) * float64(width))
		return min(max(c, 0), width)
	}
	x0, x1 := col(nd.span.Start), col(nd.span.End())
	if x1 <= x0 {
		x1 = min(x0+1, width)
		x0 = x1 - 1
	}
	cells := make([]rune, width)
	for c := range cells {
		cells[c] = ' '
	}
	for c := x0; c < x1; c++ {
		cells[c] = barSpan
	}
	for _, sg := range nd.segs {
		a, z := col(sg.Start), col(sg.End)
		if z <= a {
			z = min(a+1, width)
			a = z - 1
		}
		for c := a; c < z; c++ {
			cells[c] = barOwn
		}
	}
	spanStyle := m.st.Bar
	if nd.span.Error {
		spanStyle = m.st.ErrorMsg
	}
	// Runs of one glyph share one styled write.
	for c := 0; c < width; {
		e := c
		for e < width && cells[e] == cells[c] {
			e++
		}
		run := string(cells[c:e])
		switch cells[c] {
		case barOwn:
			b.WriteString(paint(m.st.Critical, run))
		case barSpan:
			b.WriteString(paint(spanStyle, run))
		default:
			b.WriteString(run)
		}
		c = e
	}
}

func (m *Model) bottomLine() string {
	st := &m.st
	switch {
	case m.mode == modeFilter:
		return m.spanFilter.View()
	case m.flash != "":
		return m.fit(st.Subtle.Render(m.flash))
	case m.mode == modeDiff:
		return m.fit(st.Muted.Render("enter go to span · esc waterfall · EXPL% share of the extra time · IN slow/base: only there · " + glyphError + " failed"))
	case m.mode == modeTrace && m.filter != "":
		return m.fit(st.Muted.Render("n/N next/prev match · / change · esc clear filter"))
	case m.mode == modeTrace && m.tr != nil:
		legend := glyphCritical + " critical path  " + glyphError + " error  " +
			string(barOwn) + " own time on the path  " + string(barSpan) + " span"
		if m.foldTiny {
			legend += "  " + string(barFolded) + " folded spans"
		}
		return m.fit(st.Muted.Render(legend))
	}
	return ""
}

func (m *Model) detailTitle() string {
	st := &m.st
	if m.flash != "" {
		return m.fit(st.Title.Render("Span detail") + "  " + st.Subtle.Render(m.flash))
	}
	return m.fit(st.Title.Render("Span detail") + st.Muted.Render("  esc back · y/Y copy trace/span id · L logs · ↑/↓ scroll"))
}
