package serve

import (
	"context"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
)

// gibFrameLoki is a Loki whose tail announces one 1 GiB text frame and
// streams it from a small buffer; other endpoints answer empty.
func gibFrameLoki(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var dials atomic.Int32
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/loki/api/v1/tail" {
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"streams","result":[]}}`))
			return
		}
		dials.Add(1)
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		hdr := make([]byte, 10)
		hdr[0], hdr[1] = 0x81, 127
		binary.BigEndian.PutUint64(hdr[2:], 1<<30)
		raw := conn.NetConn()
		chunk := []byte(strings.Repeat(`{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]}`, 1000))
		if _, err := raw.Write(hdr); err != nil {
			return
		}
		for sent := 0; sent < 1<<30; sent += len(chunk) {
			_ = raw.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if _, err := raw.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &dials
}

// In serve, every viewer of a shared tail whose Loki sends a 1 GiB frame
// is told the limit and the backend, the one upstream reconnects, and the
// heap stays under the limit plus a stated margin (32 MiB: the test's own
// server, the race detector's shadow memory is not heap).
func TestSharedTailOverFrameLimitTellsEveryViewer(t *testing.T) {
	const limit = 1 << 20
	srv, dials := gibFrameLoki(t)
	c, err := loki.New(loki.Config{Address: srv.URL, MaxTailFrameBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	hub := NewTailHub(c)
	defer hub.Close()
	logs := SharedLogs(c, hub)
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
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var viewers []sources.LogTail
	for range 5 {
		viewers = append(viewers, logs.Tail(ctx, `{a="b"}`, time.Time{}))
	}
	for i, v := range viewers {
		deadline := time.Now().Add(10 * time.Second)
		st := v.Status()
		for sources.KindOf(st.LastErr) != sources.KindTooMuchData && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
			st = v.Status()
		}
		if msg := errText(st.LastErr); sources.KindOf(st.LastErr) != sources.KindTooMuchData ||
			!strings.Contains(msg, "loki tail") || !strings.Contains(msg, "larger than 1 MiB") {
			t.Fatalf("viewer %d: %+v", i, st)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for dials.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	<-sampled
	if dials.Load() < 2 || hub.Opened() != 1 {
		t.Fatalf("%d dials, %d upstreams: want one shared upstream that reconnected", dials.Load(), hub.Opened())
	}
	const margin = 32 << 20
	t.Logf("peak heap %d KiB", peak.Load()>>10)
	if p := peak.Load(); p > limit+margin {
		t.Fatalf("peak heap %d MiB; limit 1 MiB + margin 32 MiB", p>>20)
	}
}
