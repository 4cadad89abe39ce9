package loki

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func entry(s map[string]string, ts time.Time, line string) sources.LogEntry {
	return sources.LogEntry{Time: ts, Labels: s, Line: line}
}

func frame(es ...sources.LogEntry) scriptEvent {
	return scriptEvent{ev: tailEvent{frame: tailFrame{entries: es}}}
}

func ping(before func()) scriptEvent { return scriptEvent{ev: tailEvent{ping: true}, before: before} }

func broken() scriptEvent {
	return scriptEvent{err: &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "connection dropped"}}
}

// collect reads n entries from the tail or fails after a generous wait.
func collect(t *testing.T, tl *Tail, n int) []sources.LogEntry {
	t.Helper()
	var got []sources.LogEntry
	deadline := time.After(20 * time.Second)
	for len(got) < n {
		select {
		case es, ok := <-tl.C():
			if !ok {
				t.Fatalf("tail ended after %d of %d entries: %v (status %+v)", len(got), n, tl.Err(), tl.Status())
			}
			got = append(got, es...)
		case <-deadline:
			t.Fatalf("only %d of %d entries arrived (status %+v)", len(got), n, tl.Status())
		}
	}
	return got
}

func waitDone(t *testing.T, tl *Tail) {
	t.Helper()
	select {
	case <-tl.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("tail did not end")
	}
}

// A tail that loses its connection twice (once more failing to redial)
// must deliver every line exactly once: lines written while it was away
// come from catch-up, the lines at the resume timestamp it had already
// delivered are not repeated (logcli #3387), and the overlap between
// catch-up and the live stream is dropped.
func TestTailResumesWithoutGapsOrDuplicates(t *testing.T) {
	s := map[string]string{"app": "t"}
	at := func(sec float64, line string) sources.LogEntry {
		return entry(s, t0.Add(time.Duration(sec*float64(time.Second))), line)
	}
	old := at(-1, "before start")
	e0 := at(0.5, "e0 written before the tail connected")
	e1, e2 := at(1, "e1"), at(2, "e2")
	e3, e4 := at(3, "e3 x"), at(3, "e4 y") // the resume timestamp
	e5 := at(3, "e5 z, same timestamp, written while away")
	e6, e7 := at(4, "e6 written while away"), at(5, "e7")
	e8, e9 := at(6, "e8 written while away"), at(7, "e9")

	f := &fakeLoki{}
	store := func(es ...sources.LogEntry) func() {
		return func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.entries = append(f.entries, es...)
		}
	}
	store(old, e0)()
	f.tails = []tailConn{
		newScriptConn(ping(nil),
			scriptEvent{ev: tailEvent{frame: tailFrame{entries: []sources.LogEntry{e1, e2}}}, before: store(e1, e2)},
			scriptEvent{ev: tailEvent{frame: tailFrame{entries: []sources.LogEntry{e3, e4}}}, before: store(e3, e4)},
			broken()),
		newScriptConn(ping(store(e5, e6)),
			frame(e6), // also read by catch-up
			scriptEvent{ev: tailEvent{frame: tailFrame{entries: []sources.LogEntry{e7}}}, before: store(e7)},
			broken()),
		errConn{err: &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "connection refused"}},
		newScriptConn(ping(store(e8)),
			scriptEvent{ev: tailEvent{frame: tailFrame{entries: []sources.LogEntry{e9}}}, before: store(e9)}),
	}
	c := newFakeClient(t, f, 2, 0) // tiny pages: catch-up pages through the boundary too
	c.now = func() time.Time { return t0.Add(time.Minute) }
	c.tailRetryBase = time.Millisecond

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, t0)
	want := []sources.LogEntry{e0, e1, e2, e3, e4, e5, e6, e7, e8, e9}
	got := collect(t, tl, len(want))

	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %v", len(got), len(want), lines(got))
	}
	for i := range want {
		if got[i].Line != want[i].Line || !got[i].Time.Equal(want[i].Time) {
			t.Fatalf("entry %d is %q, want %q; all: %v", i, got[i].Line, want[i].Line, lines(got))
		}
	}
	st := tl.Status()
	if st.State != TailLive || st.Reconnects != 3 || !st.Last.Equal(e9.Time) {
		t.Fatalf("status %+v, want live after 3 reconnects with last %v", st, e9.Time)
	}
	cancel()
	waitDone(t, tl)
	if es, ok := <-tl.C(); ok {
		t.Fatalf("C still open after the tail ended, holding %v", lines(es))
	}
	if tl.Err() != nil {
		t.Fatalf("a cancelled tail reports %v", tl.Err())
	}
}

