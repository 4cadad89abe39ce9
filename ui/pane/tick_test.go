package pane

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

type tickedMsg struct{ at time.Time }

func TestTickFires(t *testing.T) {
	start := time.Now()
	cmd := Tick(context.Background(), 10*time.Millisecond, func(at time.Time) tea.Msg { return tickedMsg{at} })
	msg, ok := cmd().(tickedMsg)
	if !ok {
		t.Fatalf("Tick returned %T, want tickedMsg", msg)
	}
	if msg.at.Sub(start) < 10*time.Millisecond {
		t.Errorf("fired after %v, want at least 10ms", msg.at.Sub(start))
	}
}

func TestTickReturnsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	called := false
	cmd := Tick(ctx, time.Hour, func(time.Time) tea.Msg { called = true; return tickedMsg{} })
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	cancel()
	select {
	case msg := <-done:
		if msg != nil {
			t.Errorf("cancelled Tick returned %#v, want nil", msg)
		}
		if called {
			t.Error("cancelled Tick called fn")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Tick did not return after its context was cancelled (timer of 1h still parked)")
	}
}

func TestTickAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if msg := Tick(ctx, time.Hour, func(time.Time) tea.Msg { return tickedMsg{} })(); msg != nil {
		t.Errorf("Tick on a done context returned %#v, want nil", msg)
	}
}
