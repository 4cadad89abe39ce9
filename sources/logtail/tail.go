package logtail

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// Dialer is what a backend gives the tail engine.
type Dialer interface {
	// Dial opens one live connection for expr. start is the tail's resume
	// point; a backend may begin its live stream later than start (the
	// engine catches up on the gap) but never needs to begin earlier. ctx
	// bounds the dial only; the connection lives until Conn.Close.
	Dial(ctx context.Context, expr string, start time.Time) (Conn, error)
	// CatchUp reads the entries of expr in [from, to] oldest first, at
	// most limit of them, handing them to fn a page at a time. An error
	// from fn stops it and is returned as is. Warnings come back even on
	// error.
	CatchUp(ctx context.Context, expr string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error)
	// Retryable reports whether a failed dial or a lost connection is
	// worth reconnecting after. A bad query, bad credentials or a wrong
	// address are not: the tail ends with that error.
	Retryable(err error) bool
}

// Conn is one live connection.
type Conn interface {
	// Next blocks for the next event or until ctx ends. An error ends the
	// connection; the engine then closes it and reconnects or stops.
	Next(ctx context.Context) (Event, error)
	// Close ends the connection and releases its goroutines. It may be
	// called more than once.
	Close()
}

// Event is what a connection delivers.
type Event struct {
	// Ready says the server has subscribed the connection, so that lines
	// written from now on will arrive on it (Loki's first websocket ping).
	// The engine waits for the first event, Ready or not, before catching
	// up; a backend that cannot tell should send Ready as soon as the
	// stream is open.
	Ready bool
	// Entries are new entries, oldest first.
	Entries []sources.LogEntry
	// Dropped counts entries the server says it dropped.
	Dropped int
	// Warnings are the server's, sanitized.
	Warnings []string
}

// Defaults of Options. The server may close a tail at any time (Loki does
// after tail_max_duration, 1h by default, and on restart), so reconnecting
// is routine, not exceptional.
const (
	// DefaultBuffer is the capacity of C, in batches.
	DefaultBuffer = 16
	// DefaultBackoffBase is the first wait before a reconnect; it doubles
	// per failed attempt.
	DefaultBackoffBase = 250 * time.Millisecond
	// DefaultBackoffMax caps the wait before a reconnect.
	DefaultBackoffMax = 10 * time.Second
	// DefaultMaxCatchUp bounds the catch-up after a (re)connect. Past it
	// the tail says so in its warnings and goes on live.
	DefaultMaxCatchUp = 50000
	// DefaultCatchUpLead reaches the catch-up past now, for lines whose
	// senders' clocks run ahead of ours.
	DefaultCatchUpLead = time.Minute
	// DefaultSeen is how many recently delivered entries are remembered
	// to drop the overlap between catch-up and the live stream.
	DefaultSeen = 20000
)

// Options tune a Tail. Zero values mean the defaults above.
type Options struct {
	// Buffer is the capacity of C, in batches.
	Buffer int
	// BackoffBase and BackoffMax bound the wait before each reconnect.
	BackoffBase, BackoffMax time.Duration
	// MaxCatchUp is the most entries read when catching up.
	MaxCatchUp int
	// CatchUpLead is how far past now catching up reaches.
	CatchUpLead time.Duration
	// Seen is how many delivered entries are remembered for de-duplication.
	Seen int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = DefaultBackoffBase
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = DefaultBackoffMax
	}
	if o.BackoffMax < o.BackoffBase {
		o.BackoffMax = o.BackoffBase
	}
	if o.MaxCatchUp <= 0 {
		o.MaxCatchUp = DefaultMaxCatchUp
	}
	if o.CatchUpLead <= 0 {
		o.CatchUpLead = DefaultCatchUpLead
	}
	if o.Seen <= 0 {
		o.Seen = DefaultSeen
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Retryable is the usual Dialer.Retryable: every failure is retried except
// a bad query, bad credentials and a missing endpoint, which no retry
// fixes.
func Retryable(err error) bool {
	switch sources.KindOf(err) {
	case sources.KindBadQuery, sources.KindUnauthorized, sources.KindNotFound:
		return false
	}
	return true
}

// Tail follows a query live. Entries arrive on C in batches, oldest first
// within a batch. After a lost connection it reconnects with backoff,
// catches up from the newest timestamp it had received, and drops the
// entries at that timestamp it had already delivered, so nothing repeats
// and nothing sent in between is lost (entries that arrive with a timestamp
// older than one already delivered, while disconnected, cannot be told
// apart from old ones and are not fetched). The tail ends when its context
// is cancelled or on an error the Dialer says no retry can fix; then C is
// closed and Err says why.
type Tail struct {
	d    Dialer
	expr string
	opts Options
	// floor is the start the caller gave: nothing older is delivered.
	floor time.Time
	ch    chan []sources.LogEntry
	done  chan struct{}

	mu     sync.Mutex
	status sources.TailStatus
	warn   warnings
	err    error
}

var _ sources.LogTail = (*Tail)(nil)

// Start begins following expr from start (zero means now) through d and
// returns at once; connection failures show in Status, not as a return
// value.
func Start(ctx context.Context, d Dialer, expr string, start time.Time, opts Options) *Tail {
	opts = opts.withDefaults()
	t := &Tail{d: d, expr: expr, opts: opts,
		ch: make(chan []sources.LogEntry, opts.Buffer), done: make(chan struct{})}
	// An explicit start is a floor: nothing older is delivered. "Now"
	// (zero) is not, so lines stamped a moment before the tail opened
	// still show.
	t.floor = start
	if start.IsZero() {
		start = opts.Now()
	}
	t.status = sources.TailStatus{State: sources.TailConnecting, Since: opts.Now()}
	go t.run(ctx, start)
	return t
}

// C delivers the entries. It is closed when the tail ends. Read it
// promptly: while it is full the connection is not read, and the server
// may drop entries.
func (t *Tail) C() <-chan []sources.LogEntry { return t.ch }

// Done is closed after C is closed and the tail's goroutines have exited.
func (t *Tail) Done() <-chan struct{} { return t.done }

// Err is the error that ended the tail: nil while it runs and when it
// ended because its context was cancelled.
func (t *Tail) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Status returns a snapshot of the tail's state.
func (t *Tail) Status() sources.TailStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.status
	s.Warnings = append([]string(nil), t.warn.list...)
	return s
}

