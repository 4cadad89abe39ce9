package loki

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/logtest"
)

// The tail engine is tested in sources/logtail; these tests check that
// Client.Tail and logtail.NewBackendHub wire it to Loki: the dial, the paged
// query_range catch-up and Loki's error texts.

func entry(s map[string]string, ts time.Time, line string) sources.LogEntry {
	return sources.LogEntry{Time: ts, Labels: s, Line: line}
}

func frame(es ...sources.LogEntry) scriptEvent {
	return scriptEvent{ev: logtail.Event{Entries: es}}
}

func ping(before func()) scriptEvent {
	return scriptEvent{ev: logtail.Event{Ready: true}, before: before}
}

func broken() scriptEvent {
	return scriptEvent{err: &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "connection dropped"}}
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

func waitState(t *testing.T, tl sources.LogTail, want TailState) TailStatus {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if st := tl.Status(); st.State == want {
			return st
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("tail never reached %s: %+v", want, tl.Status())
	return TailStatus{}
}

func lines(es []sources.LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Line
	}
	return out
}

// After a lost connection the catch-up pages through query_range (pages
// of 3 here, so page boundaries cut runs of entries sharing a timestamp)
// and nothing repeats or goes missing; every dial starts 30s before
// Loki's now, never in its future.
func TestTailResumesThroughQueryRange(t *testing.T) {
	s := map[string]string{"app": "t"}
	at := func(sec float64, line string) sources.LogEntry {
		return entry(s, t0.Add(time.Duration(sec*float64(time.Second))), line)
	}
	e0 := at(0.5, "e0 written before the tail connected")
	e1, e2 := at(3, "e1 x"), at(3, "e2 y") // the resume timestamp
	e3 := at(3.5, "e3 written while away")
	e4, e5 := at(4, "e4 a, written while away"), at(4, "e5 b, written while away")
	e6 := at(4.5, "e6")

	f := &fakeLoki{}
	store := func(es ...sources.LogEntry) func() {
		return func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.entries = append(f.entries, es...)
		}
	}
	store(at(-1, "before start"), e0)()
	f.tails = []logtail.Conn{
		newScriptConn(ping(nil),
			scriptEvent{ev: logtail.Event{Entries: []sources.LogEntry{e1, e2}}, before: store(e1, e2)},
			broken()),
		newScriptConn(ping(store(e3, e4, e5)),
			frame(e4, e5), // also read by catch-up
			scriptEvent{ev: logtail.Event{Entries: []sources.LogEntry{e6}}, before: store(e6)}),
	}
	c := newFakeClient(t, f, 3, 0)
	now := t0.Add(time.Minute)
	c.now = func() time.Time { return now }
	c.tailRetryBase = time.Millisecond

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, t0)
	want := []sources.LogEntry{e0, e1, e2, e3, e4, e5, e6}
	got := collect(t, tl, len(want))
	if strings.Join(lines(got), "|") != strings.Join(lines(want), "|") {
		t.Fatalf("got %v, want %v", lines(got), lines(want))
	}
	f.mu.Lock()
	calls := len(f.calls)
	f.mu.Unlock()
	if calls < 4 {
		t.Fatalf("%d query_range calls; the catch-up did not page", calls)
	}
	if len(f.dialAt) != 2 || !f.dialAt[0].Equal(now.Add(-tailDialSkew)) || !f.dialAt[1].Equal(now.Add(-tailDialSkew)) {
		t.Fatalf("dialled at %v, want 30s before now each time", f.dialAt)
	}
	if st := tl.Status(); st.State != TailLive || st.Reconnects != 1 || len(st.Warnings) != 0 {
		t.Fatalf("status %+v", st)
	}
	cancel()
	waitDone(t, tl)
}

// Loki refuses a catch-up that would read too many bytes with a 400; the
// tail goes live instead of redialling forever, and says what is missing.
func TestTailGoesLiveWhenLokiRefusesTheCatchUp(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "live")
	f := &fakeLoki{tails: []logtail.Conn{newScriptConn(ping(nil), frame(e))},
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

// A refused tail (bad query) ends the tail with Loki's error, dialled once.
func TestTailStopsOnBadQuery(t *testing.T) {
	f := &fakeLoki{tails: []logtail.Conn{errConn{err: httpError("tail", 400, []byte("parse error at line 1, col 1"))}}}
	c := newFakeClient(t, f, 10, 0)
	tl := c.Tail(context.Background(), `{`, time.Time{})
	waitDone(t, tl)
	if sources.KindOf(tl.Err()) != sources.KindBadQuery || f.dials != 1 {
		t.Fatalf("ended with %v after %d dials", tl.Err(), f.dials)
	}
}

// The hub shares one Loki tail and catches a late reader up through
// QueryRange.
func TestTailHubCatchesUpThroughQueryRange(t *testing.T) {
	now := time.Now().Add(-time.Minute)
	app := map[string]string{"app": "a"}
	f := &fakeLoki{}
	f.add(app, now, "old")
	f.add(app, now.Add(time.Second), "seam")
	live := make(chan struct{})
	f.tails = []logtail.Conn{newScriptConn(ping(nil),
		scriptEvent{ev: logtail.Event{Entries: []sources.LogEntry{entry(app, now.Add(time.Second), "seam"),
			entry(app, now.Add(2*time.Second), "new")}}, before: func() { <-live }})}
	fc := newFakeClient(t, f, 100, time.Hour)
	hub := logtail.NewBackendHub(fc, logtail.Options{Now: fc.now})
	defer hub.Close()
	first := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	late := hub.Tail(t.Context(), `{app="a"}`, now.Add(-time.Second))
	if got := lines(collect(t, late, 2)); got[0] != "old" || got[1] != "seam" {
		t.Fatalf("catch-up = %v", got)
	}
	close(live)
	if got := lines(collect(t, late, 1)); len(got) != 1 || got[0] != "new" {
		t.Fatalf("live after catch-up = %v", got)
	}
	if got := collect(t, first, 2); len(got) != 2 || f.dials != 1 {
		t.Fatalf("first reader %v, %d dials", lines(got), f.dials)
	}
}
