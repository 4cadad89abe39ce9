package loki

import (
	"context"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/resilience"
)

// tailDialSkew keeps the tail's start behind Loki's clock: Loki refuses a
// tail whose start is after its now.
const tailDialSkew = 30 * time.Second

// TailState and TailStatus are the contract's tail types.
type (
	// TailState is what a tail is doing.
	TailState = sources.TailState
	// TailStatus is a snapshot of a tail.
	TailStatus = sources.TailStatus
	// Tail is the running tail Client.Tail returns; the engine lives in
	// sources/logtail.
	Tail = logtail.Tail
)

// The states of a tail.
const (
	TailConnecting   = sources.TailConnecting
	TailLive         = sources.TailLive
	TailReconnecting = sources.TailReconnecting
	TailStopped      = sources.TailStopped
)

// Tail starts following expr from start (zero means now) and returns at
// once; connection failures show in Status, not as a return value. The
// result is a *Tail: it reconnects after Loki closes the websocket (it
// does after tail_max_duration and on restart), catches up with
// query_range and drops what it had already delivered.
func (c *Client) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	return logtail.Start(ctx, c.tailDialer(), expr, start, logtail.Options{Now: c.now, BackoffBase: c.tailRetryBase})
}

// tailDialer is the logtail.Dialer of one tail: its websocket connections
// and its catch-up share one label interner, so entries of one stream
// share one labels map for the tail's life.
func (c *Client) tailDialer() *tailDialer {
	return &tailDialer{c: c, in: newInterner()}
}

type tailDialer struct {
	c  *Client
	in *labelInterner
}

var _ logtail.Dialer = (*tailDialer)(nil)

// Dial opens the tail websocket. Loki's tail reads its own history from
// the store only (not the ingesters), so the dial starts a little before
// now whatever the resume point, and the engine catches up with
// query_range. Only the dial runs under the guard (its deadline bounds the
// handshake); the open connection lives until Close.
func (d *tailDialer) Dial(ctx context.Context, expr string, _ time.Time) (logtail.Conn, error) {
	at := d.c.now().Add(-tailDialSkew)
	return resilience.Call(ctx, d.c.guard, "tail", false, func(actx context.Context) (logtail.Conn, error) {
		return d.c.api.tail(actx, expr, at, d.in)
	})
}

// CatchUp walks query_range forward over [from, to], paging and splitting
// as QueryRangeFunc does.
func (d *tailDialer) CatchUp(ctx context.Context, expr string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error) {
	// Loki's end is exclusive.
	q := Query{Expr: expr, From: from, To: to.Add(time.Nanosecond), Limit: limit, Direction: Forward}
	var w warnings
	_, err := d.c.walk(ctx, q, d.in, &w, fn)
	return w.list, err
}

// Retryable is logtail's usual rule: a bad query, bad credentials and a
// wrong address end the tail.
func (d *tailDialer) Retryable(err error) bool { return logtail.Retryable(err) }
