package pane

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// RefreshTickMsg is a Refresher's timer going off; it is routed to the
// pane that owns the Refresher.
type RefreshTickMsg struct {
	Pane string
	Gen  int
}

// PaneID implements Routed.
func (m RefreshTickMsg) PaneID() string { return m.Pane }

// Refresher is a pane's periodic refresh: a cancellable timer that goes
// off every Every, and whose tick refreshes unless the pane's request is
// still out (an overlapping refresh is dropped, not queued: the one
// running brings the fresh data). Start arms it; Stop and a new Start make
// the ticks already on their way stale. It is part of the pane's model
// and only touched from Update.
type Refresher struct {
	pane  string
	every time.Duration
	gen   int
}

// NewRefresher is a stopped refresher for the pane id, going off every
// every once started.
func NewRefresher(id string, every time.Duration) Refresher {
	return Refresher{pane: id, every: every}
}

// Every is how often the refresher goes off.
func (r *Refresher) Every() time.Duration { return r.every }

// Start (re)arms the timer under ctx and returns the Cmd of its first
// tick; a tick of an earlier Start is stale from now on.
func (r *Refresher) Start(ctx context.Context) tea.Cmd {
	r.gen++
	return r.next(ctx)
}

// Stop makes every tick on its way stale.
func (r *Refresher) Stop() { r.gen++ }

// Tick handles a tick: ok is false, and nothing happens, when msg is
// stale or another pane's. Otherwise cmd is the next tick, batched with
// refresh() unless busy.
func (r *Refresher) Tick(ctx context.Context, msg RefreshTickMsg, busy bool, refresh func() tea.Cmd) (cmd tea.Cmd, ok bool) {
	if msg.Pane != r.pane || msg.Gen != r.gen {
		return nil, false
	}
	if !busy {
		cmd = refresh()
	}
	return tea.Batch(cmd, r.next(ctx)), true
}

// Current is the tick the armed timer will send, for tests.
func (r *Refresher) Current() RefreshTickMsg { return RefreshTickMsg{Pane: r.pane, Gen: r.gen} }

func (r *Refresher) next(ctx context.Context) tea.Cmd {
	msg := r.Current()
	return Tick(ctx, r.every, func(time.Time) tea.Msg { return msg })
}
