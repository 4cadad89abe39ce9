package serve

import (
	"context"
	"sync"
	"time"

	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/logs"
)

// SharedLogs is the Logs pane's source for every session: queries go to
// the shared client, live tails through hub, so sessions watching the
// same query share one Loki tail socket.
func SharedLogs(c *loki.Client, hub *loki.TailHub) logs.Source {
	if c == nil {
		return nil
	}
	return sharedLogs{c: c, hub: hub}
}

type sharedLogs struct {
	c   *loki.Client
	hub *loki.TailHub
}

func (s sharedLogs) QueryRange(ctx context.Context, q loki.Query) (*loki.Result, error) {
	return s.c.QueryRange(ctx, q)
}

func (s sharedLogs) Tail(ctx context.Context, expr string, start time.Time) logs.Tailer {
	return s.hub.Tail(ctx, expr, start)
}

// Labels lets each session's Logs pane suggest a selector Loki has.
func (s sharedLogs) Labels(ctx context.Context, from, to time.Time) ([]string, error) {
	return s.c.Labels(ctx, from, to)
}

var _ logs.Labeler = sharedLogs{}

// SharePings makes every session's health probe of a backend share one
// probe per ttl: twenty consoles re-checking Loki every 15 s would
// otherwise send it twenty probes.
func SharePings(bs []ui.Backend, ttl time.Duration) []ui.Backend {
	out := make([]ui.Backend, len(bs))
	for i, b := range bs {
		p := &sharedPing{ping: b.Ping, ttl: ttl}
		b.Ping = p.do
		out[i] = b
	}
	return out
}

type sharedPing struct {
	ping func(context.Context) error
	ttl  time.Duration

	mu       sync.Mutex
	at       time.Time
	err      error
	inflight chan struct{}
}

// do returns the last answer if it is fresh, joins a probe in flight, or
// starts one.
func (p *sharedPing) do(ctx context.Context) error {
	p.mu.Lock()
	if !p.at.IsZero() && time.Since(p.at) < p.ttl {
		err := p.err
		p.mu.Unlock()
		return err
	}
	wait := p.inflight
	if wait == nil {
		wait = make(chan struct{})
		p.inflight = wait
		p.mu.Unlock()
		// The probe runs on its own bounded context: the session that
		// started it may leave while others wait for the answer.
		go func() {
			pctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := p.ping(pctx)
			cancel()
			p.mu.Lock()
			p.at, p.err, p.inflight = time.Now(), err, nil
			p.mu.Unlock()
			close(wait)
		}()
	} else {
		p.mu.Unlock()
	}
	select {
	case <-wait:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
