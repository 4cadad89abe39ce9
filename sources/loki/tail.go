package loki

import (
	"context"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// Tail tuning. Loki closes every tail after tail_max_duration (1h by
// default) and on restart, so reconnecting is routine, not exceptional.
const (
	tailBackoffBase = 250 * time.Millisecond
	tailBackoffMax  = 10 * time.Second
	// maxTailBackfill bounds the catch-up after a (re)connect. Past it the
	// tail says so in its warnings and goes on live.
	maxTailBackfill = 50000
	// tailBackfillLead reaches the catch-up past now, for lines whose
	// senders' clocks run ahead of ours.
	tailBackfillLead = time.Minute
	// tailDialSkew keeps the tail's start behind Loki's clock: Loki refuses
	// a tail whose start is after its now.
	tailDialSkew = 30 * time.Second
	// tailSeen is how many recently delivered entries are remembered to
	// drop the overlap between catch-up and the live stream.
	tailSeen = 20000
)

// TailState and TailStatus are the contract's tail types.
type (
	// TailState is what a Tail is doing.
	TailState = sources.TailState
	// TailStatus is a snapshot of a Tail.
	TailStatus = sources.TailStatus
)

// The states of a Tail.
const (
	TailConnecting   = sources.TailConnecting
	TailLive         = sources.TailLive
	TailReconnecting = sources.TailReconnecting
	TailStopped      = sources.TailStopped
)

// Tail follows a log query live. Entries arrive on C in batches, oldest
// first within a batch. After a lost connection it reconnects with backoff,
// catches up with query_range from the newest timestamp it had received, and
// drops the entries at that timestamp it had already delivered, so nothing
// repeats and nothing sent in between is lost (entries that arrive with a
// timestamp older than one already delivered, while disconnected, cannot be
// told apart from old ones and are not fetched). The tail ends when its
// context is cancelled or on an error no retry can fix (a bad query, bad
// credentials, a wrong address); then C is closed and Err says why.
type Tail struct {
	ch   chan []sources.LogEntry
	done chan struct{}

	mu     sync.Mutex
	status TailStatus
	warn   warnings
	err    error
}

// C delivers the entries. It is closed when the tail ends. Read it promptly:
// while it is full the websocket is not read, and Loki drops entries.
func (t *Tail) C() <-chan []sources.LogEntry { return t.ch }

// Done is closed after C is closed and the tail's goroutines have exited.
func (t *Tail) Done() <-chan struct{} { return t.done }

// Err is the error that ended the tail: nil while it runs and when it ended
// because its context was cancelled.
func (t *Tail) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Status returns a snapshot of the tail's state.
func (t *Tail) Status() TailStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.status
	s.Warnings = append([]string(nil), t.warn.list...)
	return s
}

// Tail starts following expr from start (zero means now) and returns at
// once; connection failures show in Status, not as a return value.
func (c *Client) Tail(ctx context.Context, expr string, start time.Time) *Tail {
	t := &Tail{ch: make(chan []sources.LogEntry, 16), done: make(chan struct{})}
	if start.IsZero() {
		start = c.now()
	}
	t.status = TailStatus{State: TailConnecting, Since: c.now()}
	go t.run(ctx, c, expr, start)
	return t
}

// tailKey identifies a delivered entry cheaply: timestamp plus a hash of
// stream and line. A 64-bit hash over a few tens of thousands of entries
// makes a false "already seen" vanishingly unlikely.
type tailKey struct {
	ts int64
	h  uint64
}

// tailCursor is where a tail stands: what it delivered last and what it
// still remembers having delivered.
type tailCursor struct {
	start  time.Time // where the caller asked to begin
	last   time.Time // newest timestamp delivered; zero before the first
	atLast map[tailKey]struct{}
	seen   seenRing
	seed   maphash.Seed
}

func (cur *tailCursor) key(e sources.LogEntry) tailKey {
	var h maphash.Hash
	h.SetSeed(cur.seed)
	_, _ = h.WriteString(labelsKey(e.Labels))
	_ = h.WriteByte(0)
	_, _ = h.WriteString(e.Line)
	return tailKey{ts: e.Time.UnixNano(), h: h.Sum64()}
}

// resumeFrom is where catching up starts: the newest timestamp delivered,
// inclusive, or the requested start if nothing came yet.
func (cur *tailCursor) resumeFrom() time.Time {
	if cur.last.IsZero() {
		return cur.start
	}
	return cur.last
}

// admit drops entries already delivered and records the rest.
func (cur *tailCursor) admit(es []sources.LogEntry) []sources.LogEntry {
	out := make([]sources.LogEntry, 0, len(es))
	for _, e := range es {
		k := cur.key(e)
		if cur.seen.has(k) {
			continue
		}
		if _, dup := cur.atLast[k]; dup && e.Time.Equal(cur.last) {
			continue
		}
		cur.seen.add(k)
		switch {
		case e.Time.After(cur.last):
			cur.last = e.Time
			cur.atLast = map[tailKey]struct{}{k: {}}
		case e.Time.Equal(cur.last):
			cur.atLast[k] = struct{}{}
		}
		out = append(out, e)
	}
	return out
}

