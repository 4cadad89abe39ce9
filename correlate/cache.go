package correlate

// The resolver's caches: selectors derived from the log backend's labels, Jaeger's
// service list, and the services where the trace tag begins.

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// memo is a value fetched from a backend and reused for cacheFor.
type memo[T any] struct {
	mu sync.Mutex
	v  T
	at time.Time
	ok bool
}

// fetch returns the memo's value while it is fresh, and otherwise makes
// the call, records it in s, and keeps a successful answer.
func (m *memo[T]) fetch(ctx context.Context, s *search, backend, op string, call func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.ok && time.Since(m.at) < cacheFor {
		v := m.v
		m.mu.Unlock()
		return v, nil
	}
	m.mu.Unlock()
	t0 := time.Now()
	v, err := call(ctx)
	took := time.Since(t0)
	s.mu.Lock()
	s.record(backend, op, "", roundInput, t0, took, err, func(ctx context.Context) error { _, err := call(ctx); return err })
	s.mu.Unlock()
	if err == nil {
		m.mu.Lock()
		m.v, m.at, m.ok = v, time.Now(), true
		m.mu.Unlock()
	}
	return v, err
}

// peek returns the memo's value, fresh or not.
func (m *memo[T]) peek() (T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.v, m.ok
}

// selectorsFor returns the configured selectors, or derives one from the
// labels the log backend has in w (cached).
func (r *Resolver) selectorsFor(ctx context.Context, s *search, w Window) []string {
	if len(r.cfg.Selectors) > 0 {
		return r.cfg.Selectors
	}
	lg := r.cfg.Logs
	d := lg.Dialect()
	sels, err := r.selectors.fetch(ctx, s, r.logName(), "labels", func(ctx context.Context) ([]string, error) {
		names, err := lg.Labels(ctx, w.From, w.To)
		if err != nil {
			return nil, err
		}
		for _, l := range serviceLabels {
			if slices.Contains(names, l) {
				return []string{d.Stream(l, "")}, nil
			}
		}
		return []string{d.Stream(DefaultSelectorLabel, "")}, nil
	})
	if err != nil {
		return []string{d.Stream(DefaultSelectorLabel, "")}
	}
	return sels
}

func (r *Resolver) cachedSelectors() []string {
	if len(r.cfg.Selectors) > 0 {
		return r.cfg.Selectors
	}
	if sels, ok := r.selectors.peek(); ok {
		return sels
	}
	if r.cfg.Logs == nil {
		return nil
	}
	return []string{r.cfg.Logs.Dialect().Stream(DefaultSelectorLabel, "")}
}

// logName is the log backend's name in calls, problems and notes: "loki",
// "victorialogs", or "log backend" when the context has none.
func (r *Resolver) logName() string {
	if r.cfg.Logs == nil {
		return "log backend"
	}
	return r.cfg.Logs.Backend()
}

// servicesFor lists Jaeger's services (cached).
func (r *Resolver) servicesFor(ctx context.Context, s *search) []string {
	svcs, _ := r.services.fetch(ctx, s, "jaeger", "services", r.cfg.Traces.Services)
	return svcs
}

// learnEntry notes the service of t's earliest span carrying the trace
// tag: a tag search in that service finds t.
func (r *Resolver) learnEntry(t *sources.Trace) {
	var first *sources.Span
	for i := range t.Spans {
		sp := &t.Spans[i]
		if _, ok := sp.Tag(r.cfg.TraceTag); ok && sp.Service != "" && (first == nil || sp.Start.Before(first.Start)) {
			first = sp
		}
	}
	if first == nil {
		return
	}
	r.entryMu.Lock()
	r.entry[first.Service] = true
	r.entryMu.Unlock()
}

// splitByEntry splits svcs into the services learned as entries and the
// rest. With none learned, or all of them, every service comes first.
func (r *Resolver) splitByEntry(svcs []string) (first, rest []string) {
	r.entryMu.Lock()
	defer r.entryMu.Unlock()
	for _, svc := range svcs {
		if r.entry[svc] {
			first = append(first, svc)
		} else {
			rest = append(rest, svc)
		}
	}
	if len(first) == 0 {
		return rest, nil
	}
	return first, rest
}
