package loki

import (
	"context"
	"encoding/binary"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

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
		raw := conn.NetConn()
		hdr := make([]byte, 10)
		hdr[0], hdr[1] = 0x81, 127 // FIN, text; 64-bit length, unmasked
		binary.BigEndian.PutUint64(hdr[2:], 1<<30)
		if _, err := raw.Write(hdr); err != nil {
			return
		}
		chunk := []byte(strings.Repeat(`{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]}`, 1200))
		for sent := 0; sent < 1<<30; sent += len(chunk) {
			_ = raw.SetWriteDeadline(time.Now().Add(2 * time.Second))
			m, err := raw.Write(chunk)
			streamed.Add(int64(m))
			if err != nil {
				return
			}
		}
	})
	c, err := New(Config{Address: srv.URL, Guard: resilience.New(backend, fastPolicy()), MaxTailFrameBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	c.tailRetryBase = 50 * time.Millisecond
	var peak atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{a="b"}`, time.Time{})
	st := waitState(t, tl, TailReconnecting)
	close(stop)
	<-sampled
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
	t.Logf("streamed %d MiB before the client hung up; peak heap %d KiB", streamed.Load()>>20, peak.Load()>>10)
	if p := peak.Load(); p > limit+margin {
		t.Fatalf("peak heap %d MiB while refusing a 1 GiB frame; limit 1 MiB + margin %d MiB", p>>20, margin>>20)
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
