package logtail

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// CatchUpFunc reads the entries of expr in [from, to] oldest first, at most
// limit of them, handing them to fn a page at a time; Dialer.CatchUp has
// this shape.
type CatchUpFunc func(ctx context.Context, expr string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error)

// QueryRangeCatchUp builds a CatchUpFunc from a backend's QueryRangeFunc,
// reading forward. The backend treats To as exclusive, so the window
// reaches one nanosecond past to.
func QueryRangeCatchUp(b interface {
	QueryRangeFunc(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error)
}) CatchUpFunc {
	return func(ctx context.Context, expr string, from, to time.Time, limit int, fn func([]sources.LogEntry) error) ([]string, error) {
		q := sources.LogQuery{Expr: expr, From: from, To: to.Add(time.Nanosecond), Limit: limit, Direction: sources.Forward}
		return b.QueryRangeFunc(ctx, q, fn)
	}
}

// NewBackendHub is the hub for a log backend: upstream tails through its
// Tail, late readers caught up through its own QueryRangeFunc.
func NewBackendHub(b interface {
	sources.LogTailer
	QueryRangeFunc(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error)
}, opts Options) *Hub {
	return NewHub(b, QueryRangeCatchUp(b), opts)
}

// Hub shares one live tail per distinct query among many readers, so
// twenty people watching the same stream cost the backend one connection
// (Loki allows 10 tails by default). Each reader gets its own channel: a
// reader that falls behind loses batches (counted in its Status().Dropped)
// instead of slowing the others. A reader that asks to start in the past
// catches up on its own through the hub's CatchUpFunc, then joins the
// shared stream without repeating or losing lines at the seam.
//
// The upstream tail ends when its last reader leaves. Close ends them all.
type Hub struct {
	tailer  sources.LogTailer
	catchUp CatchUpFunc
	opts    Options
	ctx     context.Context
	cancel  context.CancelFunc

	mu      sync.Mutex
	streams map[string]*hubStream
	opened  int
}

var _ sources.LogTailer = (*Hub)(nil)

// SubscriberBuffer is how many batches a reader may lag behind the shared
// stream before it starts losing them.
const SubscriberBuffer = 64

// NewHub returns a hub that opens its upstream tails with tailer and
// catches late readers up with catchUp (a Dialer's CatchUp, or
// QueryRangeCatchUp of a backend). catchUp may be nil: late readers then
// join the live stream without history and a warning says so. Of opts,
// Buffer, MaxCatchUp, CatchUpLead, Seen and Now apply.
func NewHub(tailer sources.LogTailer, catchUp CatchUpFunc, opts Options) *Hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{tailer: tailer, catchUp: catchUp, opts: opts.withDefaults(), ctx: ctx, cancel: cancel,
		streams: map[string]*hubStream{}}
}

// Close ends every shared tail and every reader.
func (h *Hub) Close() { h.cancel() }

// Opened is how many upstream tails the hub has started so far.
func (h *Hub) Opened() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.opened
}

// Active is how many upstream tails are running now.
func (h *Hub) Active() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

// hubStream is one upstream tail and its readers.
type hubStream struct {
	expr   string
	up     sources.LogTail
	cancel context.CancelFunc
	subs   map[*SharedTail]struct{}
}

// SharedTail is one reader's view of a shared tail.
type SharedTail struct {
	ch   chan []sources.LogEntry
	in   chan []sources.LogEntry
	done chan struct{}
	up   sources.LogTail

	mu       sync.Mutex
	err      error
	dropped  int
	catching bool
	stopped  bool
	warn     warnings
}

var _ sources.LogTail = (*SharedTail)(nil)

// Tail follows expr from start (zero means now) on the query's shared
// tail, opening it if this is its first reader. It returns at once; the
// result is a *SharedTail.
func (h *Hub) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	st := &SharedTail{
		ch: make(chan []sources.LogEntry, h.opts.Buffer), in: make(chan []sources.LogEntry, SubscriberBuffer),
		done: make(chan struct{}), catching: !start.IsZero(),
	}
	h.mu.Lock()
	s, ok := h.streams[expr]
	if !ok || h.ctx.Err() != nil {
		uctx, cancel := context.WithCancel(h.ctx)
		// The first reader's start is the upstream's start: it catches up
		// for that reader, and later readers catch up on their own.
		s = &hubStream{expr: expr, up: h.tailer.Tail(uctx, expr, start), cancel: cancel, subs: map[*SharedTail]struct{}{}}
		h.streams[expr] = s
		h.opened++
		st.catching = false
		go h.pump(s)
	}
	s.subs[st] = struct{}{}
	st.up = s.up
	joined := h.opts.Now()
	h.mu.Unlock()
	go h.serve(ctx, s, st, start, joined)
	return st
}

