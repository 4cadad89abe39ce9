//go:build integration && loki

package loki

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
)

// countingAPI counts the tail websockets actually dialled.
type countingAPI struct {
	lokiAPI
	dials atomic.Int32
}

func (c *countingAPI) tail(ctx context.Context, expr string, start time.Time, in *labelInterner) (logtail.Conn, error) {
	c.dials.Add(1)
	return c.lokiAPI.tail(ctx, expr, start, in)
}

// Twenty readers of one stream on the real Loki: at most 2 tail sockets
// (Loki allows 10), and every reader sees every line pushed.
func TestTailHubTwentyReadersRealLoki(t *testing.T) {
	st := stacktest.Require(t)
	c, err := New(Config{Address: st.LokiURL})
	if err != nil {
		t.Fatal(err)
	}
	api := &countingAPI{lokiAPI: c.api}
	c.api = api
	hub := logtail.NewBackendHub(c, logtail.Options{Now: c.now})
	defer hub.Close()

	run := runID(t)
	expr := fmt.Sprintf(`{test_run=%q}`, run)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	readers := make([]sources.LogTail, 20)
	for i := range readers {
		readers[i] = hub.Tail(ctx, expr, time.Time{})
	}
	// Wait until the shared tail is live, then push.
	deadline := time.Now().Add(30 * time.Second)
	for readers[0].Status().State != TailLive && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if s := readers[0].Status(); s.State != TailLive {
		t.Fatalf("tail not live: %+v", s)
	}
	now := time.Now()
	var lines []stacktest.LokiLine
	for i := range 5 {
		lines = append(lines, stacktest.LokiLine{TS: now.Add(time.Duration(i) * time.Millisecond), Line: fmt.Sprintf("line %d", i)})
	}
	stacktest.PushLoki(t, st.LokiURL, map[string]string{"test_run": run, "app": "tailshare"}, lines)

	for i, r := range readers {
		got := 0
		timeout := time.After(30 * time.Second)
		for got < len(lines) {
			select {
			case b := <-r.C():
				got += len(b)
			case <-timeout:
				t.Fatalf("reader %d saw %d of %d lines", i, got, len(lines))
			}
		}
		if got != len(lines) {
			t.Fatalf("reader %d saw %d lines, want %d", i, got, len(lines))
		}
	}
	n := api.dials.Load()
	t.Logf("20 readers of one stream: %d Loki tail socket(s) dialled", n)
	if n < 1 || n > 2 {
		t.Fatalf("%d tail sockets for 20 readers, want 1 or 2", n)
	}

	// A reader joining late, from before the push, catches up on its own
	// without a new socket.
	late := hub.Tail(ctx, expr, now.Add(-time.Second))
	got := 0
	timeout := time.After(30 * time.Second)
	for got < len(lines) {
		select {
		case b := <-late.C():
			got += len(b)
		case <-timeout:
			t.Fatalf("late reader caught up %d of %d", got, len(lines))
		}
	}
	if m := api.dials.Load(); m != n {
		t.Fatalf("a late reader dialled another socket (%d -> %d)", n, m)
	}

	cancel()
	deadline = time.Now().Add(5 * time.Second)
	for hub.Active() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if hub.Active() != 0 {
		t.Fatal("the shared tail outlived its readers")
	}
}