func lines(es []sources.LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Line
	}
	return out
}

func TestTailStopsOnPermanentError(t *testing.T) {
	for _, k := range []sources.Kind{sources.KindBadQuery, sources.KindUnauthorized, sources.KindNotFound} {
		t.Run(k.String(), func(t *testing.T) {
			f := &fakeLoki{tails: []tailConn{errConn{err: &sources.Error{Backend: backend, Op: "tail", Kind: k, Msg: "no"}}}}
			c := newFakeClient(t, f, 10, 0)
			tl := c.Tail(context.Background(), `{`, time.Time{})
			waitDone(t, tl)
			if sources.KindOf(tl.Err()) != k {
				t.Fatalf("tail ended with %v, want %s", tl.Err(), k)
			}
			if st := tl.Status(); st.State != TailStopped || sources.KindOf(st.LastErr) != k {
				t.Fatalf("status %+v", st)
			}
			if f.dials != 1 {
				t.Fatalf("a permanent error was redialled %d times", f.dials)
			}
		})
	}
}

// A consumer that stops reading must not keep the tail's goroutine alive
// after the context ends.
func TestTailEndsWhileBlockedOnDelivery(t *testing.T) {
	s := map[string]string{"app": "t"}
	var evs []scriptEvent
	evs = append(evs, ping(nil))
	for i := 0; i < 100; i++ {
		evs = append(evs, frame(entry(s, t0.Add(time.Duration(i)*time.Second), fmt.Sprint(i))))
	}
	conn := newScriptConn(evs...)
	f := &fakeLoki{tails: []tailConn{conn}}
	c := newFakeClient(t, f, 10, 0)
	c.now = func() time.Time { return t0 }
	ctx, cancel := context.WithCancel(context.Background())
	tl := c.Tail(ctx, `{app="t"}`, t0)
	waitState(t, tl, TailLive)
	cancel()
	waitDone(t, tl)
	select {
	case <-conn.closed:
	default:
		t.Fatal("the connection was not closed when the tail ended")
	}
}

func TestTailReconnectsAfterTransientErrors(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "after the storm")
	f := &fakeLoki{}
	var conns []tailConn
	for i := 0; i < 4; i++ {
		conns = append(conns, errConn{err: &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindServerError, Msg: "503"}})
	}
	conns = append(conns, newScriptConn(ping(nil), frame(e)))
	f.tails = conns
	c := newFakeClient(t, f, 10, 0)
	c.now = func() time.Time { return t0 }
	c.tailRetryBase = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, t0)
	got := collect(t, tl, 1)
	if got[0].Line != e.Line {
		t.Fatalf("got %q", got[0].Line)
	}
	if n := tl.Status().Reconnects; n != 4 {
		t.Fatalf("%d reconnects, want 4", n)
	}
}

func TestSeenRingForgetsOldest(t *testing.T) {
	var r seenRing
	for i := 0; i < tailSeen+10; i++ {
		r.add(tailKey{ts: int64(i)})
	}
	if r.has(tailKey{ts: 0}) || r.has(tailKey{ts: 9}) {
		t.Fatal("oldest keys kept past the ring size")
	}
	if !r.has(tailKey{ts: 10}) || !r.has(tailKey{ts: int64(tailSeen + 9)}) {
		t.Fatal("recent keys forgotten")
	}
	if len(r.set) != tailSeen {
		t.Fatalf("ring holds %d keys", len(r.set))
	}
}

// A catch-up Loki refuses as too big would fail the same way on every
// reconnect; the tail goes live instead and says what is missing.
func TestTailGoesLiveWhenCatchUpIsTooBig(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "live")
	f := &fakeLoki{tails: []tailConn{newScriptConn(ping(nil), frame(e))},
		fail: func(int) error {
			return httpError("query_range", 400, []byte("the query would read too many bytes (query: 20 GB, limit: 10 GB)"))
		}}
	c := newFakeClient(t, f, 10, 0)
	c.now = func() time.Time { return t0 }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, t0.Add(-time.Hour))
	if got := collect(t, tl, 1); got[0].Line != "live" {
		t.Fatalf("got %q", got[0].Line)
	}
	st := tl.Status()
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "too many bytes") || f.dials != 1 {
		t.Fatalf("status %+v after %d dials", st, f.dials)
	}
}
