package loki

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/transport"
)

// wsServer serves the tail endpoint with handle and answers query_range with
// an empty stream result, so that catching up finds nothing.
func wsServer(t *testing.T, handle func(n int32, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var dials atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tailPath {
			handle(dials.Add(1), w, r)
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"streams","result":[]}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &dials
}

func TestTailHandshakeRefusedWithParseError(t *testing.T) {
	srv, dials := wsServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "parse error at line 1, col 1: syntax error: unexpected $end", http.StatusBadRequest)
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	tl := c.Tail(context.Background(), `{`, time.Time{})
	waitDone(t, tl)
	if sources.KindOf(tl.Err()) != sources.KindBadQuery || !strings.Contains(tl.Err().Error(), "parse error") {
		t.Fatalf("tail ended with %v", tl.Err())
	}
	if dials.Load() != 1 {
		t.Fatalf("a bad query was redialled: %d dials", dials.Load())
	}
}

// A garbage websocket message is a broken connection: the tail reports it,
// reconnects, and goes on with the next connection's entries.
func TestTailGarbageFrameReconnects(t *testing.T) {
	up := websocket.Upgrader{}
	srv, dials := wsServer(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		if n == 1 {
			_ = conn.WriteMessage(websocket.TextMessage, []byte("\x00\xffnot json"))
		} else {
			_ = conn.WriteMessage(websocket.TextMessage, []byte(
				`{"streams":[{"stream":{"app":"t"},"values":[["`+strconv.FormatInt(time.Now().UnixNano(), 10)+`","good line"]]}]}`))
		}
		// Stay open until the client goes.
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	c.tailRetryBase = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, time.Time{})
	got := collect(t, tl, 1)
	if got[0].Line != "good line" || got[0].Labels["app"] != "t" {
		t.Fatalf("got %+v", got[0])
	}
	if dials.Load() < 2 || tl.Status().Reconnects < 1 {
		t.Fatalf("no reconnect after garbage: %d dials, status %+v", dials.Load(), tl.Status())
	}
	cancel()
	waitDone(t, tl)
}

// Loki's own reasons for ending a tail come in the close frame; the tail
// keeps the text and reconnects.
func TestTailCloseFrameReasonIsKept(t *testing.T) {
	up := websocket.Upgrader{}
	srv, _ := wsServer(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if n == 1 {
			_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
			_ = conn.WriteMessage(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseInternalServerErr, "reached tail max duration limit"))
			return
		}
		// The second connection is refused by Loki's tail limit.
		_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInternalServerErr,
			"max concurrent tail requests limit exceeded, count > limit (11 > 10)"))
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	c.tailRetryBase = time.Hour // stay in the first backoff so the status can be read
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{app="t"}`, time.Time{})
	st := waitState(t, tl, TailReconnecting)
	if sources.KindOf(st.LastErr) != sources.KindServerError || !strings.Contains(st.LastErr.Error(), "tail max duration") {
		t.Fatalf("status %+v", st)
	}
	cancel()
	waitDone(t, tl)
	if k := tailReadError(&websocket.CloseError{Code: websocket.CloseInternalServerErr,
		Text: "max concurrent tail requests limit exceeded, count > limit (11 > 10)"}, maxTailFrame); sources.KindOf(k) != sources.KindRateLimited {
		t.Fatalf("tail limit classified as %v", k)
	}
}

// A handshake that hangs must not keep the tail alive past its context: the
// dial is bound to the context, not only to a deadline.
func TestTailHungHandshakeEndsOnCancel(t *testing.T) {
	release := make(chan struct{})
	srv, dials := wsServer(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	p := fastPolicy()
	p.Timeout = time.Hour // only the cancel can end the dial
	c := faultClient(t, srv.URL, p, transport.Options{})
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	tl := c.Tail(ctx, `{app="t"}`, time.Time{})
	for dials.Load() == 0 {
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	waitDone(t, tl)
	if tl.Err() != nil {
		t.Fatalf("a cancelled tail reports %v", tl.Err())
	}
	// Goroutines of the tail and its dial are gone (the server's own
	// handler goroutine is released by the deferred close).
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Fatalf("%d goroutines before the tail, %d after it ended", before, n)
	}
}
