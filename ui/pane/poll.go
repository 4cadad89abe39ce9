package pane

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// PollConfig is what a Poll needs: the request's pane, timeout and
// clock, how often it refreshes, the pane's parent context and the
// spinner's style.
type PollConfig struct {
	Pane    string
	Timeout time.Duration
	Now     func() time.Time
	Every   time.Duration
	Parent  context.Context
	Spinner lipgloss.Style
}

// Poll is the refresh loop of a pane that reads one thing again on a
// timer: the Request (embedded: Busy, Err, ErrText, Seq, …), its
// Refresher and the spinner that turns while a run is out, all under the
// pane's lifetime context, which Close ends. The pane says what a refresh
// reads (Start) and what an answer does (the onResult of Update); the
// rest is here. It is part of the pane's model, touched only from Update.
type Poll[T any] struct {
	Request[T]
	timer  Refresher
	spin   Spinner
	ctx    context.Context
	cancel context.CancelFunc
}

// NewPoll builds a poll with no run out and its timer stopped; a nil
// Parent means context.Background().
func NewPoll[T any](c PollConfig) Poll[T] {
	parent := c.Parent
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	return Poll[T]{
		Request: NewRequest[T](RequestConfig{Pane: c.Pane, Timeout: c.Timeout, Now: c.Now}),
		timer:   NewRefresher(c.Pane, c.Every), spin: NewSpinner(c.Pane, c.Spinner),
		ctx: ctx, cancel: cancel,
	}
}

// Init is the first refresh (refresh()) with the timer started.
func (p *Poll[T]) Init(refresh func() tea.Cmd) tea.Cmd {
	return tea.Batch(refresh(), p.timer.Start(p.ctx))
}

// Start runs fn as the next refresh, cancelling the one out, and turns
// the spinner. fn runs off the UI goroutine (see Request.Start).
func (p *Poll[T]) Start(fn func(ctx context.Context) (T, error)) tea.Cmd {
	return tea.Batch(p.Request.Start(p.ctx, fn), p.spin.Start())
}

// Update handles the poll's own messages and reports false for any
// other: an answer to the latest run goes to onResult (a stale one is
// dropped); a tick refreshes through refresh() unless a run is out (an
// overlapping refresh is dropped, not queued) and arms the next; a
// spinner frame turns the spinner while busy.
func (p *Poll[T]) Update(msg tea.Msg, refresh func() tea.Cmd, onResult func(Result[T])) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case Result[T]:
		if p.Accept(msg) {
			onResult(msg)
		}
		return nil, true
	case RefreshTickMsg:
		cmd, _ := p.timer.Tick(p.ctx, msg, p.Busy(), refresh)
		return cmd, true
	case SpinMsg:
		return p.spin.Update(msg, p.Busy()), true
	}
	return nil, false
}

// Again is the user asking for a refresh (r): refresh() unless a run is
// out, and then, instead, a note saying so (another run would only
// cancel the one that is nearly done).
func (p *Poll[T]) Again(refresh func() tea.Cmd) (cmd tea.Cmd, note string) {
	if p.Busy() {
		return nil, "a refresh is already running"
	}
	return refresh(), ""
}

// Spinner is the spinner's frame, for the pane's header while Busy.
func (p *Poll[T]) Spinner() string { return p.spin.View() }

// Every is how often the poll refreshes.
func (p *Poll[T]) Every() time.Duration { return p.timer.Every() }

// Tick is the tick the armed timer will send, for tests.
func (p *Poll[T]) Tick() RefreshTickMsg { return p.timer.Current() }

// Close ends the run that is out and every later one, and stops the
// timer.
func (p *Poll[T]) Close() {
	p.cancel()
	p.timer.Stop()
}
