package metrics

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// Live refresh. A live range re-runs what the pane shows every cadence:
// one query step, never faster than the scrape interval (nothing new can
// have arrived) and never slower than maxCadence. A refresh still running
// when the next is due is dropped, not queued. A hidden pane does not
// refresh: the tick notes that a refresh is due and stops, and the pane
// refreshes when it is shown again. A fixed range never refreshes.

// DefaultScrapeInterval is the scrape interval assumed when the context
// does not name one.
const DefaultScrapeInterval = 15 * time.Second

// maxCadence is the slowest live refresh.
const maxCadence = 30 * time.Second

// Ticker starts a cancellable timer that answers fn(now) after d;
// pane.Tick is the real one, tests pass their own.
type Ticker func(ctx context.Context, d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd

// tickMsg is the live-refresh timer firing; gen tells a current timer
// from one a range change or a show replaced.
type tickMsg struct {
	pane string
	gen  int
}

func (m tickMsg) PaneID() string { return m.pane }

// cadence is how often a live range refreshes.
func (m *Model) cadence() time.Duration {
	from, to := m.resolve()
	return liveCadence(m.step(from, to), m.scrape)
}

// liveCadence clamps one step to [scrape, maxCadence].
func liveCadence(step, scrape time.Duration) time.Duration {
	if scrape <= 0 {
		scrape = DefaultScrapeInterval
	}
	return min(max(step, scrape), maxCadence)
}

// startTick arms the refresh timer for a live range on a shown pane; any
// earlier timer becomes stale.
func (m *Model) startTick() tea.Cmd {
	gen, ok := m.shown.Arm()
	if !ok || !m.rng.Live() || m.src == nil {
		return nil
	}
	id := m.base.ID
	return m.ticker(m.ctx, m.cadence(), func(time.Time) tea.Msg { return tickMsg{pane: id, gen: gen} })
}

// onTick refreshes when the timer fires, unless the refresh before is
// still out, and re-arms the timer.
func (m *Model) onTick(gen int) tea.Cmd {
	if !m.rng.Live() || !m.shown.Fire(gen) {
		return nil
	}
	var cmd tea.Cmd
	if !m.busy() {
		cmd = m.liveRefresh()
	}
	return tea.Batch(cmd, m.startTick())
}

// onVisible follows the root showing or hiding the pane. Shown again
// with a live range, it refreshes at once when a refresh fell due while
// hidden or the data is older than one cadence.
func (m *Model) onVisible(v pane.VisibleMsg) tea.Cmd {
	back, due := m.shown.Visible(v)
	if !m.rng.Live() || !back {
		return nil
	}
	var cmd tea.Cmd
	at, ok := m.dataAt()
	if !m.busy() && (due || !ok || m.base.Now().Sub(at) >= m.cadence()) {
		cmd = m.liveRefresh()
	}
	return tea.Batch(cmd, m.startTick())
}

// busy reports whether the mode's query is still out.
func (m *Model) busy() bool {
	if m.mode == modeQuery {
		return m.qReq.Busy()
	}
	return m.sigReq.Busy() || m.svcReq.Busy()
}

// liveRefresh re-runs what is shown, keeping the cursor and the selected
// exemplar (refresh itself changes neither).
func (m *Model) liveRefresh() tea.Cmd {
	if m.mode == modeQuery {
		if m.qExpr == "" {
			return nil
		}
		return m.runQuery(m.qExpr)
	}
	return m.refresh()
}

// dataAt is the end of the window the data on screen was queried over:
// its age is now minus this.
func (m *Model) dataAt() (time.Time, bool) {
	ps := m.shownPanels()
	if len(ps) == 0 || ps[0].to.IsZero() {
		return time.Time{}, false
	}
	return ps[0].to, true
}

// ageLabel says how old the data on screen is, for the header.
func (m *Model) ageLabel() string {
	at, ok := m.dataAt()
	if !ok {
		return ""
	}
	age := max(0, m.base.Now().Sub(at)).Round(time.Second)
	if !m.rng.Live() {
		return ""
	}
	return "data " + fmtDur(age) + " old, every " + fmtDur(m.cadence())
}
