package pane

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Tick is tea.Tick that can be cancelled: the Cmd waits d and returns
// fn(now), or returns nil as soon as ctx ends (stopping its timer). Panes
// pass their lifetime context, so a refresh timer does not keep a
// goroutine parked after the pane is closed or the session ends.
func Tick(ctx context.Context, d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case now := <-t.C:
			return fn(now)
		case <-ctx.Done():
			return nil
		}
	}
}
