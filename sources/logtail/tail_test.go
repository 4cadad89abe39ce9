package logtail

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

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

	f := &fakeDialer{pageSize: 2} // tiny pages: catch-up hands several
	f.store(old, e0)()
	f.conns = []Conn{
		newScriptConn(ready(nil),
			scriptEvent{ev: Event{Entries: []sources.LogEntry{e1, e2}}, before: f.store(e1, e2)},
			scriptEvent{ev: Event{Entries: []sources.LogEntry{e3, e4}}, before: f.store(e3, e4)},
			broken()),
		newScriptConn(ready(f.store(e5, e6)),
			frame(e6), // also read by catch-up
			scriptEvent{ev: Event{Entries: []sources.LogEntry{e7}}, before: f.store(e7)},
			broken()),
		errConn{err: &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindUnreachable, Msg: "connection refused"}},
		newScriptConn(ready(f.store(e8)),
			scriptEvent{ev: Event{Entries: []sources.LogEntry{e9}}, before: f.store(e9)}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0.Add(time.Minute)), BackoffBase: time.Millisecond})
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
	if st.State != sources.TailLive || st.Reconnects != 3 || !st.Last.Equal(e9.Time) {
		t.Fatalf("status %+v, want live after 3 reconnects with last %v", st, e9.Time)
	}
	// Every dial asked for the resume point: the start, then the newest
	// timestamp delivered before the connection was lost.
	f.mu.Lock()
	starts := append([]time.Time(nil), f.starts...)
	f.mu.Unlock()
	wantStarts := []time.Time{t0, e4.Time, e7.Time, e7.Time}
	if len(starts) != len(wantStarts) {
		t.Fatalf("dials started at %v, want %v", starts, wantStarts)
	}
	for i := range wantStarts {
		if !starts[i].Equal(wantStarts[i]) {
			t.Fatalf("dial %d started at %v, want %v", i, starts[i], wantStarts[i])
		}
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

func TestTailStopsOnPermanentError(t *testing.T) {
	for _, k := range []sources.Kind{sources.KindBadQuery, sources.KindUnauthorized, sources.KindNotFound} {
		t.Run(k.String(), func(t *testing.T) {
			f := &fakeDialer{conns: []Conn{errConn{err: &sources.Error{Backend: "fake", Op: "tail", Kind: k, Msg: "no"}}}}
			tl := Start(context.Background(), f, `{`, time.Time{}, Options{})
			waitDone(t, tl)
			if sources.KindOf(tl.Err()) != k {
				t.Fatalf("tail ended with %v, want %s", tl.Err(), k)
			}
			if st := tl.Status(); st.State != sources.TailStopped || sources.KindOf(st.LastErr) != k {
				t.Fatalf("status %+v", st)
			}
			if f.dialCount() != 1 {
				t.Fatalf("a permanent error was redialled %d times", f.dialCount())
			}
		})
	}
}

// The Dialer, not the engine, decides what is permanent.
func TestTailAsksTheDialerWhatIsRetryable(t *testing.T) {
	f := &fakeDialer{conns: []Conn{errConn{err: &sources.Error{Kind: sources.KindServerError, Msg: "503"}}}}
	d := retryNothing{f}
	tl := Start(context.Background(), d, `{a="b"}`, time.Time{}, Options{BackoffBase: time.Millisecond})
	waitDone(t, tl)
	if sources.KindOf(tl.Err()) != sources.KindServerError || f.dialCount() != 1 {
		t.Fatalf("err %v after %d dials", tl.Err(), f.dialCount())
	}
}

type retryNothing struct{ *fakeDialer }

func (retryNothing) Retryable(error) bool { return false }

// A consumer that stops reading must not keep the tail's goroutine alive
// after the context ends.
func TestTailEndsWhileBlockedOnDelivery(t *testing.T) {
	s := map[string]string{"app": "t"}
	evs := []scriptEvent{ready(nil)}
	for i := range 100 {
		evs = append(evs, frame(entry(s, t0.Add(time.Duration(i)*time.Second), fmt.Sprint(i))))
	}
	conn := newScriptConn(evs...)
	f := &fakeDialer{conns: []Conn{conn}}
	ctx, cancel := context.WithCancel(context.Background())
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0), Buffer: 2})
	waitState(t, tl, sources.TailLive)
	cancel()
	waitDone(t, tl)
	if !conn.isClosed() {
		t.Fatal("the connection was not closed when the tail ended")
	}
	if n := len(tl.C()); n > 2 {
		t.Fatalf("C holds %d batches past its capacity of 2", n)
	}
}