// seenRing remembers the last n keys.
type seenRing struct {
	keys []tailKey
	pos  int
	set  map[tailKey]struct{}
}

func (r *seenRing) has(k tailKey) bool {
	_, ok := r.set[k]
	return ok
}

func (r *seenRing) add(k tailKey) {
	if r.set == nil {
		r.set = make(map[tailKey]struct{}, tailSeen)
		r.keys = make([]tailKey, 0, tailSeen)
	}
	if len(r.keys) < tailSeen {
		r.keys = append(r.keys, k)
	} else {
		delete(r.set, r.keys[r.pos])
		r.keys[r.pos] = k
		r.pos = (r.pos + 1) % tailSeen
	}
	r.set[k] = struct{}{}
}

func (t *Tail) setState(s TailState, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status.State != s {
		t.status.State = s
		t.status.Since = time.Now()
	}
	t.status.LastErr = err
	if s == TailReconnecting {
		t.status.Reconnects++
	}
}

func (t *Tail) run(ctx context.Context, c *Client, expr string, start time.Time) {
	var endErr error
	defer func() {
		t.mu.Lock()
		t.err = endErr
		t.status.State, t.status.Since, t.status.LastErr = TailStopped, time.Now(), endErr
		t.mu.Unlock()
		close(t.ch)
		close(t.done)
	}()
	cur := &tailCursor{start: start, seed: maphash.MakeSeed()}
	in := newInterner()
	attempt := 0
	for {
		live, err := t.session(ctx, c, expr, cur, in)
		if ctx.Err() != nil {
			return
		}
		switch sources.KindOf(err) {
		case sources.KindBadQuery, sources.KindUnauthorized, sources.KindNotFound:
			endErr = err
			return
		}
		if live {
			attempt = 0
		}
		t.setState(TailReconnecting, err)
		if sleepCtx(ctx, c.tailBackoff(attempt)) != nil {
			return
		}
		attempt++
	}
}

// tailBackoff is an exponential ceiling with the lower half jittered, so
// that many tails cut by one restart do not redial in step.
func (c *Client) tailBackoff(attempt int) time.Duration {
	base, ceil := c.tailBase(), tailBackoffMax
	d := base << min(attempt, 16)
	if d > ceil || d <= 0 {
		d = ceil
	}
	return d/2 + rand.N(d/2+1)
}

func (c *Client) tailBase() time.Duration {
	if c.tailRetryBase > 0 {
		return c.tailRetryBase
	}
	return tailBackoffBase
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

// session runs one connection: dial, wait until Loki's tailer is
// subscribed, catch up from the resume point, then stream. It reports
// whether it got as far as live.
func (t *Tail) session(ctx context.Context, c *Client, expr string, cur *tailCursor, in *labelInterner) (bool, error) {
	t.setState(TailConnecting, t.Status().LastErr)
	dialAt := c.now().Add(-tailDialSkew)
	// Only the dial runs under the guard (its deadline bounds the
	// handshake); the open connection lives until conn.close.
	conn, err := resilience.Call(ctx, c.guard, "tail", false, func(actx context.Context) (tailConn, error) {
		return c.api.tail(actx, expr, dialAt, in)
	})
	if err != nil {
		return false, err
	}
	defer conn.close()

	// Catching up before Loki's tailer is subscribed would leave a gap for
	// lines pushed in between; the first ping (or frame) says it is.
	first, err := conn.next(ctx)
	if err != nil {
		return false, err
	}
	if err := t.catchUp(ctx, c, expr, cur, in); err != nil {
		return false, err
	}
	t.setState(TailLive, nil)
	ev := first
	for {
		if err := t.deliver(ctx, cur, ev.frame); err != nil {
			return true, err
		}
		if ev, err = conn.next(ctx); err != nil {
			return true, err
		}
	}
}

// catchUp reads, forward and paged, everything from the resume point to a
// little past now. Overlap with the live stream is dropped in deliver.
func (t *Tail) catchUp(ctx context.Context, c *Client, expr string, cur *tailCursor, in *labelInterner) error {
	q := Query{Expr: expr, From: cur.resumeFrom(), To: c.now().Add(tailBackfillLead), Limit: maxTailBackfill, Direction: Forward}
	var w warnings
	n, err := c.walk(ctx, q, in, &w, func(es []sources.LogEntry) error {
		return t.deliver(ctx, cur, tailFrame{entries: es})
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	t.warn.add(w.list...)
	if n >= maxTailBackfill {
		t.warn.add(fmt.Sprintf("caught up only the first %d lines after connecting; lines after them and before the live stream were skipped", maxTailBackfill))
	}
	if sources.KindOf(err) == sources.KindTooMuchData {
		// Retrying would fail the same way forever; go live and say what
		// is missing.
		t.warn.add("could not catch up after connecting, lines written while disconnected are missing: " + err.Error())
		return nil
	}
	return err
}

func (t *Tail) deliver(ctx context.Context, cur *tailCursor, f tailFrame) error {
	es := cur.admit(f.entries)
	t.mu.Lock()
	t.status.Dropped += f.dropped
	t.status.Last = cur.last
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
