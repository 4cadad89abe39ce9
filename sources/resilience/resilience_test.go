package resilience

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func fastPolicy() Policy {
	return Policy{Timeout: 50 * time.Millisecond, MaxAttempts: 3, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxConcurrent: 2, BreakerFailures: 3, BreakerOpenFor: time.Hour}
}

func TestRetriesOnlyRetryableIdempotent(t *testing.T) {
	cases := []struct {
		name       string
		idempotent bool
		kind       sources.Kind
		wantCalls  int32
	}{
		{"server error retried", true, sources.KindServerError, 3},
		{"rate limited retried", true, sources.KindRateLimited, 3},
		{"bad query not retried", true, sources.KindBadQuery, 1},
		{"unauthorized not retried", true, sources.KindUnauthorized, 1},
		{"non-idempotent not retried", false, sources.KindServerError, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fastPolicy()
			p.BreakerFailures = 100
			g := New("test", p)
			var calls atomic.Int32
			err := g.Do(context.Background(), "op", c.idempotent, func(context.Context) error {
				calls.Add(1)
				return &sources.Error{Kind: c.kind, Msg: "boom"}
			})
			if calls.Load() != c.wantCalls {
				t.Fatalf("calls = %d, want %d", calls.Load(), c.wantCalls)
			}
			if sources.KindOf(err) != c.kind {
				t.Fatalf("kind = %v, want %v", sources.KindOf(err), c.kind)
			}
			var se *sources.Error
			if !errors.As(err, &se) || se.Backend != "test" || se.Op != "op" {
				t.Fatalf("error not stamped with backend/op: %#v", err)
			}
		})
	}
}

func TestTimeoutAndBreakerOpens(t *testing.T) {
	p := fastPolicy()
	p.MaxAttempts = 1
	g := New("hang", p)
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	for i := 0; i < 3; i++ {
		if k := sources.KindOf(g.Do(context.Background(), "q", true, hang)); k != sources.KindTimeout {
			t.Fatalf("attempt %d kind = %v, want timeout", i, k)
		}
	}
	var called bool
	err := g.Do(context.Background(), "q", true, func(context.Context) error { called = true; return nil })
	if called || sources.KindOf(err) != sources.KindCircuitOpen {
		t.Fatalf("breaker did not open: called=%v err=%v", called, err)
	}
	if h := g.Health(); h.Breaker != "open" || h.LastErr == nil {
		t.Fatalf("health = %+v", h)
	}
}

func TestBadQueriesDoNotOpenBreaker(t *testing.T) {
	g := New("q", fastPolicy())
	for i := 0; i < 10; i++ {
		_ = g.Do(context.Background(), "q", true, func(context.Context) error { return &sources.Error{Kind: sources.KindBadQuery} })
	}
	if g.Health().Breaker != "closed" {
		t.Fatalf("breaker = %s after bad queries", g.Health().Breaker)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	p := fastPolicy()
	p.Timeout = time.Second
	g := New("c", p)
	var cur, peak atomic.Int32
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() {
			_ = g.Do(context.Background(), "q", true, func(context.Context) error {
				n := cur.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				cur.Add(-1)
				return nil
			})
			done <- struct{}{}
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	if peak.Load() > 2 {
		t.Fatalf("peak concurrency %d > limit 2", peak.Load())
	}
}

func TestHealthRecordsLastOK(t *testing.T) {
	g := New("h", fastPolicy())
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	g.now = func() time.Time { return at }
	v, err := Call(context.Background(), g, "q", true, func(context.Context) (int, error) { return 42, nil })
	if err != nil || v != 42 {
		t.Fatalf("Call = %v, %v", v, err)
	}
	if h := g.Health(); !h.LastOK.Equal(at) || h.LastErr != nil {
		t.Fatalf("health = %+v", h)
	}
}

func TestCallerCancelStopsRetries(t *testing.T) {
	g := New("x", fastPolicy())
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := g.Do(ctx, "q", true, func(context.Context) error {
		calls.Add(1)
		cancel()
		return &sources.Error{Kind: sources.KindServerError}
	})
	if calls.Load() != 1 || err == nil {
		t.Fatalf("calls=%d err=%v", calls.Load(), err)
	}
}
