package pane

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

type refreshedMsg struct{}

// msgsOf runs cmd, opening batches, and returns the messages.
func msgsOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgsOf(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestRefresherTicksAndRefreshes(t *testing.T) {
	ctx := context.Background()
	r := NewRefresher("p", time.Millisecond)
	if r.Every() != time.Millisecond {
		t.Errorf("Every %v", r.Every())
	}
	first := msgsOf(r.Start(ctx))
	if len(first) != 1 || first[0] != (RefreshTickMsg{Pane: "p", Gen: 1}) || first[0].(RefreshTickMsg).PaneID() != "p" {
		t.Fatalf("first tick %#v", first)
	}
	refreshes := 0
	refresh := func() tea.Cmd {
		refreshes++
		return func() tea.Msg { return refreshedMsg{} }
	}
	cmd, ok := r.Tick(ctx, first[0].(RefreshTickMsg), false, refresh)
	got := msgsOf(cmd)
	if !ok || refreshes != 1 || len(got) != 2 || got[0] != (refreshedMsg{}) || got[1] != r.Current() {
		t.Fatalf("tick: ok %v, %d refreshes, %#v", ok, refreshes, got)
	}
	// Busy: the next tick comes, the refresh is dropped.
	cmd, ok = r.Tick(ctx, r.Current(), true, refresh)
	if got := msgsOf(cmd); !ok || refreshes != 1 || len(got) != 1 || got[0] != r.Current() {
		t.Fatalf("busy tick: ok %v, %d refreshes, %#v", ok, refreshes, got)
	}
}

func TestRefresherDropsStaleAndOthers(t *testing.T) {
	ctx := context.Background()
	r := NewRefresher("p", time.Hour)
	r.Start(ctx)
	old := r.Current()
	r.Start(ctx)
	refresh := func() tea.Cmd { t.Error("refreshed on a stale tick"); return nil }
	if cmd, ok := r.Tick(ctx, old, false, refresh); ok || cmd != nil {
		t.Error("a tick of an earlier Start was taken")
	}
	cur := r.Current()
	if _, ok := r.Tick(ctx, RefreshTickMsg{Pane: "q", Gen: cur.Gen}, false, refresh); ok {
		t.Error("another pane's tick was taken")
	}
	r.Stop()
	if _, ok := r.Tick(ctx, cur, false, refresh); ok {
		t.Error("a tick after Stop was taken")
	}
}

func TestRefresherTimerEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := NewRefresher("p", time.Hour)
	cmd := r.Start(ctx)
	cancel()
	if msg := cmd(); msg != nil {
		t.Errorf("cancelled timer sent %#v", msg)
	}
}
