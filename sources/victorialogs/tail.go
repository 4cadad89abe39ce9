package victorialogs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/resilience"
)

var _ sources.LogBackend = (*Client)(nil)

// tailStartOffset is how far before its live window the tail endpoint's
// first pass reaches. The engine catches up from the resume point with a
// query anyway; this overlap only covers lines that become searchable
// after that catch-up ran, and its duplicates are dropped by the engine.
const tailStartOffset = 5 * time.Second

// maxTailBatch and maxTailBatchBytes bound what is handed over in one
// event, in entries and in row bytes.
const (
	maxTailBatch      = 1000
	maxTailBatchBytes = 8 << 20
)

// Tail starts following expr (a LogsQL query without stats, sort, limit or
// offset pipes) from start, zero meaning now, and returns at once;
// connection failures show in Status, not as a return value. The tail
// reconnects with backoff after the server closes it or goes away,
// catches up with a query from the newest timestamp it had delivered, and
// drops what it had already delivered. Lines reach it TailConfig.Offset
// after their timestamp, plus up to one refresh interval.
func (c *Client) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	opts := c.tail.Engine
	if opts.Now == nil {
		opts.Now = c.now
	}
	return logtail.Start(ctx, &tailDialer{c: c, in: newInterner()}, expr, start, opts)
}

// tailDialer is the logtail.Dialer of one tail; its connections and its
// catch-up share one interner, so the entries of one stream share one
// labels map for the tail's life.
type tailDialer struct {
	c  *Client
	in *interner
	// floor is the start the tail was asked for: the engine's first dial
	// passes it, and later dials pass a resume point at or after it. The
	// endpoint's first pass reaches back before the dial, so its entries
	// older than floor are dropped; those at or after it are either new
	// or repeats that the engine drops.
	floor time.Time
}

var _ logtail.Dialer = (*tailDialer)(nil)

// Dial opens /select/logsql/tail. VictoriaLogs starts the stream as soon
// as it has parsed the query and sends the headers, so the first event is
// Ready. Only the dial runs under the guard; the open stream lives until
// Close.
func (d *tailDialer) Dial(ctx context.Context, expr string, start time.Time) (logtail.Conn, error) {
	if d.floor.IsZero() {
		d.floor = start
	}
	return resilience.Call(ctx, d.c.guard, "tail", false, func(actx context.Context) (logtail.Conn, error) {
		return d.c.dialTail(actx, expr, d.in, d.floor)
	})
}

// CatchUp reads [from, to] forward, paging as QueryRangeFunc does.
func (d *tailDialer) CatchUp(ctx context.Context, expr string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error) {
	q := sources.LogQuery{Expr: expr, From: from, To: to.Add(time.Nanosecond), Limit: limit, Direction: sources.Forward}
	var w warnings
	_, err := d.c.walk(ctx, q, d.in, &w, fn)
	return w.list, err
}

// Retryable is logtail's usual rule: a bad query, bad credentials and a
// wrong address end the tail.
func (d *tailDialer) Retryable(err error) bool { return logtail.Retryable(err) }

func durationArg(d time.Duration) string {
	return fmt.Sprintf("%dms", max(d.Milliseconds(), 1))
}

