package loki

import (
	"context"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func frameOf(ts time.Time, lines ...string) tailEvent {
	var es []sources.LogEntry
	for i, l := range lines {
		es = append(es, sources.LogEntry{Time: ts.Add(time.Duration(i)), Labels: map[string]string{"app": "a"}, Line: l})
	}
	return tailEvent{frame: tailFrame{entries: es}}
}

func recv(t *testing.T, st *SharedTail) []string {
	t.Helper()
	select {
	case b, ok := <-st.C():
		if !ok {
			t.Fatal("tail closed")
		}
		var out []string
		for _, e := range b {
			out = append(out, e.Line)
		}
		return out
	case <-time.After(5 * time.Second):
		t.Fatal("no batch")
	}
	return nil
}

// Twenty readers of one query share one upstream connection; each gets
// every batch; the last one out closes the connection.
func TestTailHubSharesOneConnection(t *testing.T) {
	now := time.Now()
	gate := make(chan struct{})
	conn := newScriptConn(
		scriptEvent{ev: tailEvent{ping: true}},
		scriptEvent{ev: frameOf(now, "one", "two"), before: func() { <-gate }},
	)
	f := &fakeLoki{tails: []tailConn{conn}}
	hub := NewTailHub(newFakeClient(t, f, 100, time.Hour))
	defer hub.Close()
	ctx, cancel := context.WithCancel(t.Context())
	var readers []*SharedTail
	for range 20 {
		readers = append(readers, hub.Tail(ctx, `{app="a"}`, time.Time{}))
	}
	close(gate)
	for i, st := range readers {
		if got := recv(t, st); len(got) != 2 || got[0] != "one" {
			t.Fatalf("reader %d got %v", i, got)
		}
	}
	if f.dials != 1 || hub.Opened() != 1 || hub.Active() != 1 {
		t.Fatalf("dials=%d opened=%d active=%d, want one shared connection", f.dials, hub.Opened(), hub.Active())
	}
	cancel()
	for _, st := range readers {
		<-st.Done()
		if st.Err() != nil {
			t.Fatalf("reader ended with %v after its context ended", st.Err())
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
// from the store, then gets the live stream without repeating the seam.
func TestTailHubLateReaderCatchesUp(t *testing.T) {
	now := time.Now().Add(-time.Minute)
	f := &fakeLoki{}
	f.add(map[string]string{"app": "a"}, now, "old")
	f.add(map[string]string{"app": "a"}, now.Add(time.Second), "seam")
	live := make(chan struct{})
	conn := newScriptConn(
		scriptEvent{ev: tailEvent{ping: true}},
		scriptEvent{ev: tailEvent{frame: tailFrame{entries: []sources.LogEntry{
			{Time: now.Add(time.Second), Labels: map[string]string{"app": "a"}, Line: "seam"},
			{Time: now.Add(2 * time.Second), Labels: map[string]string{"app": "a"}, Line: "new"},
		}}}, before: func() { <-live }},
	)
	f.tails = []tailConn{conn}
	hub := NewTailHub(newFakeClient(t, f, 100, time.Hour))
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
	if f.dials != 1 {
		t.Fatalf("dials = %d", f.dials)
	}
}

// A reader that does not read loses batches (counted) without holding
// back the others.
func TestTailHubSlowReaderDoesNotBlockOthers(t *testing.T) {
	now := time.Now()
	evs := []scriptEvent{{ev: tailEvent{ping: true}}}
	n := subscriberBuffer + 20
	for i := range n {
		// Paced like a live stream, so a reader that reads keeps up.
		evs = append(evs, scriptEvent{ev: frameOf(now.Add(time.Duration(i)*time.Millisecond), "x"), before: func() { time.Sleep(2 * time.Millisecond) }})
	}
	f := &fakeLoki{tails: []tailConn{newScriptConn(evs...)}}
	hub := NewTailHub(newFakeClient(t, f, 100, time.Hour))
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
