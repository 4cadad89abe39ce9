package traces

import (
	"context"
	"slices"
	"sync"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fakeSource is a Jaeger in memory. Each kind of call goes through its
// own panetest.Backend, which counts it (so tests can prove Update and
// View make none: only the Cmds they return may) and can fail or hold it.
type fakeSource struct {
	finds, gets, svcs, opss panetest.Backend

	mu     sync.Mutex // guards what follows
	traces map[string]*sources.Trace
	order  []string
	seen   []jaeger.FindQuery // the searches that reached the source
	// The names the form suggests, and the services asked for operations.
	services []string
	ops      map[string][]string
	opsAsked []string
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

// calls is how many calls of every kind reached the source.
func (f *fakeSource) calls() int32 {
	return f.finds.Calls() + f.gets.Calls() + f.svcs.Calls() + f.opss.Calls()
}

// setErr fails every later search and trace fetch with err (nil: they
// succeed again); setNamesErr does the same for the form's name lists.
func (f *fakeSource) setErr(err error)      { f.finds.Fail(err); f.gets.Fail(err) }
func (f *fakeSource) setNamesErr(err error) { f.svcs.Fail(err); f.opss.Fail(err) }

// hold makes every later call wait until its context ends.
func (f *fakeSource) hold() {
	for _, b := range []*panetest.Backend{&f.finds, &f.gets, &f.svcs, &f.opss} {
		b.Hold()
	}
}

// enter is one call of a kind on b: counted, held or failed as b says,
// then under the source's lock (the caller unlocks), recorded with note
// unless its context ended first (a cancelled call never reached Jaeger).
func (f *fakeSource) enter(ctx context.Context, b *panetest.Backend, note func()) error {
	err := b.Call(ctx)
	f.mu.Lock()
	if ctx.Err() == nil && note != nil {
		note()
	}
	return err
}

func (f *fakeSource) FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error) {
	err := f.enter(ctx, &f.finds, func() { f.seen = append(f.seen, q) })
	defer f.mu.Unlock()
	if err != nil {
		return nil, err
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
	err := f.enter(ctx, &f.gets, nil)
	defer f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	t, ok := f.traces[id]
	if !ok {
		return nil, &sources.Error{Backend: "jaeger", Op: "get_trace", Kind: sources.KindNotFound, Msg: "trace " + id + " not found"}
	}
	return t, nil
}

func (f *fakeSource) Services(ctx context.Context) ([]string, error) {
	err := f.enter(ctx, &f.svcs, nil)
	defer f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.services, nil
}

func (f *fakeSource) Operations(ctx context.Context, service, _ string) ([]string, error) {
	err := f.enter(ctx, &f.opss, func() { f.opsAsked = append(f.opsAsked, service) })
	defer f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.ops[service], nil
}
