package logs

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// On a live range a metric query's chart re-runs on a cadence that fits
// its step: one step, never faster than chartRefreshMin, never slower
// than chartRefreshMax. A refresh still out when the next is due is
// dropped; the cursor and the chosen series stay (onMetric keeps them for
// the same query). A fixed range never refreshes. While the root shows
// another pane the chart does not refresh: a tick then notes that a
// refresh is due and stops, and the pane refreshes when shown again.

const (
	chartRefreshMin = 15 * time.Second
	chartRefreshMax = 30 * time.Second
)

// chartTickMsg asks for the chart's next refresh; gen drops the ticks of
// an earlier chart.
type chartTickMsg struct {
	pane string
	gen  int
}

// PaneID implements pane.Routed.
func (m chartTickMsg) PaneID() string { return m.pane }

// chartCadence is how often a chart of step refreshes.
func chartCadence(step time.Duration) time.Duration {
	return min(max(step, chartRefreshMin), chartRefreshMax)
}

// isLive reports whether the pane's range follows now.
func (m *Model) isLive() bool { return m.live || !m.rangeSet }

// scheduleChart arms the next refresh of the chart on screen, if live.
func (m *Model) scheduleChart() tea.Cmd {
	gen, ok := m.chartLive.Arm()
	if !ok || m.plot == nil || !m.isLive() {
		return nil
	}
	id := m.id
	return pane.Tick(m.ctx, chartCadence(m.plot.step), func(time.Time) tea.Msg { return chartTickMsg{pane: id, gen: gen} })
}

// onChartTick re-runs the chart's query, unless something is already out
// (then this refresh is dropped and the next one armed).
func (m *Model) onChartTick(msg chartTickMsg) tea.Cmd {
	if m.plot == nil || !m.isLive() || !m.chartLive.Fire(msg.gen) {
		return nil
	}
	if m.query.Busy() || m.mode == modeEdit {
		return m.scheduleChart()
	}
	return m.runQuery(m.plot.expr)
}

// onVisible follows the root showing or hiding the pane. Shown again with
// a live chart, it refreshes at once when a refresh fell due while hidden
// or the chart is older than one cadence, and otherwise re-arms the timer.
func (m *Model) onVisible(v pane.VisibleMsg) tea.Cmd {
	back, due := m.chartLive.Visible(v)
	if !back || m.plot == nil || !m.isLive() {
		return nil
	}
	due = due || m.now().Sub(m.plot.at) >= chartCadence(m.plot.step)
	if due && !m.query.Busy() && m.mode != modeEdit {
		return m.runQuery(m.plot.expr)
	}
	return m.scheduleChart()
}
