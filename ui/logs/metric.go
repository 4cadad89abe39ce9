package logs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// A metric query (a LogQL metric query on Loki, a LogsQL query with a
// `| stats` pipe on VictoriaLogs) is drawn as a chart of its series in
// place of the line list. The backend says which queries are metric
// queries (sources.LogMetrics); a source without LogMetrics runs every
// query as a log query.

// plot is a metric query's answer, ready to draw.
type plot struct {
	expr     string
	from, to time.Time
	step     time.Duration
	series   []chart.Series
	labels   []map[string]string // labels[i] are series[i]'s
	at       time.Time
}

// metric runs one metric query. Like query it captures its inputs by
// value and touches no model state; series are named and sanitized here,
// off the UI goroutine.
func metric(lm sources.LogMetrics, expr string, from, to time.Time) func(context.Context) (answer, error) {
	return func(ctx context.Context) (answer, error) {
		step := sources.DefaultMetricStep(from, to)
		ss, warns, err := lm.MetricRange(ctx, expr, from, to, step)
		a := answer{metric: true, plot: plot{expr: expr, from: from, to: to, step: step}}
		for _, w := range warns {
			a.warnings = append(a.warnings, sanitize.Line(w))
		}
		if err == nil {
			a.plot.series, a.plot.labels = chartSeries(ss)
		}
		return a, err
	}
}

// chartSeries turns series into chart lines named by the labels that tell
// them apart, sorted by name so that a redraw keeps each line's colour,
// and returns each line's (sanitized) labels in the same order.
func chartSeries(ss []sources.Series) ([]chart.Series, []map[string]string) {
	labels := make([]map[string]string, len(ss))
	for i, s := range ss {
		labels[i] = make(map[string]string, len(s.Labels))
		for k, v := range s.Labels {
			labels[i][sanitize.Line(k)] = sanitize.Line(v)
		}
	}
	names := chart.SeriesNames(labels, "", "value")
	out := make([]chart.Series, len(ss))
	for i, s := range ss {
		out[i] = chart.Series{Name: names[i], Points: make([]chart.Point, len(s.Samples))}
		for j, p := range s.Samples {
			out[i].Points[j] = chart.Point{T: p.Time, V: p.Value}
		}
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return out[idx[a]].Name < out[idx[b]].Name })
	sorted, sortedLabels := make([]chart.Series, len(out)), make([]map[string]string, len(out))
	for i, j := range idx {
		sorted[i], sortedLabels[i] = out[j], labels[j]
	}
	return sorted, sortedLabels
}

// onMetric takes a metric query's accepted answer: the chart replaces the
// lines. After an error the previous chart or lines stay; the view marks
// them stale.
func (m *Model) onMetric(msg resultMsg) {
	m.wantTail = false
	if msg.Err != nil {
		return
	}
	p := msg.Value.plot
	p.at = m.now()
	if m.plot == nil || m.plot.expr != p.expr || m.cursor.Before(p.from) || m.cursor.After(p.to) {
		m.cursor, m.curSeries = time.Time{}, 0
	}
	m.plot = &p
	m.warnings = msg.Value.warnings
	// The lines are gone from view: nothing of them can be selected,
	// filtered, copied or tailed any more.
	m.buf.reset(nil)
	m.hasResult, m.limitHit, m.flt, m.showCtx = false, false, nil, false
	clear(m.expanded)
	m.sel, m.top = 0, 0
}

// chartKey handles keys while a chart is shown: only editing, re-running
// and cancelling apply.
func (m *Model) chartKey(msg tea.KeyMsg) tea.Cmd {
	if cmd, ok := m.chartNav(msg); ok {
		return cmd
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Edit):
		return m.edit()
	case key.Matches(msg, k.Tail):
		m.flash = "the live tail follows log queries; this is a metric query"
	case key.Matches(msg, k.Link):
		return m.copyLink()
	case key.Matches(msg, k.Back):
		return m.back()
	}
	return nil
}

// chartStatus is the status line's left part while a chart is shown.
func (m *Model) chartStatus() []string {
	st := &m.st
	p := m.plot
	if m.query.Busy() {
		return []string{m.spin.View() + st.Subtle.Render("querying "+m.rangeLabel(m.queryFrom, m.queryTo)+"…"),
			st.Muted.Render("showing the earlier chart")}
	}
	parts := []string{
		st.Subtle.Render(fmt.Sprintf("%d series", len(p.series))),
		st.Muted.Render(m.rangeLabel(p.from, p.to) + " · step " + p.step.String()),
	}
	if m.lastErr() != nil {
		parts = append(parts, st.WarnMsg.Render("stale, "+pane.Age(m.now().Sub(p.at))+" old"))
	}
	return append(parts, st.Muted.Render(m.cursorReading()))
}

// chartLines draws the chart in exactly h lines.
func (m *Model) chartLines(h int) []string {
	p := m.plot
	c := chart.Chart{
		Title: m.dialect().Language() + " metric query", From: p.from, To: p.to, Step: p.step,
		Series: p.series, ZeroBased: true, Loc: m.loc, Cursor: m.cursor,
		Empty: "no data: nothing matched in " + m.rangeLabel(p.from, p.to),
	}
	if m.lastErr() != nil {
		c.Title += " (stale)"
	}
	return strings.Split(chart.Render(c, m.width, h, m.st.Chart), "\n")
}

// chartStill is what the error line says still works while a chart is
// shown.
func (m *Model) chartStill() string {
	return "showing the previous chart from " + pane.Age(m.now().Sub(m.plot.at)) + " ago"
}
