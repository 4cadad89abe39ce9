package traces

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/correlate"
)

// diffCols is the diff table's layout: rank, explains, critical Δ, self Δ,
// total slow/base, presence, then the marker and the span's name.
const diffCols = "%3s %5s %8s %8s %13s %-4s "

// diffHeader is the diff view's header: the two traces, the extra time,
// which baseline and why, the candidates, the span counts and the column
// titles.
func (m *Model) diffHeader() []string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	r := m.dv.res
	if r == nil {
		return []string{m.fit(st.Title.Render("Diff"))}
	}
	var lines []string
	head := []string{
		st.Title.Render("Diff") + " " + st.ErrorMsg.Render(fmtDelta(r.extra)+" extra"),
		"slow " + fmtDur(r.slow.duration) + " " + shortID(r.slow.id),
		"baseline " + fmtDur(r.base.duration) + " " + shortID(r.base.id),
		st.Service.Render(r.slow.name),
	}
	if m.dv.req.Busy() {
		head = append(head, m.spin.View()+st.Subtle.Render("finding a healthy baseline…"))
	}
	lines = append(lines, m.fit(strings.Join(head, sep)))
	lines = append(lines, m.wrapped(st.Muted.Render("why this baseline: ")+st.Plain.Render(r.reason), 2)...)
	if r.considered > 0 {
		lines = append(lines, m.wrapped(st.Muted.Render(fmt.Sprintf("candidates: %d considered: ", r.considered))+st.Plain.Render(r.tally), 2)...)
	}
	for _, n := range r.notes {
		lines = append(lines, m.fit(st.WarnMsg.Render("note: "+n)))
	}
	lines = append(lines, m.diffErrLines()...)
	counts := st.Muted.Render(fmt.Sprintf("spans: %d both, %d only slow, %d only baseline", r.matched, r.onlySlow, r.onlyBase)) +
		sep + st.Muted.Render("ranked by critical Δ")
	if n := len(r.rows); n > 0 {
		right := st.Muted.Render(fmt.Sprintf("%s/%s", thousands(m.dv.sel+1), thousands(n)))
		if gap := m.width - ansi.StringWidth(counts) - ansi.StringWidth(right); gap >= 2 {
			counts += strings.Repeat(" ", gap) + right
		}
	}
	lines = append(lines, m.fit(counts))
	cols := "  " + fmt.Sprintf(diffCols, "#", "EXPL%", "CRIT Δ", "SELF Δ", "TOT slow/base", "IN") + "  SPAN"
	lines = append(lines, m.fit(st.Header.Render(cols)))
	return lines
}

// wrapped wraps s to the pane's width in at most n lines, the last one
// ending in … when cut.
func (m *Model) wrapped(s string, n int) []string {
	lines := strings.Split(ansi.Wrap(s, m.width, " "), "\n")
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ansi.Truncate(lines[n-1], m.width-1, "") + "…"
	}
	return lines
}

// diffErrLines says why the last diff failed; the view behind it is
// unchanged.
func (m *Model) diffErrLines() []string {
	if m.dv.req.Err() == nil {
		return nil
	}
	still := "the waterfall is unchanged; " + m.keys.Diff.Help().Key + " tries again"
	if m.mode == modeDiff {
		still = "showing the previous diff"
	}
	if kind, reason, ok := diffErrKind(m.dv.req.Err()); ok {
		return m.errText(kind, reason, still)
	}
	return m.errLines(m.dv.req.Err(), still)
}

// diffRows draws the ranked rows on screen.
func (m *Model) diffRows() []string {
	lh := m.diffListHeight()
	out := make([]string, 0, lh)
	r := m.dv.res
	if r != nil && len(r.rows) == 0 {
		out = append(out, m.st.Subtle.Render("The traces have no spans to compare."))
	}
	if r != nil {
		for i := m.dv.top; i < len(r.rows) && len(out) < lh; i++ {
			out = append(out, m.diffLine(i, i == m.dv.sel))
		}
	}
	for len(out) < lh {
		out = append(out, "")
	}
	return out[:lh]
}

// diffLine draws row i. Like the waterfall, the selected row is drawn
// plain and then reversed as a whole, and carries a ">" for when reverse
// video is lost.
func (m *Model) diffLine(i int, selected bool) string {
	st := &m.st
	r := m.dv.res
	row := r.rows[i]
	gutter := "  "
	if selected {
		gutter = "> "
	}
	totals := diffSideDur(row, row.slowTotal, true) + "/" + diffSideDur(row, row.baseTotal, false)
	cells := gutter + fmt.Sprintf(diffCols, fmt.Sprint(i+1), explains(row.critDelta, r.extra),
		fmtDelta(row.critDelta), fmtDelta(row.selfDelta), totals, presenceLabel(row.presence))
	mark := " "
	if row.slowErr && !row.baseErr {
		mark = glyphError
	}
	under := ""
	if row.under != "(root)" {
		under = "  under " + row.under
	}
	if selected {
		line := cells + mark + " " + row.name + under
		return st.Selected.Render(padRight(ansi.Truncate(line, m.width, "…"), m.width))
	}
	name := st.Service.Render(row.name)
	if mark != " " {
		mark = st.ErrorMsg.Render(mark)
	}
	cellStyle := st.Plain
	if row.critDelta > 0 && r.extra > 0 && row.critDelta*10 >= r.extra {
		// A row explaining a tenth or more of the extra time.
		cellStyle = st.Critical
	}
	return m.fit(cellStyle.Render(cells) + mark + " " + name + st.Muted.Render(under))
}

// diffSideDur is a row's duration in one trace, "-" where the span is
// absent.
func diffSideDur(r diffRow, d time.Duration, slow bool) string {
	if slow && r.presence == correlate.OnlyBase || !slow && r.presence == correlate.OnlySlow {
		return "-"
	}
	return fmtDur(d)
}

// explains is the share of the extra time a critical delta accounts for.
func explains(crit, extra time.Duration) string {
	if extra <= 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", int(math.Round(float64(crit)*100/float64(extra))))
}

// presenceLabel is the IN column: "both", or "slow" and "base" for a
// span found only in that trace (correlate's only_slow, only_base).
func presenceLabel(p correlate.Presence) string {
	return strings.TrimPrefix(string(p), "only_")
}

// fmtDelta is fmtDur with a sign.
func fmtDelta(d time.Duration) string {
	switch {
	case d > 0:
		return "+" + fmtDur(d)
	case d < 0:
		return "-" + fmtDur(-d)
	}
	return "0"
}
