package panetest

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// Settle stands for the bubbletea runtime in tests that follow a chain
// of answers (a declaration after a prefill, a write after a read): it
// runs cmd, hands each message own accepts to m's Update and runs the
// Cmd Update returns in turn, until nothing is left. The other messages
// (what the pane sends the root: pivots, flashes, copies) are returned
// in the order they came. Spinner frames (pane.SpinMsg) are dropped. A
// Cmd that has not answered within wait is taken for a timer (a refresh
// tick) and left behind.
func Settle[M interface{ Update(tea.Msg) (M, tea.Cmd) }](m M, cmd tea.Cmd, wait time.Duration, own func(tea.Msg) bool) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := within(c, wait).(type) {
		case nil, pane.SpinMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			if !own(msg) {
				out = append(out, msg)
				continue
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		}
	}
	return out
}

// within runs c and returns its message, or nil when it takes longer
// than wait.
func within(c tea.Cmd, wait time.Duration) tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case msg := <-done:
		return msg
	case <-t.C:
		return nil
	}
}
