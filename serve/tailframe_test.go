package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/internal/faulttest"
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
		chunk := []byte(strings.Repeat(`{"streams":[{"stream":{"a":"b"},"values":[["1","x"]]}]}`, 1000))
		faulttest.StreamHugeTextFrame(conn.NetConn(), 1<<30, chunk)
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
	heapPeak := faulttest.HeapPeak()
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
	peak := heapPeak()
	if dials.Load() < 2 || hub.Opened() != 1 {
		t.Fatalf("%d dials, %d upstreams: want one shared upstream that reconnected", dials.Load(), hub.Opened())
	}
	const margin = 32 << 20
	t.Logf("peak heap %d KiB", peak>>10)
	if peak > limit+margin {
		t.Fatalf("peak heap %d MiB; limit 1 MiB + margin 32 MiB", peak>>20)
	}
}
