package request

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
)

// Source resolves an ID into a request view, handing snapshots of what is
// known so far to progress while calls are out. *correlate.Resolver
// satisfies it; tests hand the pane a fake.
type Source interface {
	ResolveProgress(ctx context.Context, id string, w correlate.Window, progress func(*correlate.View)) (*correlate.View, error)
}

var _ Source = (*correlate.Resolver)(nil)

// resultMsg is one resolution's answer.
type resultMsg struct {
	pane string
	seq  int
	id   string
	view *correlate.View
	err  error
}

// PaneID routes the message to its pane.
func (m resultMsg) PaneID() string { return m.pane }

// progressMsg is a snapshot of a resolution still running; next waits for
// the following snapshot or the answer.
type progressMsg struct {
	pane string
	seq  int
	id   string
	view *correlate.View
	next tea.Cmd
}

// PaneID routes the message to its pane.
func (m progressMsg) PaneID() string { return m.pane }

// resolveCmd resolves id over w in its own goroutine and returns its
// snapshots, then its answer, one message at a time. A snapshot not read
// before the next one arrives is replaced by it, so a slow terminal only
// skips frames. It captures its inputs by value and touches no model
// state.
func resolveCmd(ctx context.Context, src Source, pane string, seq int, id string, w correlate.Window, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		snaps := make(chan *correlate.View, 1)
		done := make(chan resultMsg, 1)
		go func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			v, err := src.ResolveProgress(ctx, id, w, func(v *correlate.View) {
				select {
				case <-snaps: // drop the unread older snapshot
				default:
				}
				snaps <- v
			})
			done <- resultMsg{pane: pane, seq: seq, id: id, view: v, err: err}
		}()
		var wait tea.Cmd
		wait = func() tea.Msg {
			select { // the answer makes any snapshot still unread moot
			case r := <-done:
				return r
			default:
			}
			select {
			case r := <-done:
				return r
			case v := <-snaps:
				return progressMsg{pane: pane, seq: seq, id: id, view: v, next: wait}
			}
		}
		return wait()
	}
}
