package traces

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
)

// fakeSource counts every call, so tests can prove Update and View make
// none: only the Cmds they return may.
type fakeSource struct {
	finds atomic.Int32
	gets  atomic.Int32
	svcs  atomic.Int32
	opss  atomic.Int32

	mu     sync.Mutex
	traces map[string]*sources.Trace
	order  []string
	err    error
	seen   []jaeger.FindQuery
	// The names the form suggests, and the services asked for operations.
	services []string
	ops      map[string][]string
	opsAsked []string
	namesErr error
	block    chan struct{} // when set, calls wait for it or their context
	// byWindow makes FindTraces return only the traces whose root
	// started in the query's window, as Jaeger does; the baseline search
	// asks for slices of a window.
	byWindow bool
}

func newFakeSource(trs ...*sources.Trace) *fakeSource {
	f := &fakeSource{traces: map[string]*sources.Trace{}, ops: map[string][]string{}}
	// The shop's names, as the spans of shopTrace carry them.
	for _, t := range trs {
		for _, sp := range t.Spans {
			if !slices.Contains(f.services, sp.Service) {
				f.services = append(f.services, sp.Service)
			}
			if !slices.Contains(f.ops[sp.Service], sp.Operation) {
				f.ops[sp.Service] = append(f.ops[sp.Service], sp.Operation)
			}
		}
	}
	for _, t := range trs {
		f.traces[t.TraceID] = t
		f.order = append(f.order, t.TraceID)
	}
	return f
}

// call counts a call on n, waits while the source is blocked and then
// holds its lock; the caller unlocks unless call failed.
func (f *fakeSource) call(ctx context.Context, n *atomic.Int32) error {
	n.Add(1)
	f.mu.Lock()
	b := f.block
	f.mu.Unlock()
	if b != nil {
		select {
		case <-b:
		case <-ctx.Done():
			return &sources.Error{Backend: "jaeger", Kind: sources.KindCanceled, Msg: "canceled"}
		}
	}
	f.mu.Lock()
	return nil
}

func (f *fakeSource) FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error) {
	if err := f.call(ctx, &f.finds); err != nil {
		return nil, err
	}
	defer f.mu.Unlock()
	f.seen = append(f.seen, q)
	if f.err != nil {
		return nil, f.err
	}
	var out []sources.Trace
	for _, id := range f.order {
		t := f.traces[id]
		if f.byWindow && len(t.Spans) > 0 && (t.Spans[0].Start.Before(q.Start) || !t.Spans[0].Start.Before(q.End)) {
			continue
		}
		out = append(out, *t)
	}
	return out, nil
}

func (f *fakeSource) GetTrace(ctx context.Context, id string) (*sources.Trace, error) {
	if err := f.call(ctx, &f.gets); err != nil {
		return nil, err
	}
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	t, ok := f.traces[id]
	if !ok {
		return nil, &sources.Error{Backend: "jaeger", Op: "get_trace", Kind: sources.KindNotFound, Msg: "trace " + id + " not found"}
	}
	return t, nil
}

func (f *fakeSource) Services(ctx context.Context) ([]string, error) {
	if err := f.call(ctx, &f.svcs); err != nil {
		return nil, err
	}
	defer f.mu.Unlock()
	if f.namesErr != nil {
		return nil, f.namesErr
	}
	return f.services, nil
}

func (f *fakeSource) Operations(ctx context.Context, service, _ string) ([]string, error) {
	if err := f.call(ctx, &f.opss); err != nil {
		return nil, err
	}
	defer f.mu.Unlock()
	f.opsAsked = append(f.opsAsked, service)
	if f.namesErr != nil {
		return nil, f.namesErr
	}
	return f.ops[service], nil
}

func (f *fakeSource) setErr(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}
