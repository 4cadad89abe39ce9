package serve

import (
	"context"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/logs"
)

// SharedLogs is the Logs pane's source for every session: queries go to
// the shared client, live tails through hub, so sessions watching the
// same query share one tail connection to the log backend.
func SharedLogs(b sources.LogBackend, hub sources.LogTailer) logs.Source {
	if b == nil {
		return nil
	}
	if hub == nil {
		hub = b
	}
	return sharedLogs{LogBackend: b, hub: hub}
}

// sharedLogs is the backend with its Tail routed through the hub.
type sharedLogs struct {
	sources.LogBackend
	hub sources.LogTailer
}

func (s sharedLogs) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	return s.hub.Tail(ctx, expr, start)
}

// IsMetricQuery and MetricRange pass the backend's metric queries through
// (sources.LogMetrics): the embedded interface would hide them, and every
// session's Logs pane would then run a metric query as a log query.
func (s sharedLogs) IsMetricQuery(expr string) bool {
	_, ok := sources.AsMetricQuery(s.LogBackend, expr)
	return ok
}

func (s sharedLogs) MetricRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	lm, ok := s.LogBackend.(sources.LogMetrics)
	if !ok {
		return nil, nil, &sources.Error{Backend: s.Backend(), Op: "metric_query", Kind: sources.KindBadQuery,
			Msg: "this log backend runs no metric queries"}
	}
	return lm.MetricRange(ctx, expr, from, to, step)
}

// NewTailHub is the hub serve shares among sessions: one upstream tail per
// query, late readers caught up through the backend's own query_range.
func NewTailHub(b sources.LogBackend) *logtail.Hub {
	return logtail.NewBackendHub(b, logtail.Options{})
}

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
