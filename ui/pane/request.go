package pane

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Result is the answer to one request a Request started. It is routed to
// Pane (Routed) and carries the request's name and sequence number, so a
// pane holding several requests of one type tells them apart and an
// answer to a request replaced since is dropped.
type Result[T any] struct {
	Pane  string
	Name  string
	Seq   int
	Value T
	// Err is the request's error. A partial answer may carry both a
	// Value and an Err; the pane decides what of Value to keep.
	Err error
}

// PaneID implements Routed.
func (r Result[T]) PaneID() string { return r.Pane }

// Stamp identifies one run of a Request. A run that sends more than its
// answer (progress snapshots, a stream's next read) puts the stamp on each
// of its messages, and the pane asks Current before using one.
type Stamp struct {
	Pane string
	Name string
	Seq  int
}

// NewResult is the answer of the run stamped s, for a run started with
// StartWith.
func NewResult[T any](s Stamp, v T, err error) Result[T] {
	return Result[T]{Pane: s.Pane, Name: s.Name, Seq: s.Seq, Value: v, Err: err}
}

// RequestConfig names a request and bounds it.
type RequestConfig struct {
	// Pane is the ID of the pane the answers are routed to.
	Pane string
	// Name tells this request's answers from another request's of the
	// same value type in the same pane ("" when the pane has one).
	Name string
	// Timeout bounds one run from the moment its Cmd starts; 0 means
	// no timeout beyond the parent context's.
	Timeout time.Duration
	// Now is the clock that dates errors and answers; nil means time.Now.
	Now func() time.Time
}

// Request is the lifecycle of one kind of backend request in a pane:
// Start runs it as a Cmd under a cancellable context with a timeout,
// cancelling the one before; Accept takes the answer only when it is the
// latest; while a run is out Busy is true and the last good answer
// (Last) stays, so the view keeps showing it; an error is kept with the
// time it came (Err, ErrAt, ErrText) until the next good answer.
//
// The zero value is not usable; build it with NewRequest. A Request is
// part of the pane's model and is only touched from Update.
type Request[T any] struct {
	cfg    RequestConfig
	seq    int
	busy   bool
	cancel context.CancelFunc

	last    T
	hasLast bool
	lastAt  time.Time
	err     error
	errAt   time.Time
}

// NewRequest builds a request with no run out and no answer yet.
func NewRequest[T any](cfg RequestConfig) Request[T] {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return Request[T]{cfg: cfg}
}

// Start cancels the run that is out, if any, and returns the Cmd of a new
// one: fn under a context that parent's end, Stop, the next Start or the
// timeout cancel. fn runs off the UI goroutine, so it must capture its
// inputs by value and never touch the model.
func (r *Request[T]) Start(parent context.Context, fn func(ctx context.Context) (T, error)) tea.Cmd {
	r.release()
	r.seq++
	ctx, cancel := context.WithCancel(parent)
	r.cancel, r.busy = cancel, true
	id, name, seq, tmo := r.cfg.Pane, r.cfg.Name, r.seq, r.cfg.Timeout
	return func() tea.Msg {
		if tmo > 0 {
			var done context.CancelFunc
			ctx, done = context.WithTimeout(ctx, tmo)
			defer done()
		}
		v, err := fn(ctx)
		return Result[T]{Pane: id, Name: name, Seq: seq, Value: v, Err: err}
	}
}

// StartWith is Start for a run whose Cmds the pane builds itself: one that
// reports progress before its answer, or a stream that re-issues its read.
// build gets the run's context (cancelled like Start's; the timeout, when
// set, counts from now and spans all of the run's Cmds) and its Stamp. The
// run ends with NewResult(stamp, …) through Accept; its other messages are
// checked with Current.
func (r *Request[T]) StartWith(parent context.Context, build func(ctx context.Context, s Stamp) tea.Cmd) tea.Cmd {
	r.release()
	r.seq++
	ctx, cancel := context.WithCancel(parent)
	if r.cfg.Timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeout(ctx, r.cfg.Timeout)
		end := cancel
		cancel = func() { stop(); end() }
	}
	r.cancel, r.busy = cancel, true
	return build(ctx, r.stamp())
}

// Current reports whether a message stamped s belongs to the run that is
// out. Unlike Accept it does not end the run.
func (r *Request[T]) Current(s Stamp) bool { return r.busy && s == r.stamp() }

func (r *Request[T]) stamp() Stamp { return Stamp{Pane: r.cfg.Pane, Name: r.cfg.Name, Seq: r.seq} }

// Accept reports whether msg answers this request's latest run. When it
// does, the run is over: Busy turns false, and the answer becomes Last
// (without an error) or Err (with one; Last stays as it was). A stale
// answer, or one for another pane or request, changes nothing.
func (r *Request[T]) Accept(msg Result[T]) bool {
	if msg.Pane != r.cfg.Pane || msg.Name != r.cfg.Name || msg.Seq != r.seq {
		return false
	}
	r.release()
	r.busy = false
	if msg.Err != nil {
		r.err, r.errAt = msg.Err, r.cfg.Now()
		return true
	}
	r.err, r.errAt = nil, time.Time{}
	r.last, r.hasLast, r.lastAt = msg.Value, true, r.cfg.Now()
	return true
}

// Stop gives up on the run that is out: its context is cancelled and its
// answer will be stale. What was shown stays.
func (r *Request[T]) Stop() {
	r.release()
	r.seq++
	r.busy = false
}

// Reset stops the run that is out and forgets the last answer and error,
// as when what the request asks about changes.
func (r *Request[T]) Reset() {
	r.Stop()
	var zero T
	r.last, r.hasLast, r.lastAt = zero, false, time.Time{}
	r.err, r.errAt = nil, time.Time{}
}

func (r *Request[T]) release() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
}

// Busy reports whether a run is out; the pane's spinner turns while it is.
func (r *Request[T]) Busy() bool { return r.busy }

// Seq is the number of the latest run (0 before the first).
func (r *Request[T]) Seq() int { return r.seq }

// Last is the latest answer that came without an error, and whether
// there is one.
func (r *Request[T]) Last() (T, bool) { return r.last, r.hasLast }

// LastAt is when Last came (by the request's clock); zero without one.
func (r *Request[T]) LastAt() time.Time { return r.lastAt }

// Err is the error of the latest answer, nil when it was good or none
// came yet.
func (r *Request[T]) Err() error { return r.err }

// ErrAt is when Err came (by the request's clock).
func (r *Request[T]) ErrAt() time.Time { return r.errAt }

// ErrText is Err as ErrText shows it: its kind and a sanitized reason;
// empty strings without an error.
func (r *Request[T]) ErrText() (kind, reason string) {
	if r.err == nil {
		return "", ""
	}
	return ErrText(r.err)
}
