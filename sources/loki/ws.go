package loki

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/sanitize"
)

// The tail websocket (Loki's HTTP API reference, "Stream logs").
const (
	// tailIdleTimeout ends a tail connection that went quiet: Loki pings
	// every second, so this long without a ping or a frame means the link
	// is dead even if TCP has not noticed.
	tailIdleTimeout = 15 * time.Second
	// maxTailFrame bounds one websocket message. Loki sends a message per
	// batch of entries; one larger than this is not a tail anyone reads.
	maxTailFrame = 16 << 20
	// tailEvents is how many decoded messages wait for the engine.
	tailEvents = 64
)

// tail dials the tail websocket. Only the dial is bound to ctx; the
// connection lives until Close.
func (a *httpAPI) tail(ctx context.Context, expr string, start time.Time, in *labelInterner) (logtail.Conn, error) {
	const op = "tail"
	q := url.Values{}
	q.Set("query", expr)
	q.Set("start", strconv.FormatInt(start.UnixNano(), 10))
	// The tail's own history is read from the store only (not the
	// ingesters), so catching up is done with query_range instead; ask for
	// as little history as Loki allows.
	q.Set("limit", "1")
	u := a.endpoint(tailPath, "", q)
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	// gorilla honours only a deadline during the handshake, not a cancel:
	// close the dialled connection when ctx ends.
	var mu sync.Mutex
	var dialed []net.Conn
	d := websocket.Dialer{
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := a.dialer.DialContext(ctx, network, addr)
			if err == nil {
				mu.Lock()
				dialed = append(dialed, c)
				mu.Unlock()
			}
			return c, err
		},
		TLSClientConfig:  a.tls,
		Proxy:            a.proxy,
		HandshakeTimeout: time.Minute, // a fallback; the guard's deadline is shorter
		ReadBufferSize:   64 << 10,
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range dialed {
			_ = c.Close()
		}
	})
	conn, resp, err := d.DialContext(ctx, u.String(), a.wsHeader.Clone())
	if !stop() {
		if conn != nil {
			_ = conn.Close()
		}
		return nil, sources.Wrap(backend, op, ctx.Err())
	}
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			return nil, httpError(op, resp.StatusCode, body)
		}
		return nil, sources.TransportError(backend, op, http.MethodGet, u, err)
	}
	conn.SetReadLimit(a.frameLimit)
	return newWSTail(conn, in, a.frameLimit), nil
}

// wsTail reads one tail websocket on its own goroutine, so that frames keep
// being read (and Loki does not drop them) while the engine catches up
// with query_range, and so that Next can honour a context.
type wsTail struct {
	conn   *websocket.Conn
	limit  int64        // the read limit, for the error text
	events chan wsEvent // closed by the reader when it exits
	done   chan struct{}
	once   sync.Once
}

type wsEvent struct {
	ev  logtail.Event
	err error
}

var _ logtail.Conn = (*wsTail)(nil)

func newWSTail(conn *websocket.Conn, in *labelInterner, limit int64) *wsTail {
	w := &wsTail{conn: conn, limit: limit, events: make(chan wsEvent, tailEvents), done: make(chan struct{})}
	go w.read(in)
	return w
}

func (w *wsTail) push(e wsEvent) bool {
	select {
	case w.events <- e:
		return true
	case <-w.done:
		return false
	}
}

func (w *wsTail) read(in *labelInterner) {
	defer close(w.events)
	extend := func() { _ = w.conn.SetReadDeadline(time.Now().Add(tailIdleTimeout)) }
	pinged := false
	w.conn.SetPingHandler(func(data string) error {
		extend()
		if !pinged {
			// Loki's first ping says its tailer is subscribed.
			pinged = true
			w.push(wsEvent{ev: logtail.Event{Ready: true}})
		}
		err := w.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		var ne net.Error
		if err == nil || errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		return err
	})
	for {
		extend()
		_, data, err := w.conn.ReadMessage()
		if err != nil {
			w.push(wsEvent{err: tailReadError(err, w.limit)})
			return
		}
		f, err := decodeTailFrame(data, in)
		if err != nil {
			msg := cut(sanitize.Line(err.Error()), 200)
			w.push(wsEvent{err: &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindBadResponse,
				Msg: "could not decode a tail message: " + msg, Err: err}})
			return
		}
		if !w.push(wsEvent{ev: logtail.Event{Entries: f.entries, Dropped: f.dropped}}) {
			return
		}
	}
}

// Next returns the next frame, the first ping, or why the connection
// ended.
func (w *wsTail) Next(ctx context.Context) (logtail.Event, error) {
	select {
	case e, ok := <-w.events:
		if !ok {
			return logtail.Event{}, &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "connection closed"}
		}
		return e.ev, e.err
	case <-ctx.Done():
		return logtail.Event{}, sources.Wrap(backend, "tail", ctx.Err())
	}
}

// Close says goodbye to Loki and closes the connection; the reader
// goroutine then exits.
func (w *wsTail) Close() {
	w.once.Do(func() {
		close(w.done)
		_ = w.conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(500*time.Millisecond))
		_ = w.conn.Close()
	})
}

// tailReadError types the end of a tail connection. Loki reports its own
// failures (tail max duration reached, too many tails, ingesters gone) in
// the close frame's text.
func tailReadError(err error, limit int64) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		text := sanitize.Line(ce.Text)
		kind := sources.KindUnreachable
		if ce.Code == websocket.CloseInternalServerErr {
			kind = sources.KindForAnswer(http.StatusInternalServerError, text)
		}
		if text == "" {
			text = fmt.Sprintf("connection closed (code %d)", ce.Code)
		}
		return &sources.Error{Backend: backend, Op: "tail", Kind: kind, Msg: cut(text, 400), Err: err}
	}
	if errors.Is(err, websocket.ErrReadLimit) {
		return &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindTooMuchData,
			Msg: "a tail message larger than " + size(limit), Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindTimeout,
			Msg: fmt.Sprintf("no message or ping from Loki for %s", tailIdleTimeout), Err: err}
	}
	e := sources.Wrap(backend, "tail", err)
	if se, ok := e.(*sources.Error); ok && se.Kind == sources.KindUnknown {
		se.Kind = sources.KindUnreachable
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			se.Msg = "connection dropped"
		}
	}
	return e
}