// pump copies the upstream's batches to every reader without blocking on
// any of them.
func (h *Hub) pump(s *hubStream) {
	for batch := range s.up.C() {
		h.mu.Lock()
		for st := range s.subs {
			select {
			case st.in <- batch:
			default:
				st.mu.Lock()
				st.dropped += len(batch)
				st.mu.Unlock()
			}
		}
		h.mu.Unlock()
	}
	// The upstream ended (an error no retry fixes, or Close): end every
	// reader with its error.
	<-s.up.Done()
	h.mu.Lock()
	if h.streams[s.expr] == s {
		delete(h.streams, s.expr)
	}
	for st := range s.subs {
		st.mu.Lock()
		st.err = s.up.Err()
		st.mu.Unlock()
		close(st.in)
	}
	s.subs = nil
	h.mu.Unlock()
}

// leave removes st; the last reader out stops the upstream.
func (h *Hub) leave(s *hubStream, st *SharedTail) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := s.subs[st]; !ok {
		return // the pump already ended it
	}
	delete(s.subs, st)
	if len(s.subs) == 0 {
		s.cancel()
		if h.streams[s.expr] == s {
			delete(h.streams, s.expr)
		}
	}
}

// serve runs one reader: its own catch-up when it joined an upstream that
// was already running, then the shared batches, de-duplicated against what
// the catch-up delivered.
func (h *Hub) serve(ctx context.Context, s *hubStream, st *SharedTail, start, joined time.Time) {
	defer func() {
		h.leave(s, st)
		st.mu.Lock()
		st.stopped = true
		st.mu.Unlock()
		close(st.ch)
		close(st.done)
	}()
	cur := newCursor(start, h.opts.Seen)
	cur.floor = start // a reader's explicit start is its floor; zero is none
	if st.catching {
		h.catchUpReader(ctx, s.expr, st, cur, start, joined)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case batch, ok := <-st.in:
			if !ok {
				return
			}
			if err := st.send(ctx, cur.admit(batch)); err != nil {
				return
			}
		}
	}
}

// catchUpReader reads history for a late reader up to a little past the
// join: the shared stream overlaps it and the cursor drops the overlap.
func (h *Hub) catchUpReader(ctx context.Context, expr string, st *SharedTail, cur *cursor, start, joined time.Time) {
	defer func() {
		st.mu.Lock()
		st.catching = false
		st.mu.Unlock()
	}()
	if h.catchUp == nil {
		st.mu.Lock()
		st.warn.add("this backend cannot catch up a shared tail; lines before joining are not shown")
		st.mu.Unlock()
		return
	}
	n := 0
	ws, err := h.catchUp(ctx, expr, start, joined.Add(h.opts.CatchUpLead), h.opts.MaxCatchUp, func(es []sources.LogEntry) error {
		n += len(es)
		return st.send(ctx, cur.admit(es))
	})
	st.mu.Lock()
	defer st.mu.Unlock()
	st.warn.add(ws...)
	if n >= h.opts.MaxCatchUp {
		st.warn.add(fmt.Sprintf("caught up only the first %d lines; the rest before the live stream were skipped", h.opts.MaxCatchUp))
	}
	if err != nil && ctx.Err() == nil {
		st.warn.add("could not catch up before joining the live tail: " + err.Error())
	}
}

func (st *SharedTail) send(ctx context.Context, es []sources.LogEntry) error {
	if len(es) == 0 {
		return ctx.Err()
	}
	select {
	case st.ch <- es:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// C delivers the entries; it is closed when the reader's tail ends.
func (st *SharedTail) C() <-chan []sources.LogEntry { return st.ch }

// Done is closed after C is closed and the reader's goroutine has exited.
func (st *SharedTail) Done() <-chan struct{} { return st.done }

// Err is the error that ended the shared tail, nil while it runs or when
// the reader's context ended it.
func (st *SharedTail) Err() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err
}

// Status is the shared tail's status with this reader's own losses,
// warnings and catch-up.
func (st *SharedTail) Status() sources.TailStatus {
	s := st.up.Status()
	st.mu.Lock()
	defer st.mu.Unlock()
	s.Dropped += st.dropped
	s.Warnings = append(s.Warnings, st.warn.list...)
	switch {
	case st.stopped:
		s.State, s.LastErr = sources.TailStopped, st.err
	case st.catching && s.State == sources.TailLive:
		s.State = sources.TailConnecting
	}
	return s
}
