package pane

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

func TestPollRefreshLoop(t *testing.T) {
	p := NewPoll[int](PollConfig{Pane: "p", Every: time.Hour, Spinner: lipgloss.NewStyle()})
	defer p.Close()
	if p.Every() != time.Hour {
		t.Errorf("Every %v", p.Every())
	}
	n := 0
	refresh := func() tea.Cmd {
		n++
		return p.Start(func(context.Context) (int, error) { return n, nil })
	}
	var got []int
	onResult := func(r Result[int]) { got = append(got, r.Value) }
	p.Init(refresh)
	if !p.Busy() || n != 1 {
		t.Fatalf("Init: busy %v, %d refreshes", p.Busy(), n)
	}
	// A tick while the first run is out arms the next tick only.
	if _, ok := p.Update(p.Tick(), refresh, onResult); !ok || n != 1 {
		t.Fatalf("busy tick: handled %v, %d refreshes", ok, n)
	}
	// A stale answer is dropped; the latest one is handed on.
	if _, ok := p.Update(Result[int]{Pane: "p", Seq: p.Seq() - 1, Value: -1}, refresh, onResult); !ok || len(got) != 0 {
		t.Fatalf("stale answer: handled %v, got %v", ok, got)
	}
	p.Update(Result[int]{Pane: "p", Seq: p.Seq(), Value: 7}, refresh, onResult)
	if p.Busy() || len(got) != 1 || got[0] != 7 {
		t.Fatalf("answer: busy %v, got %v", p.Busy(), got)
	}
	// r while a run is out says so; idle, it refreshes.
	p.Start(func(context.Context) (int, error) { return 0, nil })
	if cmd, note := p.Again(refresh); cmd != nil || note == "" || n != 1 {
		t.Errorf("r while busy: cmd %v, note %q, %d refreshes", cmd != nil, note, n)
	}
	p.Update(Result[int]{Pane: "p", Seq: p.Seq(), Value: 8}, refresh, onResult)
	if cmd, note := p.Again(refresh); cmd == nil || note != "" || n != 2 {
		t.Errorf("r while idle: cmd %v, note %q, %d refreshes", cmd != nil, note, n)
	}
	p.Update(Result[int]{Pane: "p", Seq: p.Seq(), Value: 9}, refresh, onResult)
	// Idle, a tick refreshes.
	if _, ok := p.Update(p.Tick(), refresh, onResult); !ok || n != 3 || !p.Busy() {
		t.Fatalf("idle tick: handled %v, %d refreshes, busy %v", ok, n, p.Busy())
	}
	// The spinner stops once nothing is out.
	p.Update(Result[int]{Pane: "p", Seq: p.Seq(), Err: errors.New("down")}, refresh, onResult)
	if cmd, ok := p.Update(SpinMsg{Pane: "p"}, refresh, onResult); !ok || cmd != nil || p.Err() == nil {
		t.Errorf("spinner while idle: handled %v, cmd %v, err %v", ok, cmd != nil, p.Err())
	}
	if p.Spinner() == "" {
		t.Error("no spinner frame")
	}
	if _, ok := p.Update(tea.KeyMsg{}, refresh, onResult); ok {
		t.Error("a key was taken as the poll's")
	}
}

func TestPollCloseCancelsTheRunAndTimer(t *testing.T) {
	p := NewPoll[int](PollConfig{Pane: "p", Every: time.Hour})
	started := make(chan struct{})
	cmd := p.Start(func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		return 0, ctx.Err()
	})
	tick := p.timer.Start(p.ctx)
	done := make(chan tea.Msg, 1)
	go func() { done <- msgsOf(cmd) }()
	<-started
	p.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not cancel the run")
	}
	if msg := tick(); msg != nil {
		t.Errorf("the timer sent %#v after Close", msg)
	}
}
