package panetest

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Steps hands m each of msgs in turn, a string as the key it names (see
// Key) and anything else as it is, draws a frame after each, and returns
// the Cmds Update gave without running them.
func Steps[M interface {
	Update(tea.Msg) (M, tea.Cmd)
	View() string
}](m M, msgs ...any) []tea.Cmd {
	var cmds []tea.Cmd
	for _, msg := range msgs {
		if k, ok := msg.(string); ok {
			msg = Key(k)
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		cmds = append(cmds, cmd)
		_ = m.View()
	}
	return cmds
}

// OnlyCmdsCall is the no-I/O-in-Update check: calls counts the pane's
// backend calls. It fails t when some were made before cmds (the Cmds
// Init, Update and Steps returned) ran, that is by Update or View; and
// when none were made after they ran for wait, since then the test did
// not drive the pane to any work.
func OnlyCmdsCall[N ~int32 | ~int64 | ~int](t testing.TB, calls func() N, cmds []tea.Cmd, wait time.Duration) {
	t.Helper()
	if n := calls(); n != 0 {
		t.Fatalf("Update/View made %d backend calls", n)
	}
	Collect(tea.Batch(cmds...), wait)
	if calls() == 0 {
		t.Fatal("the Cmds made no backend call: the test did not drive the pane to any work")
	}
}
