package request

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
)

// Source resolves an ID into a request view. *correlate.Resolver
// satisfies it; tests hand the pane a fake.
type Source interface {
	Resolve(ctx context.Context, id string, w correlate.Window) (*correlate.View, error)
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

// resolveCmd resolves id over w. It captures its inputs by value and
// touches no model state.
func resolveCmd(ctx context.Context, src Source, pane string, seq int, id string, w correlate.Window, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		v, err := src.Resolve(ctx, id, w)
		return resultMsg{pane: pane, seq: seq, id: id, view: v, err: err}
	}
}
