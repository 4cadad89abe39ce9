package logs

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/chart"
)

// chartSaved is the chart a press of L left, for esc to return to.
type chartSaved struct {
	plot           plot
	cursor         time.Time
	series         int
	from, to       time.Time
	live, rangeSet bool
}

// chartNav handles the cursor keys on a metric query's chart: ←/→ move
// the cursor one step, g/G to the ends, ↑/↓ choose the series, L shows
// the lines behind the chosen series at the cursor. It reports whether
// the key was one of them.
func (m *Model) chartNav(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, p := m.keys, m.plot
	switch {
	case key.Matches(msg, k.Left):
		m.moveCursor(-1)
	case key.Matches(msg, k.Right):
		m.moveCursor(1)
	case key.Matches(msg, k.Top):
		m.cursor = p.from.Add(p.step).Truncate(p.step)
	case key.Matches(msg, k.Bottom):
		m.cursor = lastBucket(p)
	case key.Matches(msg, k.Up):
		m.pickSeries(-1)
	case key.Matches(msg, k.Down):
		m.pickSeries(1)
	case key.Matches(msg, k.Logs):
		return m.linesBehind(), true
	default:
		return nil, false
	}
	return nil, true
}

// lastBucket is the newest step boundary inside the chart.
func lastBucket(p *plot) time.Time {
	if p.step <= 0 {
		return p.to
	}
	return p.to.Truncate(p.step)
}

func (m *Model) moveCursor(d int) {
	p := m.plot
	if p.step <= 0 {
		return
	}
	if m.cursor.IsZero() {
		m.cursor = lastBucket(p)
		return
	}
	c := m.cursor.Add(time.Duration(d) * p.step)
	if c.Before(p.from) || c.After(p.to) {
		return
	}
	m.cursor = c
}

func (m *Model) pickSeries(d int) {
	n := len(m.plot.series)
	if n == 0 {
		return
	}
	m.curSeries = ((m.curSeries+d)%n + n) % n
	if m.cursor.IsZero() {
		m.cursor = lastBucket(m.plot)
	}
}

// cursorReading is the status line's part about the cursor: when, which
// series and its value there.
func (m *Model) cursorReading() string {
	p := m.plot
	if m.cursor.IsZero() || len(p.series) == 0 {
		return "←/→ cursor, ↑/↓ series, L lines"
	}
	s := p.series[min(m.curSeries, len(p.series)-1)]
	val := "no value"
	if v, ok := chart.ValueAt(s.Points, m.cursor, p.step); ok {
		val = fmt.Sprintf("%g", v)
	}
	return fmt.Sprintf("%s · %s = %s · L lines", m.cursor.In(m.loc).Format("15:04:05"), s.Name, val)
}

// linesBehind runs the log query behind the chosen series over the bucket
// at the cursor; esc comes back to the chart.
func (m *Model) linesBehind() tea.Cmd {
	p := m.plot
	if len(p.series) == 0 {
		m.flash = "no series to show lines for"
		return nil
	}
	if m.cursor.IsZero() {
		m.cursor = lastBucket(p)
	}
	i := min(m.curSeries, len(p.series)-1)
	var labels map[string]string
	if i < len(p.labels) {
		labels = p.labels[i]
	}
	var q string
	var rng time.Duration
	var ok bool
	switch m.dialect().Language() {
	case "LogQL":
		if q, rng, ok = logQLBehind(p.expr); ok {
			q = narrowLogQL(q, labels)
		}
	case "LogsQL":
		if q, ok = logsQLBehind(p.expr); ok {
			q = narrowLogsQL(q, labels)
		}
	}
	if !ok {
		m.flash = "cannot find the log query inside this metric query; edit it (i) into a log query"
		return nil
	}
	from, to := m.cursor.Add(-max(rng, p.step)), m.cursor.Add(p.step)
	m.chartBack = &chartSaved{plot: *p, cursor: m.cursor, series: i, from: m.from, to: m.to, live: m.live, rangeSet: m.rangeSet}
	m.SetRange(from, to, false)
	m.editor.SetValue(sanitize.Line(q))
	m.flash = fmt.Sprintf("lines behind %s at %s; esc back to the chart", p.series[i].Name, m.cursor.In(m.loc).Format("15:04:05"))
	return m.runQuery(q)
}

// backToChart restores the chart L left, without asking the backend again.
func (m *Model) backToChart() {
	b := m.chartBack
	m.chartBack = nil
	m.cancelQuery()
	m.stopTail()
	m.from, m.to, m.live, m.rangeSet = b.from, b.to, b.live, b.rangeSet
	p := b.plot
	m.plot, m.cursor, m.curSeries = &p, b.cursor, b.series
	m.queryExpr = p.expr
	m.editor.SetValue(sanitize.Line(p.expr))
	m.query.Reset() // forgets the error of the query that left the chart
	m.older.Reset()
	m.warnings = nil
	m.buf.reset(nil)
	m.hasResult, m.limitHit, m.flt, m.showCtx = false, false, nil, false
	clear(m.expanded)
	m.sel, m.top = 0, 0
}