func (t *Tail) setState(s sources.TailState, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status.State != s {
		t.status.State = s
		t.status.Since = time.Now()
	}
	t.status.LastErr = err
	if s == sources.TailReconnecting {
		t.status.Reconnects++
	}
}

func (t *Tail) run(ctx context.Context, start time.Time) {
	var endErr error
	defer func() {
		t.mu.Lock()
		t.err = endErr
		t.status.State, t.status.Since, t.status.LastErr = sources.TailStopped, time.Now(), endErr
		t.mu.Unlock()
		close(t.ch)
		close(t.done)
	}()
	cur := newCursor(start, t.opts.Seen)
	cur.floor = t.floor
	attempt := 0
	for {
		live, err := t.session(ctx, cur)
		if ctx.Err() != nil {
			return
		}
		if !t.d.Retryable(err) {
			endErr = err
			return
		}
		if live {
			attempt = 0
		}
		t.setState(sources.TailReconnecting, err)
		if sleepCtx(ctx, backoff(t.opts.BackoffBase, t.opts.BackoffMax, attempt)) != nil {
			return
		}
		attempt++
	}
}

// backoff is an exponential ceiling with the lower half jittered, so that
// many tails cut by one restart do not redial in step.
func backoff(base, ceil time.Duration, attempt int) time.Duration {
	d := base << min(attempt, 16)
	if d > ceil || d <= 0 {
		d = ceil
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// session runs one connection: dial, wait until the server has subscribed
// it, catch up from the resume point, then stream. It reports whether it
// got as far as live.
func (t *Tail) session(ctx context.Context, cur *cursor) (bool, error) {
	t.setState(sources.TailConnecting, t.Status().LastErr)
	conn, err := t.d.Dial(ctx, t.expr, cur.resumeFrom())
	if err != nil {
		return false, err
	}
	defer conn.Close()

	// Catching up before the server has subscribed the connection would
	// leave a gap for lines written in between; the first event says it
	// has.
	first, err := conn.Next(ctx)
	if err != nil {
		return false, err
	}
	if err := t.catchUp(ctx, cur); err != nil {
		return false, err
	}
	t.setState(sources.TailLive, nil)
	ev := first
	for {
		if err := t.deliver(ctx, cur, ev); err != nil {
			return true, err
		}
		if ev, err = conn.Next(ctx); err != nil {
			return true, err
		}
	}
}

// catchUp reads, forward, everything from the resume point to a little
// past now. Overlap with the live stream is dropped in deliver.
func (t *Tail) catchUp(ctx context.Context, cur *cursor) error {
	n := 0
	ws, err := t.d.CatchUp(ctx, t.expr, cur.resumeFrom(), t.opts.Now().Add(t.opts.CatchUpLead), t.opts.MaxCatchUp,
		func(es []sources.LogEntry) error {
			n += len(es)
			return t.deliver(ctx, cur, Event{Entries: es})
		})
	t.mu.Lock()
	defer t.mu.Unlock()
	t.warn.add(ws...)
	if n >= t.opts.MaxCatchUp {
		t.warn.add(fmt.Sprintf("caught up only the first %d lines after connecting; lines after them and before the live stream were skipped", t.opts.MaxCatchUp))
	}
	if sources.KindOf(err) == sources.KindTooMuchData {
		// Retrying would fail the same way forever; go live and say what
		// is missing.
		t.warn.add("could not catch up after connecting, lines written while disconnected are missing: " + err.Error())
		return nil
	}
	return err
}

func (t *Tail) deliver(ctx context.Context, cur *cursor, ev Event) error {
	es := cur.admit(ev.Entries)
	t.mu.Lock()
	t.status.Dropped += ev.Dropped
	t.status.Last = cur.last
	t.warn.add(ev.Warnings...)
	t.mu.Unlock()
	if len(es) == 0 {
		return nil
	}
	select {
	case t.ch <- es:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
