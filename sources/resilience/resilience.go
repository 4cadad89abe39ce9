// Package resilience wraps every backend call the same way: a timeout per
// call, a concurrency limit, a circuit breaker per backend, and bounded,
// jittered retries for idempotent reads that failed in a retryable way. It
// also remembers the last good answer, which the UI shows as data age.
package resilience

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/reltui/reltui/sources"
)

// Policy configures a Guard. Zero fields take the defaults of DefaultPolicy.
type Policy struct {
	Timeout       time.Duration // per attempt
	MaxAttempts   int           // including the first; 1 means no retry
	BaseBackoff   time.Duration
	MaxBackoff    time.Duration
	MaxConcurrent int
	// BreakerFailures consecutive failures open the breaker for
	// BreakerOpenFor; then one probe call is let through.
	BreakerFailures uint32
	BreakerOpenFor  time.Duration
}

// DefaultPolicy is what every backend gets unless config says otherwise.
func DefaultPolicy() Policy {
	return Policy{
		Timeout:         30 * time.Second,
		MaxAttempts:     3,
		BaseBackoff:     200 * time.Millisecond,
		MaxBackoff:      2 * time.Second,
		MaxConcurrent:   8,
		BreakerFailures: 5,
		BreakerOpenFor:  15 * time.Second,
	}
}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.Timeout <= 0 {
		p.Timeout = d.Timeout
	}
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseBackoff <= 0 {
		p.BaseBackoff = d.BaseBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = d.MaxBackoff
	}
	if p.MaxConcurrent <= 0 {
		p.MaxConcurrent = d.MaxConcurrent
	}
	if p.BreakerFailures == 0 {
		p.BreakerFailures = d.BreakerFailures
	}
	if p.BreakerOpenFor <= 0 {
		p.BreakerOpenFor = d.BreakerOpenFor
	}
	return p
}

// Health is a snapshot of a backend's recent behaviour.
type Health struct {
	Backend string
	// LastOK is when the last call succeeded; zero if none has.
	LastOK time.Time
	// LastErr is the most recent failure, nil after a success.
	LastErr error
	// Breaker is "closed", "half-open" or "open".
	Breaker string
}

// Guard protects one backend. It is safe for concurrent use and meant to be
// shared by every caller of that backend, including many SSH sessions.
type Guard struct {
	backend string
	policy  Policy
	sem     chan struct{}
	cb      *gobreaker.CircuitBreaker[any]
	now     func() time.Time

	mu      sync.Mutex
	lastOK  time.Time
	lastErr error
}

// New returns a Guard for backend.
func New(backend string, p Policy) *Guard {
	p = p.withDefaults()
	g := &Guard{backend: backend, policy: p, sem: make(chan struct{}, p.MaxConcurrent), now: time.Now}
	g.cb = gobreaker.NewCircuitBreaker[any](gobreaker.Settings{
		Name:        backend,
		MaxRequests: 1,
		Timeout:     p.BreakerOpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= p.BreakerFailures },
		// Only failures that say something about the backend's health
		// count; a bad query or a caller's cancel must not open it.
		IsSuccessful: func(err error) bool { return err == nil || !countsAgainstBackend(err) },
	})
	return g
}

// Backend names the guarded backend.
func (g *Guard) Backend() string { return g.backend }

// Policy returns the effective policy.
func (g *Guard) Policy() Policy { return g.policy }

func countsAgainstBackend(err error) bool {
	switch sources.KindOf(err) {
	case sources.KindUnreachable, sources.KindTimeout, sources.KindServerError, sources.KindBadResponse, sources.KindRateLimited:
		return true
	}
	return false
}

// Health returns the current health snapshot.
func (g *Guard) Health() Health {
	g.mu.Lock()
	defer g.mu.Unlock()
	return Health{Backend: g.backend, LastOK: g.lastOK, LastErr: g.lastErr, Breaker: g.cb.State().String()}
}

// Do runs fn under the guard. fn gets a context bounded by the per-attempt
// timeout. Idempotent calls are retried on retryable failures.
func (g *Guard) Do(ctx context.Context, op string, idempotent bool, fn func(context.Context) error) error {
	_, err := Call(ctx, g, op, idempotent, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, fn(ctx)
	})
	return err
}

// Call is Do for functions that return a value.
func Call[T any](ctx context.Context, g *Guard, op string, idempotent bool, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	attempts := 1
	if idempotent {
		attempts = g.policy.MaxAttempts
	}
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if werr := sleep(ctx, g.backoff(i)); werr != nil {
				break
			}
		}
		var v T
		v, err = once(ctx, g, op, fn)
		if err == nil {
			return v, nil
		}
		k := sources.KindOf(err)
		if !k.Retryable() || ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() != nil && err == nil {
		err = ctx.Err()
	}
	return zero, sources.Wrap(g.backend, op, err)
}

// once makes one attempt: breaker, concurrency slot, timeout.
func once[T any](ctx context.Context, g *Guard, op string, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	defer func() { <-g.sem }()

	actx, cancel := context.WithTimeout(ctx, g.policy.Timeout)
	defer cancel()
	out, err := g.cb.Execute(func() (any, error) {
		v, err := fn(actx)
		if err != nil {
			return nil, sources.Wrap(g.backend, op, err)
		}
		return v, nil
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		err = &sources.Error{Backend: g.backend, Op: op, Kind: sources.KindCircuitOpen,
			Msg: "too many recent failures; calls paused for up to " + g.policy.BreakerOpenFor.String(), Err: err}
	}
	if err == nil && actx.Err() != nil && ctx.Err() == nil {
		// fn ignored its context and returned late but without error; the
		// result is still good.
		err = nil
	}
	g.record(err)
	if err != nil {
		return zero, err
	}
	v, _ := out.(T)
	return v, nil
}

func (g *Guard) record(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err == nil {
		g.lastOK = g.now()
		g.lastErr = nil
		return
	}
	if sources.KindOf(err) == sources.KindCanceled {
		return
	}
	g.lastErr = err
}

// backoff is full jitter over an exponential ceiling.
func (g *Guard) backoff(attempt int) time.Duration {
	ceil := g.policy.BaseBackoff << (attempt - 1)
	if ceil > g.policy.MaxBackoff || ceil <= 0 {
		ceil = g.policy.MaxBackoff
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
