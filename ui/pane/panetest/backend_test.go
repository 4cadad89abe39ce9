package panetest

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBackendCountsFailsAndHolds(t *testing.T) {
	var b Backend
	ctx := context.Background()
	if err := b.Call(ctx); err != nil || b.Calls() != 1 {
		t.Fatalf("call: %v, %d calls", err, b.Calls())
	}
	down := errors.New("down")
	b.Fail(down)
	if err := b.Call(ctx); !errors.Is(err, down) {
		t.Errorf("failing: %v", err)
	}
	b.Fail(nil)
	b.Hold()
	done := make(chan error, 1)
	go func() { done <- b.Call(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("a held call returned %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.Release()
	if err := <-done; err != nil || b.Calls() != 3 {
		t.Errorf("released: %v, %d calls", err, b.Calls())
	}
	// A held call ends with its context.
	b.Hold()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.Call(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while held: %v", err)
	}
	b.Release()
	b.Release() // twice is harmless
	n := 0
	b.Locked(func() { n++ })
	if n != 1 {
		t.Error("Locked did not run f")
	}
}
