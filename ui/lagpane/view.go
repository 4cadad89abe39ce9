package lagpane

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// detailLines is the selected row's explanation under the list.
const detailLines = 2

// View draws the pane in exactly its area.
func (m *Model) View() string {
	return pane.Fit(m.width, m.height, func() []string {
		return append(append([]string{m.headerLine()}, m.noticeLines()...), m.body()...)
	})
}

func (m *Model) headerLine() string {
	st := m.st
	groups := map[string]bool{}
	counts := map[lag.Status]int{}
	for _, t := range m.topics {
		groups[t.Group] = true
		counts[t.Status]++
	}
	src := m.srcName
	if src == "" {
		src = "?"
	}
	parts := []string{st.Title.Render("Lag"), "from " + src}
	if m.hasData {
		parts = append(parts, counted(len(groups), "group", "groups")+", "+counted(len(m.topics), "topic", "topics"))
		for _, s := range []lag.Status{lag.StatusStop, lag.StatusStall, lag.StatusRewind, lag.StatusWarn, lag.StatusErr} {
			if n := counts[s]; n > 0 {
				parts = append(parts, st.status(s).Render(fmt.Sprintf("%d %s", n, s)))
			}
		}
		parts = append(parts, "at "+m.shownAt.UTC().Format("15:04:05")+" UTC")
	}
	dir := ""
	if m.reverse {
		dir = " (reversed)"
	}
	parts = append(parts, "window "+shortDur(m.window), "sort: "+sortNames[m.sortKey]+dir)
	line := strings.Join(parts, st.Muted.Render(" · "))
	if m.fetch.Busy() {
		line += " " + m.fetch.Spinner()
	}
	return line
}

func (m *Model) noticeLines() []string {
	since := ""
	if m.hasData {
		since = shortDur(m.now().Sub(m.shownAt))
	}
	out := pane.Notices{Err: m.fetch.Err(), Since: since, Warnings: m.warnings, Flash: m.flash}.Lines(m.st.BaseStyles)
	return append(out, m.filter.Lines(fmt.Sprintf("  (%d of %d group/topics shown; esc clears)", m.shownTopics(), len(m.topics)))...)
}

// columns are the list's widths for the pane's width.
type columns struct{ name, msgs, secs, method, trend int }

func (m *Model) cols() columns {
	c := columns{msgs: 10, secs: 10, method: 7, trend: 12}
	if m.width >= 140 {
		c.method, c.trend = 14, 30
	}
	c.name = max(12, m.width-2-8-c.msgs-c.secs-c.method-c.trend-4)
	c.name = min(c.name, 60)
	return c
}

func (m *Model) body() []string {
	st := m.st
	switch {
	case m.src == nil:
		return []string{st.Muted.Render("Consumer lag needs Prometheus with kafka_exporter's series, or kafka: brokers in the context."),
			st.Muted.Render("See `reltui config check`.")}
	case !m.hasData && m.fetch.Err() == nil:
		return []string{st.Muted.Render("Reading offsets…")}
	case m.hasData && len(m.topics) == 0:
		return []string{st.Muted.Render("No consumer groups have lag series (kafka_consumergroup_lag is empty)."),
			st.Muted.Render("Check that kafka_exporter is scraped, or set lag.queries in the context.")}
	case !m.hasData:
		return nil
	case len(m.rows) == 0:
		return []string{st.Muted.Render(fmt.Sprintf("No group or topic matches %q (esc clears the filter).", m.filter.Value()))}
	}
	c := m.cols()
	head := "  " + pane.PadRight("STATUS", 8) + pane.PadRight("GROUP / TOPIC", c.name+1) + pane.PadLeft("LAG MSGS", c.msgs) + pane.PadLeft("LAG SECS", c.secs) + "  " + pane.PadRight("METHOD", c.method) + " TREND"
	out := pane.Body(m.listHeight()+1, []string{st.Header.Render(head)}, m.top, len(m.rows), func(i int) string { return m.row(i, c) })
	return append(out, m.detail()...)
}

