package logs

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// A hidden pane's live chart does not refresh: its tick notes the refresh
// is due and stops. Shown again it refreshes at once when due (or older
// than one cadence), and otherwise only re-arms its timer.
func TestHiddenChartRefreshesOnlyWhenShown(t *testing.T) {
	m, src, clk := chartModel(t)
	n := src.metrics.Load()
	cadence := chartCadence(m.plot.step)

	// Shown from the start: a show that hides nothing changes nothing.
	if cmd := cmdOf(m.Update(pane.VisibleMsg{Visible: true})); cmd != nil || src.metrics.Load() != n {
		t.Fatal("showing a shown pane did something")
	}

	// Hidden: the tick armed before runs nothing and arms nothing.
	m.Update(pane.VisibleMsg{})
	clk.Add(cadence)
	if cmd := cmdOf(m.Update(chartTickMsg{pane: m.id, gen: m.chartLive.Gen()})); cmd != nil || src.metrics.Load() != n || !m.chartLive.Due() {
		t.Fatalf("a hidden chart's tick: cmd %v, %d queries, due %v", cmd, src.metrics.Load()-n, m.chartLive.Due())
	}
	// An answer still out when the pane was hidden arms no tick either.
	if cmd := cmdOf(m.Update(metricAnswer(m, *m.plot))); cmd != nil {
		t.Error("an answer arrived while hidden armed a refresh")
	}

	// Shown with a refresh due: it runs at once.
	settle(m, cmdOf(m.Update(pane.VisibleMsg{Visible: true})))
	if src.metrics.Load() != n+1 || m.chartLive.Due() || m.chartLive.Hidden() {
		t.Fatalf("shown when due: %d queries, due %v", src.metrics.Load()-n, m.chartLive.Due())
	}

	// Hidden and shown again within a cadence: no query, the timer only.
	m.Update(pane.VisibleMsg{})
	clk.Add(cadence / 3)
	gen := m.chartLive.Gen()
	if cmd := cmdOf(m.Update(pane.VisibleMsg{Visible: true})); cmd == nil || m.chartLive.Gen() == gen || src.metrics.Load() != n+1 {
		t.Fatalf("shown before due: cmd %v, %d queries", cmd, src.metrics.Load()-n)
	}

	// Hidden longer than a cadence with no tick seen (the timer of a
	// stale generation): the chart's age makes it due.
	m.Update(pane.VisibleMsg{})
	clk.Add(2 * cadence)
	settle(m, cmdOf(m.Update(pane.VisibleMsg{Visible: true})))
	if src.metrics.Load() != n+2 {
		t.Fatalf("shown after %v: %d queries", 2*cadence, src.metrics.Load()-n)
	}

	// A fixed range never refreshes, shown or not.
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, false)
	m.Update(pane.VisibleMsg{})
	clk.Add(10 * cadence)
	if cmd := cmdOf(m.Update(pane.VisibleMsg{Visible: true})); cmd != nil || src.metrics.Load() != n+2 {
		t.Error("a fixed range refreshed when shown")
	}
}

// A range change replaces the live chart's refresh: the tick armed
// before it refreshes nothing, and over a fixed range none is armed. The
// pane's context ending (a context switch, the session closing) stops the
// timer itself: its Cmd returns at once, with nothing.
func TestRangeChangeAndContextCancelTheChartRefresh(t *testing.T) {
	m, src, _ := chartModel(t)
	old := m.chartLive.Gen()
	timer := m.scheduleChart()
	if timer == nil {
		t.Fatal("a live chart armed no refresh")
	}
	settle(m, cmdOf(m.Update(pane.RangeMsg{From: fixedNow.Add(-2 * time.Hour), To: fixedNow.Add(-time.Hour)})))
	n := src.metrics.Load()
	if n == 0 || m.plot == nil || m.isLive() {
		t.Fatalf("the range change did not re-run the chart: %d queries", n)
	}
	for _, gen := range []int{old, m.chartLive.Gen()} {
		if cmd := cmdOf(m.Update(chartTickMsg{pane: m.id, gen: gen})); cmd != nil || src.metrics.Load() != n {
			t.Fatalf("tick %d after the range change: cmd %v, %d more queries", gen, cmd, src.metrics.Load()-n)
		}
	}

	m.Close()
	done := make(chan tea.Msg, 1)
	go func() { done <- timer() }()
	select {
	case msg := <-done:
		if msg != nil {
			t.Fatalf("a cancelled timer sent %T", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the refresh timer outlived the pane's context")
	}
}

// chartModel is a 120×40 pane showing the live chart of metricExpr.
func chartModel(t *testing.T) (*Model, *metricSource, *panetest.Clock) {
	t.Helper()
	m, src, clk := newMetricModel(t, 120, 40)
	settle(m, press(m, "i", "enter"))
	if m.plot == nil {
		t.Fatal("no chart")
	}
	return m, src, clk
}

// cmdOf is the Cmd of an Update's two results.
func cmdOf(_ *Model, c tea.Cmd) tea.Cmd { return c }
