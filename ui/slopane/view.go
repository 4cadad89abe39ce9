package slopane

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Fixed parts of the layout, in lines.
const (
	statusWidth = 12
	burnWidth   = 9
	// detailFixed is the detail's lines besides the chart: title, sentence,
	// table header and four rows, chart label and time axis.
	detailFixed = 9
	minChart    = 3
	maxChart    = 24
)

// View draws the pane in exactly its area (never more lines or columns).
func (m *Model) View() string {
	return pane.Fit(m.width, m.height, func() []string {
		return append(append([]string{m.headerLine()}, m.noticeLines()...), m.body()...)
	})
}

func (m *Model) headerLine() string {
	st := m.st
	counts := map[slo.Status]int{}
	for _, it := range m.items {
		if it.has {
			counts[it.eval.Status]++
		}
	}
	parts := []string{fmt.Sprintf("%d SLOs", len(m.items))}
	for _, s := range []slo.Status{slo.StatusPage, slo.StatusTicket, slo.StatusNoData, slo.StatusLowTraffic} {
		if n := counts[s]; n > 0 {
			parts = append(parts, st.status(s).Render(fmt.Sprintf("%d %s", n, s)))
		}
	}
	when := "not evaluated yet"
	if !m.shownAt.IsZero() {
		when = "evaluated " + m.shownAt.UTC().Format("15:04:05") + " UTC"
		if !m.live && !m.to.IsZero() {
			when = "at the range's end, " + m.shownAt.UTC().Format("2006-01-02 15:04") + " UTC"
		}
	}
	line := st.Title.Render("SLOs") + " " + strings.Join(parts, st.Muted.Render(" · ")) + st.Muted.Render(" · "+when+fmt.Sprintf(" · refresh %s", m.fetch.Every()))
	if m.fetch.Busy() {
		line += " " + m.fetch.Spinner()
	}
	return line
}

// noticeLines are the error, warnings, flash and filter lines, each only
// when there is something to say.
func (m *Model) noticeLines() []string {
	since := ""
	if !m.shownAt.IsZero() {
		since = pane.Age(m.now().Sub(m.shownAt))
	}
	out := pane.Notices{Err: m.fetch.Err(), Since: since, Warnings: m.warnings, Flash: m.flash}.Lines(m.st.BaseStyles)
	return append(out, m.filter.Lines(fmt.Sprintf("  (%d of %d; esc clears)", len(m.visible), len(m.items)))...)
}

func (m *Model) body() []string {
	st := m.st
	switch {
	case m.specErr != nil:
		out := []string{st.ErrorMsg.Render("The context's SLO specs could not be read:")}
		// Text keeps the error's lines; a tab would move the terminal's
		// cursor by a width nothing here measures, so it becomes spaces.
		for _, l := range strings.Split(sanitize.Text(m.specErr.Error()), "\n") {
			out = append(out, "  "+strings.ReplaceAll(l, "\t", "    "))
		}
		return append(out, st.Muted.Render("Fix them and run `reltui config check`; nothing else on this pane depends on them."))
	case m.src == nil:
		return []string{st.Muted.Render("No Prometheus is configured for this context, and SLO burn is PromQL."),
			st.Muted.Render("Add prometheus: {url: ...} to the context; see `reltui config check`.")}
	case len(m.items) == 0 && !m.searchDone:
		return []string{st.Muted.Render("Looking for SLOs in the config and in Prometheus's rules…")}
	case len(m.items) == 0:
		var out []string
		for _, l := range m.searched.NoneFound() {
			out = append(out, st.Muted.Render(sanitize.Line(l)))
		}
		return out
	case len(m.visible) == 0:
		return []string{st.Muted.Render(fmt.Sprintf("No SLO matches %q (esc clears the filter).", m.filter.Value()))}
	}
	out := pane.Body(m.listHeight()+1, []string{st.Header.Render(m.listHeader())}, m.top, len(m.visible), m.row)
	return append(append(out, ""), m.detail()...)
}

// listHeight is how many SLO rows show: all when they fit beside a
// detail with the smallest chart.
func (m *Model) listHeight() int {
	used := 1 + len(m.noticeLines()) + 2 // header, notices, list header, blank
	room := m.height - used - detailFixed - minChart
	return max(1, min(len(m.visible), room))
}

func (m *Model) barWidth() int {
	if m.width >= 120 {
		return 20
	}
	return 10
}

func (m *Model) nameWidth() int {
	return max(8, min(36, m.width-2-statusWidth-(m.barWidth()+7)-burnWidth-2))
}

func (m *Model) listHeader() string {
	h := "  " + pane.PadRight("STATUS", statusWidth) + pane.PadRight("SLO", m.nameWidth()+1) + pane.PadRight("BUDGET LEFT", m.barWidth()+7) + pane.PadLeft("BURN 1h", burnWidth)
	if m.width >= 140 {
		h += "  WHY"
	}
	return h
}

