package loki

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/internal/faulttest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// A tail server that announces one 1 GiB text frame and streams it (the
// frame is never built in memory on either side) gets the configured
// limit's error, and the client's heap stays near the limit: the frame is
// refused from its header, not read.
func TestTailGiBFrameHitsConfiguredLimit(t *testing.T) {
	const limit = 1 << 20
	var streamed atomic.Int64
	up := websocket.Upgrader{}
	srv, dials := wsServer(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		chunk := []byte(strings.Repeat(`{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]}`, 1200))
		streamed.Add(faulttest.StreamHugeTextFrame(conn.NetConn(), 1<<30, chunk))
	})
	c, err := New(Config{Address: srv.URL, Guard: resilience.New(backend, fastPolicy()), MaxTailFrameBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	c.tailRetryBase = 50 * time.Millisecond
	heapPeak := faulttest.HeapPeak()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{a="b"}`, time.Time{})
	st := waitState(t, tl, TailReconnecting)
	peak := heapPeak()
	if sources.KindOf(st.LastErr) != sources.KindTooMuchData || !strings.Contains(st.LastErr.Error(), "loki tail") ||
		!strings.Contains(st.LastErr.Error(), "larger than 1 MiB") {
		t.Fatalf("status %+v", st)
	}
	deadline := time.Now().Add(5 * time.Second)
	for dials.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if dials.Load() < 2 {
		t.Fatalf("the tail did not reconnect after the oversized frame (%d dials)", dials.Load())
	}
	// Margin: the test's own server, the race detector and the runtime.
	const margin = 48 << 20
	t.Logf("streamed %d MiB before the client hung up; peak heap %d KiB", streamed.Load()>>20, peak>>10)
	if peak > limit+margin {
		t.Fatalf("peak heap %d MiB while refusing a 1 GiB frame; limit 1 MiB + margin %d MiB", peak>>20, margin>>20)
	}
	if streamed.Load() >= 1<<30 {
		t.Fatal("the whole 1 GiB frame was read")
	}
}

func TestNegativeSizeLimitsRefused(t *testing.T) {
	if _, err := New(Config{Address: "http://127.0.0.1:1", MaxTailFrameBytes: -1}); err == nil {
		t.Fatal("a negative frame limit was accepted")
	}
}