func (c *Client) dialTail(dialCtx context.Context, expr string, in *interner, floor time.Time) (*tailConn, error) {
	const op = "tail"
	u := c.endpoint(tailPath)
	form := url.Values{"query": {expr}, "offset": {durationArg(c.tail.Offset)},
		"refresh_interval": {durationArg(c.tail.Refresh)}, "start_offset": {durationArg(tailStartOffset)}}
	// The stream outlives dialCtx, which bounds only the wait for the
	// headers.
	connCtx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(connCtx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		cancel()
		return nil, transportError(op, u, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// Compressed, the stream's headers and rows would wait in the
	// server's gzip buffer instead of going out with each flush.
	req.Header.Set("Accept-Encoding", "identity")
	stop := context.AfterFunc(dialCtx, cancel)
	resp, err := c.hc.Do(req)
	if !stop() {
		// dialCtx ended first; the request was cancelled because of it.
		if err == nil {
			_ = resp.Body.Close()
		}
		cancel()
		return nil, sources.Wrap(backend, op, dialCtx.Err())
	}
	if err != nil {
		cancel()
		return nil, transportError(op, u, err)
	}
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		_ = resp.Body.Close()
		cancel()
		return nil, httpError(op, resp.StatusCode, body, expr)
	}
	tc := &tailConn{c: c, expr: expr, floor: floor, body: resp.Body, cancel: cancel,
		items: make(chan tailItem, 4), quit: make(chan struct{}), exited: make(chan struct{})}
	go tc.read(in)
	return tc, nil
}

// tailConn is one open /select/logsql/tail stream. A goroutine reads and
// decodes it into batches; Next hands them over and watches for silence.
type tailConn struct {
	c      *Client
	expr   string
	floor  time.Time // entries before it are dropped
	body   io.ReadCloser
	cancel context.CancelFunc
	items  chan tailItem
	quit   chan struct{}
	exited chan struct{}
	once   sync.Once
	ready  bool
	// pending is a failure that came with the last batch; Next hands
	// the batch over first and the failure on the following call.
	pending error
}

// tailItem is a batch of entries, or the error that ended the stream.
type tailItem struct {
	entries []sources.LogEntry
	skipped int
	err     error
}

var _ logtail.Conn = (*tailConn)(nil)

// read decodes the stream. VictoriaLogs writes each refresh's rows in one
// go, so the rows already buffered after a read make one batch.
func (tc *tailConn) read(in *interner) {
	defer close(tc.exited)
	const op = "tail"
	lr := newLineReader(tc.body, tc.c.maxLine)
	send := func(it tailItem) bool {
		select {
		case tc.items <- it:
			return true
		case <-tc.quit:
			return false
		}
	}
	var batch []sources.LogEntry
	skipped, size := 0, 0
	for {
		line, err := lr.next()
		if err != nil {
			if err == io.EOF {
				err = &sources.Error{Backend: backend, Op: op, Kind: sources.KindUnreachable, Msg: "the server ended the live tail"}
			} else {
				err = transportError(op, tc.c.endpoint(tailPath), err)
			}
			send(tailItem{entries: batch, skipped: lr.skipped - skipped, err: err})
			return
		}
		e, err := decodeEntry(line, in)
		if err != nil {
			send(tailItem{entries: batch, skipped: lr.skipped - skipped, err: tc.c.readError(op, tc.expr, err)})
			return
		}
		if !e.Time.Before(tc.floor) {
			batch = append(batch, e)
			size += len(line)
		}
		nothing := len(batch) == 0 && lr.skipped == skipped
		if nothing || lr.r.Buffered() > 0 && len(batch) < maxTailBatch && size < maxTailBatchBytes {
			continue
		}
		if !send(tailItem{entries: batch, skipped: lr.skipped - skipped}) {
			return
		}
		batch, skipped, size = nil, lr.skipped, 0
	}
}

// Next returns Ready first, then each batch. When nothing has come for
// IdleProbe, it asks /health: a healthy server just has nothing to say (the
// endpoint sends no keep-alives), an unhealthy one ends the connection so
// the engine reconnects and catches up.
func (tc *tailConn) Next(ctx context.Context) (logtail.Event, error) {
	if !tc.ready {
		tc.ready = true
		return logtail.Event{Ready: true}, nil
	}
	if err := tc.pending; err != nil {
		tc.pending = nil
		return logtail.Event{}, err
	}
	idle := time.NewTimer(tc.c.tail.IdleProbe)
	defer idle.Stop()
	for {
		select {
		case it := <-tc.items:
			ev := logtail.Event{Entries: it.entries, Dropped: it.skipped}
			if it.skipped > 0 {
				ev.Warnings = []string{skippedWarning(it.skipped, tc.c.maxLine)}
			}
			if it.err != nil && len(it.entries) == 0 && it.skipped == 0 {
				return ev, it.err
			}
			tc.pending = it.err
			return ev, nil
		case <-ctx.Done():
			return logtail.Event{}, ctx.Err()
		case <-idle.C:
			if err := tc.probe(ctx); err != nil {
				return logtail.Event{}, err
			}
			idle.Reset(tc.c.tail.IdleProbe)
		}
	}
}

// probe checks the server's health within a bounded time.
func (tc *tailConn) probe(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, min(tc.c.tail.IdleProbe, 10*time.Second))
	defer cancel()
	err := tc.c.health(pctx)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var se *sources.Error
	if errors.As(err, &se) {
		e := *se
		e.Op = "tail"
		e.Msg = fmt.Sprintf("no data for %s and the health check failed: %s", tc.c.tail.IdleProbe, se.Msg)
		if e.Kind == sources.KindBadQuery || e.Kind == sources.KindNotFound || e.Kind == sources.KindUnauthorized {
			// The stream was accepted with the same credentials and
			// address; this is the server failing, worth a reconnect.
			e.Kind = sources.KindServerError
		}
		return &e
	}
	return sources.Wrap(backend, "tail", err)
}

// Close ends the stream and waits for the reader to exit.
func (tc *tailConn) Close() {
	tc.once.Do(func() {
		close(tc.quit)
		tc.cancel()
		_ = tc.body.Close()
		<-tc.exited
	})
}