func statusLabel(it *item) string {
	if !it.has {
		if it.err != nil {
			return "error"
		}
		return "…"
	}
	switch s := it.eval.Status; s {
	case slo.StatusPage, slo.StatusTicket:
		return strings.ToUpper(string(s))
	case slo.StatusLowTraffic:
		return "low traffic"
	default:
		return string(s)
	}
}

func (m *Model) row(p int) string {
	st := m.st
	it := &m.items[m.visible[p]]
	selected := p == m.sel
	marker := "  "
	if selected {
		marker = "▸ "
	}
	status := st.status(it.eval.Status).Render(pane.PadRight(statusLabel(it), statusWidth))
	if !it.has {
		status = st.NoData.Render(pane.PadRight(statusLabel(it), statusWidth))
	}
	name := pane.PadRight(ansi.Truncate(sanitize.Line(it.s.Name), m.nameWidth(), "…"), m.nameWidth()+1)
	line := marker + status + name + m.bar(it) + " " + pane.PadLeft(rateText(it.eval.BurnRate1h), burnWidth)
	if !it.has {
		line = marker + status + name + pane.PadRight("", m.barWidth()+7) + " " + pane.PadLeft("-", burnWidth)
	}
	if m.width >= 140 && it.has {
		line += "  " + st.Muted.Render(sanitize.Line(it.eval.Sentence()))
	}
	if selected {
		line = st.Selected.Render(ansi.Truncate(line, m.width, "…") + strings.Repeat(" ", max(0, m.width-lipgloss.Width(line))))
	}
	return line
}

// bar draws the budget left: filled cells for what remains, then the
// percentage. Unknown and overspent budgets say so in words.
func (m *Model) bar(it *item) string {
	st := m.st
	bw := m.barWidth()
	e := it.eval
	if !e.BudgetKnown {
		return st.BarEmpty.Render(strings.Repeat("░", bw)) + pane.PadRight(" ?", 6)
	}
	f := math.Min(math.Max(e.BudgetRemaining, 0), 1)
	n := int(math.Round(f * float64(bw)))
	full := st.BarFull
	switch {
	case e.BudgetRemaining < 0.25:
		full = st.Page
	case e.BudgetRemaining < 0.5:
		full = st.Ticket
	}
	pct := slo.FormatPercent(e.BudgetRemaining)
	if e.BudgetRemaining < 0 {
		pct = "spent"
	}
	return full.Render(strings.Repeat("█", n)) + st.BarEmpty.Render(strings.Repeat("░", bw-n)) + " " + pane.PadRight(pct, 6)
}

// detail is the selected SLO: what it promises, the sentence, the alert
// table and the burn chart.
func (m *Model) detail() []string {
	st := m.st
	it, ok := m.selected()
	if !ok {
		return nil
	}
	s := it.s
	title := st.Title.Render(sanitize.Line(s.Name)) + st.Muted.Render(fmt.Sprintf(" · objective %s over %s", objective(s.Objective), slo.FormatPromDuration(s.Window)))
	// The source comes before the service: at 80 columns the title is cut
	// at its end, and where an SLO came from is the less guessable part.
	if s.Source != "" {
		title += st.Muted.Render(" · from " + sanitize.Line(string(s.Source)))
	}
	if s.Service != "" {
		title += st.Muted.Render(" · service " + sanitize.Line(s.Service))
	}
	if it.err != nil {
		kind, msg := pane.ErrText(it.err)
		title += st.ErrorMsg.Render(" · stale: ") + kind + ": " + msg
	}
	out := []string{title}
	if !it.has {
		if it.err == nil {
			out = append(out, st.Muted.Render("Evaluating…"))
		}
		return out
	}
	e := it.eval
	out = append(out, st.status(e.Status).Render(sanitize.Line(e.Sentence())))
	out = append(out, st.Header.Render(fmt.Sprintf("  %-8s %-6s %-6s %8s %10s %10s  %s", "severity", "long", "short", "factor", "long rate", "short rate", "firing")))
	for _, c := range e.Conditions {
		firing := "no"
		switch {
		case c.Firing:
			firing = strings.ToUpper("firing")
		case c.LowTraffic:
			firing = "low traffic"
		case c.Missing:
			firing = "no data"
		}
		line := fmt.Sprintf("  %-8s %-6s %-6s %8s %10s %10s  ", c.Severity, slo.FormatPromDuration(c.Long), slo.FormatPromDuration(c.Short),
			slo.FormatRate(c.Factor), rateText(c.LongRate), rateText(c.ShortRate))
		if c.Firing {
			out = append(out, st.status(slo.Status(c.Severity)).Render(line+firing))
		} else {
			out = append(out, line+st.Muted.Render(firing))
		}
	}
	used := 1 + len(m.noticeLines()) + 2 + m.listHeight()
	chartH := min(maxChart, max(minChart, m.height-used-detailFixed))
	return append(out, m.chart(it, chartH)...)
}