func (m *Model) row(i int, c columns) string {
	st := m.st
	r := m.rows[i]
	t := m.topics[r.topic]
	var (
		status  lag.Status
		name    string
		msgs    float64
		secs    float64
		method  lag.Method
		trend   []float64
		indent  string
		foldTag string
	)
	if r.part < 0 {
		status, msgs, secs, method, trend = t.Status, t.LagMessages, t.LagSeconds, t.Method, t.Trend
		name = t.Group + " / " + t.Topic
		foldTag = "▸ "
		if m.expanded[[2]string{t.Group, t.Topic}] {
			foldTag = "▾ "
		}
	} else {
		p := t.Partitions[r.part]
		status, msgs, secs, method, trend = p.Verdict.Status, p.LagMessages, p.LagSeconds, p.Method, p.Trend
		name = fmt.Sprintf("partition %d", p.Partition)
		indent = "  └ "
	}
	marker := "  "
	if i == m.sel {
		marker = "> "
	}
	label := ansi.Truncate(indent+foldTag+sanitize.Line(name), c.name, "…")
	line := marker + st.status(status).Render(pane.PadRight(string(status), 8)) + pane.PadRight(label, c.name+1) +
		pane.PadLeft(fmt.Sprintf("%.0f", msgs), c.msgs) + pane.PadLeft(secondsText(secs), c.secs) + "  " +
		st.Muted.Render(pane.PadRight(methodText(method, c.method), c.method)) + " " + st.Spark.Render(sparkline(trend, c.trend))
	if i == m.sel {
		w := lipgloss.Width(line)
		line = st.Selected.Render(line + strings.Repeat(" ", max(0, m.width-w)))
	}
	return line
}

// detail explains the selected row: Burrow's reason and how the lag in
// seconds was worked out.
func (m *Model) detail() []string {
	st := m.st
	if m.sel >= len(m.rows) {
		return nil
	}
	r := m.rows[m.sel]
	t := m.topics[r.topic]
	var reason string
	method := t.Method
	if r.part < 0 {
		for _, p := range t.Partitions {
			if p.Verdict.Status == t.Status {
				reason = fmt.Sprintf("partition %d: %s", p.Partition, p.Verdict.Reason)
				break
			}
		}
		reason = fmt.Sprintf("%s (worst of %d partitions) — %s", t.Status, len(t.Partitions), reason)
	} else {
		p := t.Partitions[r.part]
		method = p.Method
		reason = fmt.Sprintf("%s — %s", p.Verdict.Status, p.Verdict.Reason)
	}
	how := map[lag.Method]string{
		lag.MethodInterpolated: "seconds interpolated from the log-end offset history",
		lag.MethodRate:         "seconds = messages ÷ consume rate (history too short)",
		lag.MethodUnknown:      "seconds unknown: no offset history, no consume rate",
	}[method]
	return []string{st.status(lagStatus(t, r)).Render(sanitize.Line(reason)), st.Muted.Render(how)}
}

func lagStatus(t lag.Topic, r rowRef) lag.Status {
	if r.part < 0 {
		return t.Status
	}
	return t.Partitions[r.part].Verdict.Status
}

func methodText(m lag.Method, w int) string {
	if w >= 12 {
		return string(m)
	}
	switch m {
	case lag.MethodInterpolated:
		return "interp"
	case lag.MethodRate:
		return "rate"
	}
	return "?"
}

// secondsText writes a lag in seconds the way people read it.
func secondsText(s float64) string {
	switch {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return "-"
	case s < 60:
		return fmt.Sprintf("%.1fs", s)
	}
	return shortDur(time.Duration(s * float64(time.Second)))
}

func shortDur(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		if s := int(d.Seconds()) % 60; s != 0 {
			return fmt.Sprintf("%dm%02ds", int(d.Minutes()), s)
		}
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// sparkline draws vs in at most w cells, each the largest value of its
// share of the points, scaled from 0 to the peak.
func sparkline(vs []float64, w int) string {
	if len(vs) == 0 || w <= 0 {
		return ""
	}
	n := min(w, len(vs))
	cols := make([]float64, n)
	peak := 0.0
	for c := 0; c < n; c++ {
		lo, hi := c*len(vs)/n, max((c+1)*len(vs)/n, c*len(vs)/n+1)
		v := 0.0
		for _, x := range vs[lo:hi] {
			if !math.IsNaN(x) {
				v = math.Max(v, x)
			}
		}
		cols[c] = v
		peak = math.Max(peak, v)
	}
	levels := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, v := range cols {
		i := 0
		if peak > 0 {
			i = int(math.Round(v / peak * float64(len(levels)-1)))
		}
		b.WriteRune(levels[i])
	}
	return b.String()
}

// counted writes "1 group" or "3 groups".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
