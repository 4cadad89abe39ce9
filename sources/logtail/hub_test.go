package logtail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// tailerOf starts engine tails over a fake dialer, as a backend's Tail does.
type tailerOf struct{ d Dialer }

func (tt tailerOf) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	return Start(ctx, tt.d, expr, start, Options{BackoffBase: time.Millisecond})
}

func frameOf(ts time.Time, ls ...string) Event {
	var es []sources.LogEntry
	for i, l := range ls {
		es = append(es, sources.LogEntry{Time: ts.Add(time.Duration(i)), Labels: map[string]string{"app": "a"}, Line: l})
	}
	return Event{Entries: es}
}

func recv(t *testing.T, st sources.LogTail) []string {
	t.Helper()
	select {
	case b, ok := <-st.C():
		if !ok {
			t.Fatalf("tail closed: %v", st.Err())
		}
		return lines(b)
	case <-time.After(5 * time.Second):
		t.Fatal("no batch")
	}
	return nil
}

// Twenty readers of one query share one upstream connection; each gets
// every batch; the last one out closes the connection.
func TestHubSharesOneConnection(t *testing.T) {
	now := time.Now()
	gate := make(chan struct{})
	conn := newScriptConn(
		scriptEvent{ev: Event{Ready: true}},
		scriptEvent{ev: frameOf(now, "one", "two"), before: func() { <-gate }},
	)
	f := &fakeDialer{conns: []Conn{conn}}
	hub := NewHub(tailerOf{f}, f.CatchUp, Options{})
	defer hub.Close()
	ctx, cancel := context.WithCancel(t.Context())
	var readers []sources.LogTail
	for range 20 {
		readers = append(readers, hub.Tail(ctx, `{app="a"}`, time.Time{}))
	}
	close(gate)
	for i, st := range readers {
		if got := recv(t, st); len(got) != 2 || got[0] != "one" {
			t.Fatalf("reader %d got %v", i, got)
		}
	}
	if f.dialCount() != 1 || hub.Opened() != 1 || hub.Active() != 1 {
		t.Fatalf("dials=%d opened=%d active=%d, want one shared connection", f.dialCount(), hub.Opened(), hub.Active())
	}
	cancel()
	for _, st := range readers {
		<-st.Done()
		if st.Err() != nil {
			t.Fatalf("reader ended with %v after its context ended", st.Err())
		}
		if s := st.Status(); s.State != sources.TailStopped {
			t.Fatalf("ended reader's status %+v", s)
		}
	}
	select {
	case <-conn.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the upstream connection stayed open after the last reader left")
	}
	if hub.Active() != 0 {
		t.Fatal("stream still listed")
	}
}

// A reader that joins a running tail with a start in the past catches up
// on its own, then gets the live stream without repeating the seam.
func TestHubLateReaderCatchesUp(t *testing.T) {
	now := time.Now().Add(-time.Minute)
	app := map[string]string{"app": "a"}
	f := &fakeDialer{pageSize: 100}
	f.store(entry(app, now, "old"), entry(app, now.Add(time.Second), "seam"))()
	live := make(chan struct{})
	conn := newScriptConn(
		scriptEvent{ev: Event{Ready: true}},
		scriptEvent{ev: Event{Entries: []sources.LogEntry{
			entry(app, now.Add(time.Second), "seam"),
			entry(app, now.Add(2*time.Second), "new"),
		}}, before: func() { <-live }},
	)
	f.conns = []Conn{conn}
	hub := NewHub(tailerOf{f}, f.CatchUp, Options{})
	defer hub.Close()
	first := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	late := hub.Tail(t.Context(), `{app="a"}`, now.Add(-time.Second))
	if got := recv(t, late); len(got) != 2 || got[0] != "old" || got[1] != "seam" {
		t.Fatalf("catch-up = %v", got)
	}
	close(live)
	if got := recv(t, late); len(got) != 1 || got[0] != "new" {
		t.Fatalf("live after catch-up = %v, want only the new line", got)
	}
	if got := recv(t, first); len(got) != 2 {
		t.Fatalf("first reader = %v", got)
	}
	if f.dialCount() != 1 {
		t.Fatalf("dials = %d", f.dialCount())
	}
}

