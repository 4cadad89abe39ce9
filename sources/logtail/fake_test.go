package logtail

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtest"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeDialer hands out scripted connections in order and answers catch-up
// from an in-memory store, forward, in pages of pageSize, the way a
// backend's paged query_range would.
type fakeDialer struct {
	mu       sync.Mutex
	entries  []sources.LogEntry
	conns    []Conn
	dials    int
	starts   []time.Time // the start of every dial
	pageSize int
	catchUps int
	fail     func() error // fails catch-up when it returns an error
	warn     []string     // returned by every catch-up
}

func (f *fakeDialer) store(es ...sources.LogEntry) func() {
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.entries = append(f.entries, es...)
	}
}

func (f *fakeDialer) Dial(_ context.Context, _ string, start time.Time) (Conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dials++
	f.starts = append(f.starts, start)
	if len(f.conns) == 0 {
		return nil, &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindUnreachable, Msg: "no more scripted connections"}
	}
	c := f.conns[0]
	f.conns = f.conns[1:]
	if e, ok := c.(errConn); ok {
		return nil, e.err
	}
	return c, nil
}

func (f *fakeDialer) CatchUp(ctx context.Context, _ string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error) {
	f.mu.Lock()
	f.catchUps++
	if f.fail != nil {
		if err := f.fail(); err != nil {
			f.mu.Unlock()
			return f.warn, err
		}
	}
	var sel []sources.LogEntry
	for _, e := range f.entries {
		if !e.Time.Before(from) && !e.Time.After(to) {
			sel = append(sel, e)
		}
	}
	f.mu.Unlock()
	slices.SortStableFunc(sel, func(a, b sources.LogEntry) int { return a.Time.Compare(b.Time) })
	sel = sel[:min(len(sel), limit)]
	size := max(f.pageSize, 1)
	for i := 0; i < len(sel); i += size {
		if err := fn(sel[i:min(i+size, len(sel))]); err != nil {
			return f.warn, err
		}
	}
	return f.warn, ctx.Err()
}

func (f *fakeDialer) Retryable(err error) bool { return Retryable(err) }

func (f *fakeDialer) dialCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dials
}

// errConn scripts a failed dial.
type errConn struct {
	Conn
	err error
}

// scriptConn plays scripted events, then blocks until closed or ctx ends.
type scriptConn struct {
	events chan scriptEvent
	closed chan struct{}
	once   sync.Once
}

type scriptEvent struct {
	ev  Event
	err error
	// before runs just before the event is returned, e.g. to put entries
	// in the fake's store as if they had been written meanwhile.
	before func()
}

func newScriptConn(evs ...scriptEvent) *scriptConn {
	c := &scriptConn{events: make(chan scriptEvent, len(evs)+1), closed: make(chan struct{})}
	for _, e := range evs {
		c.events <- e
	}
	return c
}

func (c *scriptConn) Next(ctx context.Context) (Event, error) {
	select {
	case e := <-c.events:
		if e.before != nil {
			e.before()
		}
		return e.ev, e.err
	case <-c.closed:
		return Event{}, &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindUnreachable, Msg: "closed"}
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

func (c *scriptConn) Close() { c.once.Do(func() { close(c.closed) }) }

func (c *scriptConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

func entry(s map[string]string, ts time.Time, line string) sources.LogEntry {
	return sources.LogEntry{Time: ts, Labels: s, Line: line}
}

func frame(es ...sources.LogEntry) scriptEvent { return scriptEvent{ev: Event{Entries: es}} }

func ready(before func()) scriptEvent { return scriptEvent{ev: Event{Ready: true}, before: before} }

func broken() scriptEvent {
	return scriptEvent{err: &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindUnreachable, Msg: "connection dropped"}}
}

func lines(es []sources.LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Line
	}
	return out
}

// collect reads n entries from the tail or fails after a generous wait.
func collect(t *testing.T, tl sources.LogTail, n int) []sources.LogEntry {
	t.Helper()
	return logtest.Collect(t, tl, n, 20*time.Second)
}

func waitDone(t *testing.T, tl sources.LogTail) {
	t.Helper()
	logtest.WaitDone(t, tl, 20*time.Second)
}

func waitState(t *testing.T, tl sources.LogTail, want sources.TailState) sources.TailStatus {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if st := tl.Status(); st.State == want {
			return st
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("tail never reached %s: %+v", want, tl.Status())
	return sources.TailStatus{}
}

// fixedNow is a clock for Options.Now.
func fixedNow(at time.Time) func() time.Time { return func() time.Time { return at } }
