package loki

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// TailHub shares one live tail per distinct query among many readers, so
// twenty people watching the same stream cost Loki one websocket (Loki
// allows 10 tails by default). Each reader gets its own SharedTail with
// its own channel: a reader that falls behind loses batches (counted in
// its Status().Dropped) instead of slowing the others. A reader that asks
// to start in the past catches up with query_range on its own, then joins
// the shared stream without repeating or losing lines at the seam.
//
// The upstream tail ends when its last reader leaves. Close ends them all.
type TailHub struct {
	c      *Client
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	streams map[string]*hubStream
	opened  int
}

// subscriberBuffer is how many batches a reader may lag behind before it
// starts losing them.
const subscriberBuffer = 64

// NewTailHub returns a hub that opens its tails with c.
func NewTailHub(c *Client) *TailHub {
	ctx, cancel := context.WithCancel(context.Background())
	return &TailHub{c: c, ctx: ctx, cancel: cancel, streams: map[string]*hubStream{}}
}

// Close ends every shared tail and every reader.
func (h *TailHub) Close() { h.cancel() }

// Opened is how many upstream tails the hub has started so far.
func (h *TailHub) Opened() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.opened
}

// Active is how many upstream tails are running now.
func (h *TailHub) Active() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

// hubStream is one upstream tail and its readers.
type hubStream struct {
	expr   string
	up     *Tail
	cancel context.CancelFunc
	subs   map[*SharedTail]struct{}
}

// SharedTail is one reader's view of a shared tail. It has the methods of
// *Tail, so the Logs pane reads it the same way.
type SharedTail struct {
	ch   chan []sources.LogEntry
	in   chan []sources.LogEntry
	done chan struct{}
	up   *Tail

	mu       sync.Mutex
	err      error
	dropped  int
	catching bool
	stopped  bool
	warn     warnings
}

// Tail follows expr from start (zero means now) on the query's shared
// tail, opening it if this is its first reader. It returns at once.
func (h *TailHub) Tail(ctx context.Context, expr string, start time.Time) *SharedTail {
	st := &SharedTail{
		ch: make(chan []sources.LogEntry, 16), in: make(chan []sources.LogEntry, subscriberBuffer),
		done: make(chan struct{}), catching: !start.IsZero(),
	}
	h.mu.Lock()
	s, ok := h.streams[expr]
	if !ok || h.ctx.Err() != nil {
		uctx, cancel := context.WithCancel(h.ctx)
		// The first reader's start is the upstream's start: it catches up
		// for that reader, and later readers catch up on their own.
		s = &hubStream{expr: expr, up: h.c.Tail(uctx, expr, start), cancel: cancel, subs: map[*SharedTail]struct{}{}}
		h.streams[expr] = s
		h.opened++
		st.catching = false
		go h.pump(s)
	}
	s.subs[st] = struct{}{}
	st.up = s.up
	joined := h.c.now()
	h.mu.Unlock()
	go h.serve(ctx, s, st, start, joined)
	return st
}

// pump copies the upstream's batches to every reader without blocking on
// any of them.
func (h *TailHub) pump(s *hubStream) {
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
func (h *TailHub) leave(s *hubStream, st *SharedTail) {
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

// serve runs one reader: its own catch-up when it joined an upstream
// that was already running, then the shared batches, de-duplicated
// against what the catch-up delivered.
func (h *TailHub) serve(ctx context.Context, s *hubStream, st *SharedTail, start, joined time.Time) {
	defer func() {
		h.leave(s, st)
		st.mu.Lock()
		st.stopped = true
		st.mu.Unlock()
		close(st.ch)
		close(st.done)
	}()
	cur := &tailCursor{start: start, seed: maphash.MakeSeed()}
	if st.catching {
		// Up to a little past the join: the shared stream overlaps it and
		// the cursor drops the overlap.
		q := Query{Expr: s.expr, From: start, To: joined.Add(tailBackfillLead), Limit: maxTailBackfill, Direction: Forward}
		var w warnings
		n, err := h.c.walk(ctx, q, newInterner(), &w, func(es []sources.LogEntry) error {
			return st.send(ctx, cur.admit(es))
		})
		st.mu.Lock()
		st.warn.add(w.list...)
		if n >= maxTailBackfill {
			st.warn.add(fmt.Sprintf("caught up only the first %d lines; the rest before the live stream were skipped", maxTailBackfill))
		}
		if err != nil && ctx.Err() == nil {
			st.warn.add("could not catch up before joining the live tail: " + err.Error())
		}
		st.catching = false
		st.mu.Unlock()
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
func (st *SharedTail) Status() TailStatus {
	s := st.up.Status()
	st.mu.Lock()
	defer st.mu.Unlock()
	s.Dropped += st.dropped
	s.Warnings = append(s.Warnings, st.warn.list...)
	switch {
	case st.stopped:
		s.State, s.LastErr = TailStopped, st.err
	case st.catching && s.State == TailLive:
		s.State = TailConnecting
	}
	return s
}
