package logtail

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// A shared tail whose backend sends a frame over the client's limit tells
// every reader why (the limit and the backend), reconnects once for all of
// them, and goes on delivering to each.
func TestHubFrameLimitTellsEveryReaderAndReconnects(t *testing.T) {
	now := time.Now()
	gate := make(chan struct{})
	tooBig := &sources.Error{Backend: "loki", Op: "tail", Kind: sources.KindTooMuchData, Msg: "a tail message larger than 16 MiB"}
	f := &fakeDialer{conns: []Conn{
		newScriptConn(ready(nil), scriptEvent{ev: frameOf(now, "before")}, scriptEvent{err: tooBig}),
		newScriptConn(scriptEvent{ev: Event{Ready: true}, before: func() { <-gate }}, scriptEvent{ev: frameOf(now.Add(time.Second), "after")}),
	}}
	hub := NewHub(tailerOf{f}, f.CatchUp, Options{BackoffBase: 10 * time.Millisecond})
	defer hub.Close()
	var readers []sources.LogTail
	for range 5 {
		readers = append(readers, hub.Tail(t.Context(), `{app="a"}`, time.Time{}))
	}
	for i, r := range readers {
		if got := recv(t, r); len(got) != 1 || got[0] != "before" {
			t.Fatalf("reader %d got %v", i, got)
		}
	}
	for i, r := range readers {
		deadline := time.Now().Add(5 * time.Second)
		var st sources.TailStatus
		for time.Now().Before(deadline) {
			if st = r.Status(); sources.KindOf(st.LastErr) == sources.KindTooMuchData {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if sources.KindOf(st.LastErr) != sources.KindTooMuchData || !strings.Contains(st.LastErr.Error(), "loki tail") ||
			!strings.Contains(st.LastErr.Error(), "16 MiB") || st.State == sources.TailLive {
			t.Fatalf("reader %d was not told about the limit: %+v", i, st)
		}
	}
	close(gate)
	for i, r := range readers {
		if got := recv(t, r); len(got) != 1 || got[0] != "after" {
			t.Fatalf("reader %d after the reconnect got %v", i, got)
		}
	}
	if f.dialCount() != 2 || hub.Opened() != 1 {
		t.Fatalf("dials=%d opened=%d: want one shared upstream that reconnected once", f.dialCount(), hub.Opened())
	}
}