func TestTailReconnectsAfterTransientErrors(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "after the storm")
	f := &fakeDialer{}
	for range 4 {
		f.conns = append(f.conns, errConn{err: &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindServerError, Msg: "503"}})
	}
	f.conns = append(f.conns, newScriptConn(ready(nil), frame(e)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0), BackoffBase: time.Millisecond})
	got := collect(t, tl, 1)
	if got[0].Line != e.Line {
		t.Fatalf("got %q", got[0].Line)
	}
	if n := tl.Status().Reconnects; n != 4 {
		t.Fatalf("%d reconnects, want 4", n)
	}
}

func TestSeenRingForgetsOldest(t *testing.T) {
	r := seenRing{size: 100}
	for i := range 110 {
		r.add(entryKey{ts: int64(i)})
	}
	if r.has(entryKey{ts: 0}) || r.has(entryKey{ts: 9}) {
		t.Fatal("oldest keys kept past the ring size")
	}
	if !r.has(entryKey{ts: 10}) || !r.has(entryKey{ts: 109}) {
		t.Fatal("recent keys forgotten")
	}
	if len(r.set) != 100 || len(r.keys) != 100 {
		t.Fatalf("ring holds %d keys in a set of %d", len(r.keys), len(r.set))
	}
	// Adding a key already held does not take a second slot.
	r.add(entryKey{ts: 109})
	if !r.has(entryKey{ts: 10}) {
		t.Fatal("re-adding a held key pushed out another")
	}
}

func TestCursorKeyTellsStreamsAndLinesApart(t *testing.T) {
	cur := newCursor(t0, 10)
	a := cur.key(entry(map[string]string{"a": "b", "c": "d"}, t0, "x"))
	if b := cur.key(entry(map[string]string{"c": "d", "a": "b"}, t0, "x")); a != b {
		t.Fatal("the same labels in another map order hash differently")
	}
	for _, e := range []sources.LogEntry{
		entry(map[string]string{"a": "bc", "": "d"}, t0, "x"),
		entry(map[string]string{"a": "b", "c": "dx"}, t0, ""),
		entry(map[string]string{"a": "b", "c": "d"}, t0, "y"),
		entry(map[string]string{"a": "b", "c": "d"}, t0.Add(1), "x"),
	} {
		if cur.key(e) == a {
			t.Fatalf("%v %q collides with another entry", e.Labels, e.Line)
		}
	}
}

// A catch-up the backend refuses as too big would fail the same way on
// every reconnect; the tail goes live instead and says what is missing.
func TestTailGoesLiveWhenCatchUpIsTooBig(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "live")
	f := &fakeDialer{conns: []Conn{newScriptConn(ready(nil), frame(e))},
		fail: func() error {
			return &sources.Error{Backend: "fake", Op: "query_range", Kind: sources.KindTooMuchData, Msg: "the query would read too many bytes"}
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0.Add(-time.Hour), Options{Now: fixedNow(t0)})
	if got := collect(t, tl, 1); got[0].Line != "live" {
		t.Fatalf("got %q", got[0].Line)
	}
	st := tl.Status()
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "too many bytes") || f.dialCount() != 1 {
		t.Fatalf("status %+v after %d dials", st, f.dialCount())
	}
}

// Any other catch-up failure is a failed connection: it is retried.
func TestTailRetriesAFailedCatchUp(t *testing.T) {
	s := map[string]string{"app": "t"}
	e := entry(s, t0.Add(time.Second), "after retry")
	failures := 2
	f := &fakeDialer{
		conns: []Conn{newScriptConn(ready(nil)), newScriptConn(ready(nil)), newScriptConn(ready(nil), frame(e))},
		fail: func() error {
			if failures > 0 {
				failures--
				return &sources.Error{Kind: sources.KindServerError, Msg: "querier gone"}
			}
			return nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0), BackoffBase: time.Millisecond})
	if got := collect(t, tl, 1); got[0].Line != e.Line {
		t.Fatalf("got %v", lines(got))
	}
	if st := tl.Status(); st.Reconnects != 2 || f.dialCount() != 3 {
		t.Fatalf("status %+v after %d dials", st, f.dialCount())
	}
}

