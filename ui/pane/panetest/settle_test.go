package panetest

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// chain answers an int n with a Cmd that sends n+1, up to 3, and then a
// string for the root.
type chain struct{ got []int }

func (c *chain) Update(msg tea.Msg) (*chain, tea.Cmd) {
	n := msg.(int)
	c.got = append(c.got, n)
	if n == 3 {
		return c, func() tea.Msg { return "done" }
	}
	return c, func() tea.Msg { return n + 1 }
}

func TestSettleFollowsTheChainAndReturnsTheRest(t *testing.T) {
	slow := func() tea.Msg { time.Sleep(time.Second); return 99 }
	spin := func() tea.Msg { return pane.SpinMsg{Pane: "x"} }
	c := &chain{}
	own := func(m tea.Msg) bool { _, ok := m.(int); return ok }
	out := Settle(c, tea.Batch(func() tea.Msg { return 1 }, slow, spin, func() tea.Msg { return "first" }), 50*time.Millisecond, own)
	if len(c.got) != 3 || c.got[0] != 1 || c.got[2] != 3 {
		t.Fatalf("Update got %v, want 1 2 3 (the slow 99 left behind)", c.got)
	}
	if len(out) != 2 || out[0] != "first" || out[1] != "done" {
		t.Fatalf("returned %v, want [first done] without the spinner frame", out)
	}
}
