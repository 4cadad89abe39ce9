package panetest

import (
	"context"
	"sync"
	"sync/atomic"
)

// Backend is what the fake backends of pane tests share: it counts the
// calls made to it (Calls, for OnlyCmdsCall), fails every call with the
// error Fail set, and holds every call from Hold until Release or the
// end of the call's context. A fake embeds it and starts each method
// with Call. Its methods are safe from the pane's Cmds and the test at
// once.
type Backend struct {
	calls atomic.Int32
	mu    sync.Mutex
	err   error
	hold  chan struct{}
}

// Call is one call reaching the backend: counted, held while Hold is in
// force (the context's error when it ends first), then the error Fail
// set, if any.
func (b *Backend) Call(ctx context.Context) error {
	b.calls.Add(1)
	b.mu.Lock()
	err, hold := b.err, b.hold
	b.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// Calls is how many calls reached the backend.
func (b *Backend) Calls() int32 { return b.calls.Load() }

// Fail makes every later call fail with err (nil: succeed again).
func (b *Backend) Fail(err error) { b.Locked(func() { b.err = err }) }

// Hold makes every later call wait for Release.
func (b *Backend) Hold() { b.Locked(func() { b.hold = make(chan struct{}) }) }

// Release lets the held calls go on, and later ones pass.
func (b *Backend) Release() {
	b.Locked(func() {
		if b.hold != nil {
			close(b.hold)
			b.hold = nil
		}
	})
}

// Locked runs f under the backend's lock: for a fake whose answers the
// test changes while the pane's Cmds may be reading them.
func (b *Backend) Locked(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
}