// The catch-up is bounded: past MaxCatchUp entries the tail says so and
// goes live with what it has.
func TestTailCatchUpIsBounded(t *testing.T) {
	s := map[string]string{"app": "t"}
	f := &fakeDialer{pageSize: 3}
	for i := range 20 {
		f.store(entry(s, t0.Add(time.Duration(i)*time.Millisecond), fmt.Sprint("old ", i)))()
	}
	live := entry(s, t0.Add(time.Second), "live")
	f.conns = []Conn{newScriptConn(ready(nil), frame(live))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0.Add(time.Second)), MaxCatchUp: 7})
	got := collect(t, tl, 8)
	if len(got) != 8 || got[6].Line != "old 6" || got[7].Line != "live" {
		t.Fatalf("got %v, want the first 7 old lines then the live one", lines(got))
	}
	st := tl.Status()
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "first 7 lines") {
		t.Fatalf("warnings %q", st.Warnings)
	}
}

// What the server reports (dropped entries, warnings) reaches Status,
// and the catch-up's warnings too, once each.
func TestTailReportsDropsAndWarnings(t *testing.T) {
	s := map[string]string{"app": "t"}
	f := &fakeDialer{warn: []string{"catch-up warning"}}
	f.conns = []Conn{newScriptConn(ready(nil),
		scriptEvent{ev: Event{Entries: []sources.LogEntry{entry(s, t0, "a")}, Dropped: 3, Warnings: []string{"server warning"}}},
		scriptEvent{ev: Event{Dropped: 2, Warnings: []string{"server warning"}}},
		frame(entry(s, t0.Add(1), "b")))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0)})
	collect(t, tl, 2)
	st := tl.Status()
	if st.Dropped != 5 {
		t.Fatalf("dropped %d, want 5", st.Dropped)
	}
	if strings.Join(st.Warnings, "|") != "catch-up warning|server warning" {
		t.Fatalf("warnings %q", st.Warnings)
	}
}

func TestWarningsAreBounded(t *testing.T) {
	var w warnings
	for i := range 3 * maxWarnings {
		w.add(fmt.Sprint("w", i))
	}
	if len(w.list) != maxWarnings || len(w.seen) != maxWarnings {
		t.Fatalf("%d warnings kept, %d remembered", len(w.list), len(w.seen))
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	base, ceil := 10*time.Millisecond, 80*time.Millisecond
	for attempt := range 40 {
		want := min(base<<min(attempt, 16), ceil)
		for range 20 {
			d := backoff(base, ceil, attempt)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}

func TestRetryable(t *testing.T) {
	for k, want := range map[sources.Kind]bool{
		sources.KindBadQuery: false, sources.KindUnauthorized: false, sources.KindNotFound: false,
		sources.KindUnreachable: true, sources.KindServerError: true, sources.KindRateLimited: true,
		sources.KindTimeout: true, sources.KindBadResponse: true,
	} {
		if got := Retryable(&sources.Error{Kind: k}); got != want {
			t.Errorf("%s: Retryable = %v, want %v", k, got, want)
		}
	}
}

// A live stream that reaches back before the tail's start (Loki's tail
// opens behind its own clock; VictoriaLogs' first pass looks back) never
// delivers those lines: the tail starts where it was asked to.
func TestTailDropsLinesFromBeforeItsStart(t *testing.T) {
	s := map[string]string{"app": "t"}
	early, edge, late := entry(s, t0.Add(-20*time.Second), "from before start"), entry(s, t0, "at start"), entry(s, t0.Add(time.Second), "after start")
	f := &fakeDialer{pageSize: 10}
	f.conns = []Conn{newScriptConn(ready(nil), frame(early, edge, late))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := Start(ctx, f, `{app="t"}`, t0, Options{Now: fixedNow(t0.Add(time.Minute)), BackoffBase: time.Millisecond})
	got := collect(t, tl, 2)
	if len(got) != 2 || got[0].Line != "at start" || got[1].Line != "after start" {
		t.Fatalf("delivered %v; want the line at the start and the one after it", lines(got))
	}
	select {
	case es, ok := <-tl.C():
		if ok && len(es) > 0 {
			t.Fatalf("then delivered %v", lines(es))
		}
	case <-time.After(50 * time.Millisecond):
	}
}