// A reader that does not read loses batches (counted) without holding
// back the others.
func TestHubSlowReaderDoesNotBlockOthers(t *testing.T) {
	now := time.Now()
	evs := []scriptEvent{{ev: Event{Ready: true}}}
	n := SubscriberBuffer + 20
	for i := range n {
		// Paced like a live stream, so a reader that reads keeps up.
		evs = append(evs, scriptEvent{ev: frameOf(now.Add(time.Duration(i)*time.Millisecond), "x"),
			before: func() { time.Sleep(2 * time.Millisecond) }})
	}
	f := &fakeDialer{conns: []Conn{newScriptConn(evs...)}}
	hub := NewHub(tailerOf{f}, f.CatchUp, Options{})
	defer hub.Close()
	slow := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	fast := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	for i := range n {
		if got := recv(t, fast); len(got) != 1 {
			t.Fatalf("batch %d: %v", i, got)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for slow.Status().Dropped == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if slow.Status().Dropped == 0 {
		t.Fatal("the slow reader's losses are not counted")
	}
	if d := fast.Status().Dropped; d != 0 {
		t.Fatalf("the reading reader lost %d", d)
	}
}

// An upstream that ends for good ends every reader with its error, and
// the next reader of the query opens a new upstream.
func TestHubUpstreamErrorEndsReaders(t *testing.T) {
	bad := &sources.Error{Backend: "fake", Op: "tail", Kind: sources.KindUnauthorized, Msg: "no org id"}
	f := &fakeDialer{conns: []Conn{errConn{err: bad}, newScriptConn(ready(nil))}}
	hub := NewHub(tailerOf{f}, f.CatchUp, Options{})
	defer hub.Close()
	a := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	b := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	for _, r := range []sources.LogTail{a, b} {
		waitDone(t, r)
		if sources.KindOf(r.Err()) != sources.KindUnauthorized {
			t.Fatalf("reader ended with %v", r.Err())
		}
		if s := r.Status(); s.State != sources.TailStopped || sources.KindOf(s.LastErr) != sources.KindUnauthorized {
			t.Fatalf("status %+v", s)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for hub.Active() != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	c := hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	waitState(t, c, sources.TailLive)
	if hub.Opened() != 2 {
		t.Fatalf("opened %d upstreams, want a fresh one after the failure", hub.Opened())
	}
}

// Without a way to catch up, a late reader joins live and is told what
// it misses.
func TestHubWithoutCatchUpWarns(t *testing.T) {
	f := &fakeDialer{conns: []Conn{newScriptConn(ready(nil))}}
	hub := NewHub(tailerOf{f}, nil, Options{})
	defer hub.Close()
	hub.Tail(t.Context(), `{app="a"}`, time.Time{})
	late := hub.Tail(t.Context(), `{app="a"}`, time.Now().Add(-time.Hour))
	deadline := time.Now().Add(5 * time.Second)
	for len(late.Status().Warnings) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if w := late.Status().Warnings; len(w) != 1 || !strings.Contains(w[0], "cannot catch up") {
		t.Fatalf("warnings %q", w)
	}
}

// QueryRangeCatchUp asks the backend for a forward window that includes
// the end, with the limit.
func TestQueryRangeCatchUp(t *testing.T) {
	var got sources.LogQuery
	b := queryRangeFunc(func(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error) {
		got = q
		return []string{"w"}, fn([]sources.LogEntry{{Line: "x"}})
	})
	var n int
	ws, err := QueryRangeCatchUp(b)(context.Background(), `{a="b"}`, t0, t0.Add(time.Minute), 42,
		func(es []sources.LogEntry) error { n += len(es); return nil })
	if err != nil || n != 1 || len(ws) != 1 {
		t.Fatalf("n=%d ws=%v err=%v", n, ws, err)
	}
	want := sources.LogQuery{Expr: `{a="b"}`, From: t0, To: t0.Add(time.Minute + time.Nanosecond), Limit: 42, Direction: sources.Forward}
	if got != want {
		t.Fatalf("query %+v, want %+v", got, want)
	}
}

type queryRangeFunc func(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error)

func (f queryRangeFunc) QueryRangeFunc(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error) {
	return f(ctx, q, fn)
}