// chart draws the burn history as columns of eighth blocks, with the
// fastest page factor as a dashed line: a column above it is burning
// fast enough to page (if the 5m window agrees).
func (m *Model) chart(it *item, h int) []string {
	st := m.st
	const labelW = 7
	cw := max(10, m.width-labelW-1)
	factor := math.NaN()
	if len(it.eval.Conditions) > 0 {
		factor = it.eval.Conditions[0].Factor
	}
	cols := resample(it.hist, cw)
	peak := 0.0
	for _, v := range cols {
		if finite(v) {
			peak = math.Max(peak, v)
		}
	}
	top := peak
	if finite(factor) {
		top = math.Max(top, factor)
	}
	top = math.Max(top*1.1, 0.1)
	label := fmt.Sprintf("burn rate over %s, last %s", slo.FormatPromDuration(slo.HistoryWindow), slo.FormatPromDuration(History))
	if len(it.hist) == 0 {
		label += " · no history"
		if it.histErr != nil {
			_, msg := pane.ErrText(it.histErr)
			label += ": " + msg
		}
	} else {
		label += " · peak " + slo.FormatRate(peak)
	}
	if finite(factor) {
		label += " · ┄ page at " + slo.FormatRate(factor)
	}
	excluded := excludedColumns(it, cw)
	for _, x := range excluded {
		if x {
			label += " · ░ excluded"
			break
		}
	}
	out := []string{st.Muted.Render(label)}
	thresholdRow := -1
	if finite(factor) {
		thresholdRow = h - 1 - int(math.Floor(factor/top*float64(h)))
	}
	for r := 0; r < h; r++ {
		yl := ""
		switch r {
		case 0:
			yl = slo.FormatRate(top)
		case thresholdRow:
			yl = slo.FormatRate(factor)
		case h - 1:
			yl = "0×"
		}
		var b strings.Builder
		b.WriteString(st.Muted.Render(pane.PadLeft(yl, labelW) + "│"))
		// Cells are styled in runs: one Render per run of the same style,
		// not one per cell.
		var run strings.Builder
		runStyle := -1
		styles := []*lipgloss.Style{&st.Chart, &st.ChartHot, &st.Threshold, &st.Muted}
		emit := func(style int, cell string) {
			if style != runStyle && run.Len() > 0 {
				if runStyle < 0 {
					b.WriteString(run.String())
				} else {
					b.WriteString(styles[runStyle].Render(run.String()))
				}
				run.Reset()
			}
			runStyle = style
			run.WriteString(cell)
		}
		for i, v := range cols {
			cell, style := " ", -1
			if finite(v) {
				eighths := int(math.Round(v / top * float64(h*8)))
				if lvl := min(max(eighths-(h-1-r)*8, 0), 8); lvl > 0 {
					cell, style = string([]rune(" ▁▂▃▄▅▆▇█")[lvl]), 0
					if finite(factor) && v >= factor {
						style = 1
					}
				}
			}
			switch {
			case style >= 0:
			case r == h-1 && excluded[i]:
				cell, style = "░", 3
			case r == thresholdRow:
				cell, style = "┄", 2
			}
			emit(style, cell)
		}
		emit(-2, "")
		out = append(out, b.String())
	}
	axis := strings.Repeat(" ", labelW) + "└"
	left, mid, right := "-"+slo.FormatPromDuration(History), "-"+slo.FormatPromDuration(History/2), "now"
	if !m.live && !m.to.IsZero() {
		right = m.evalAt().UTC().Format("15:04")
	}
	gap := cw - len(left) - len(mid) - len(right)
	if gap >= 2 {
		axis += left + strings.Repeat(" ", gap/2) + mid + strings.Repeat(" ", gap-gap/2) + right
	}
	return append(out, st.Muted.Render(axis))
}

// excludedColumns marks the chart's columns (n of them, spread like
// resample's over the history's span) that fall in an excluded period.
func excludedColumns(it *item, n int) []bool {
	out := make([]bool, n)
	if len(it.hist) < 2 || len(it.s.Exclusions) == 0 || n <= 0 {
		return out
	}
	from, to := it.hist[0].Time, it.hist[len(it.hist)-1].Time
	span := to.Sub(from)
	for i := range out {
		t := from.Add(time.Duration(float64(span) * (float64(i) + 0.5) / float64(n)))
		for _, x := range it.s.Exclusions {
			if !t.Before(x.From) && t.Before(x.To) {
				out[i] = true
			}
		}
	}
	return out
}

// resample fits points into n columns, each the maximum of the points
// that fall in it (a spike must not vanish when squeezed); NaN where a
// column has no finite point.
func resample(ps []slo.Point, n int) []float64 {
	out := make([]float64, 0, n)
	if len(ps) == 0 {
		return out
	}
	if len(ps) <= n {
		// Stretch: each column shows the point under it.
		for c := 0; c < n; c++ {
			out = append(out, ps[c*len(ps)/n].Rate)
		}
		return out
	}
	for c := 0; c < n; c++ {
		lo, hi := c*len(ps)/n, (c+1)*len(ps)/n
		v := math.NaN()
		for _, p := range ps[lo:max(hi, lo+1)] {
			if finite(p.Rate) && (math.IsNaN(v) || p.Rate > v) {
				v = p.Rate
			}
		}
		out = append(out, v)
	}
	return out
}

func objective(o float64) string {
	p := o * 100
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", p), "0"), ".") + "%"
}
