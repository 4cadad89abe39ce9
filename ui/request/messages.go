package request

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/ui/pane"
)

// Source resolves an ID into a request view, handing snapshots of what is
// known so far to progress while calls are out. *correlate.Resolver
// satisfies it; tests hand the pane a fake.
type Source interface {
	ResolveProgress(ctx context.Context, id string, w correlate.Window, progress func(*correlate.View)) (*correlate.View, error)
}

var _ Source = (*correlate.Resolver)(nil)

// answer is one resolution's answer: the id it resolved and its view.
type answer struct {
	id   string
	view *correlate.View
}

// resultMsg is one resolution's answer.
type resultMsg = pane.Result[answer]

// progressMsg is a snapshot of a resolution still running; next waits for
// the following snapshot or the answer.
type progressMsg struct {
	run  pane.Stamp
	id   string
	view *correlate.View
	next tea.Cmd
}

// PaneID routes the message to its pane.
func (m progressMsg) PaneID() string { return m.run.Pane }

// resolveRun resolves id over w in its own goroutine, under ctx, and
// returns its snapshots, then its answer, one message at a time, each
// stamped with the run. A snapshot not read before the next one arrives
// is replaced by it, so a slow terminal only skips frames. It captures its
// inputs by value and touches no model state.
func resolveRun(src Source, id string, w correlate.Window) func(context.Context, pane.Stamp) tea.Cmd {
	return func(ctx context.Context, run pane.Stamp) tea.Cmd {
		return func() tea.Msg {
			snaps := make(chan *correlate.View, 1)
			done := make(chan resultMsg, 1)
			go func() {
				v, err := src.ResolveProgress(ctx, id, w, func(v *correlate.View) {
					select {
					case <-snaps: // drop the unread older snapshot
					default:
					}
					snaps <- v
				})
				done <- pane.NewResult(run, answer{id: id, view: v}, err)
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
					return progressMsg{run: run, id: id, view: v, next: wait}
				}
			}
			return wait()
		}
	}
}
