package traces

import (
	"context"
	"fmt"
	"github.com/reltui/reltui/ui/pane/panetest"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

var fixedNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

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

func (f *fakeSource) wait(ctx context.Context) error {
	f.mu.Lock()
	b := f.block
	f.mu.Unlock()
	if b == nil {
		return nil
	}
	select {
	case <-b:
		return nil
	case <-ctx.Done():
		return &sources.Error{Backend: "jaeger", Kind: sources.KindCanceled, Msg: "canceled"}
	}
}

func (f *fakeSource) FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error) {
	f.finds.Add(1)
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
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
	f.gets.Add(1)
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
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
	f.svcs.Add(1)
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.namesErr != nil {
		return nil, f.namesErr
	}
	return f.services, nil
}

func (f *fakeSource) Operations(ctx context.Context, service, _ string) ([]string, error) {
	f.opss.Add(1)
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
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

// shopTrace builds a trace shaped like the demo shop's checkout: frontend
// → checkout → inventory (+ db) then payments (+ gateway), and a publish.
// slow stretches the gateway call; fail makes payments fail.
func shopTrace(id string, start time.Time, slow time.Duration, fail bool) *sources.Trace {
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	span := func(sid, parent, svc, op string, from, to time.Duration, tags ...sources.KV) sources.Span {
		return sources.Span{TraceID: id, SpanID: sid, ParentSpanID: parent, Service: svc, Operation: op,
			Start: start.Add(from), Duration: to - from, Tags: tags,
			Process: []sources.KV{{Key: "service.instance.id", Value: svc + "-7c9f"}, {Key: "service.version", Value: "1.14.2"}}}
	}
	status := func(code int) sources.KV { return sources.KV{Key: "http.status_code", Value: fmt.Sprint(code)} }
	gwEnd := ms(70) + slow
	code := 200
	if fail {
		code = 503
	}
	spans := []sources.Span{
		span("f1", "", "frontend", "POST /api/checkout", 0, gwEnd+ms(12), status(code), sources.KV{Key: "request_id", Value: "req-00000000abcd"}),
		span("f2", "f1", "frontend", "POST /checkout", ms(3), gwEnd+ms(9), status(code)),
		span("c1", "f2", "checkout", "POST /checkout", ms(3.5), gwEnd+ms(8.5), status(code)),
		span("c2", "c1", "checkout", "POST /v1/reserve", ms(8), ms(17)),
		span("i1", "c2", "inventory", "POST /v1/reserve", ms(8.5), ms(16.5), status(200)),
		span("i2", "i1", "inventory", "UPDATE inventory.stock", ms(9), ms(15)),
		span("c3", "c1", "checkout", "POST /v1/charge", ms(18), gwEnd+ms(4)),
		span("p1", "c3", "payments", "POST /v1/charge", ms(18.5), gwEnd+ms(3), status(code)),
		span("p2", "p1", "payments", "POST /v2/authorize", ms(20), gwEnd),
		span("c4", "c1", "checkout", "orders publish", gwEnd+ms(5), gwEnd+ms(7)),
	}
	if fail {
		for _, i := range []int{0, 1, 2, 6, 7, 8} {
			spans[i].Error = true
		}
		spans[8].Events = []sources.SpanEvent{{Time: start.Add(gwEnd), Fields: []sources.KV{
			{Key: "event", Value: "exception"}, {Key: "exception.message", Value: "payment gateway timeout"},
			{Key: "exception.stacktrace", Value: "goroutine 1:\nmain.charge()\n\tpay.go:42"}}}}
	}
	return &sources.Trace{TraceID: id, Spans: spans}
}

// bigTrace is an n-span trace: a root fanning out, sub-trees nesting a
// few levels, sequential and overlapping children.
func bigTrace(n int) *sources.Trace {
	tr := &sources.Trace{TraceID: "00000000000000000000000000b16b16"}
	tr.Spans = make([]sources.Span, 0, n)
	tr.Spans = append(tr.Spans, sources.Span{TraceID: tr.TraceID, SpanID: "s0", Service: "frontend", Operation: "GET /batch",
		Start: fixedNow.Add(-time.Minute), Duration: 30 * time.Second})
	for i := 1; i < n; i++ {
		p := tr.Spans[(i-1)/4] // a 4-ary tree
		d := p.Duration / 5
		off := time.Duration(i%4) * d
		tr.Spans = append(tr.Spans, sources.Span{
			TraceID: tr.TraceID, SpanID: fmt.Sprintf("s%d", i), ParentSpanID: p.SpanID,
			Service: fmt.Sprintf("svc-%d", i%9), Operation: fmt.Sprintf("op %d", i%31),
			Start: p.Start.Add(off + d/10), Duration: d, Error: i%97 == 0,
			Tags: []sources.KV{{Key: "i", Value: fmt.Sprint(i)}},
		})
	}
	return tr
}

func newTestModel(t testing.TB, profile termenv.Profile, pal themes.Palette, src Source, w, h int) (*Model, *panetest.Clock) {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	clk := panetest.NewClock(fixedNow)
	m := New(Config{Basics: pane.Basics{Renderer: r, Now: clk.Now, Location: time.UTC}, Source: src, Palette: pal})
	m.SetSize(w, h)
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, false)
	t.Cleanup(m.Close)
	return m, clk
}

// run executes a Cmd tree the way the runtime does, minus ticks, and
// returns the messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runNoTick(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// runNoTick runs c for up to 2 s; the spinner's tick comes back as a
// pane.SpinMsg, which settle drops.
func runNoTick(c tea.Cmd) []tea.Msg { return runFor(c, 2*time.Second) }

// runFor runs c and gives up after d, like an answer that has not come.
func runFor(c tea.Cmd, d time.Duration) []tea.Msg {
	if c == nil {
		return nil
	}
	done := make(chan []tea.Msg, 1)
	go func() { done <- run(c) }()
	select {
	case msgs := <-done:
		return msgs
	case <-time.After(d):
		return nil
	}
}

// settle feeds cmd's messages back until none are left, dropping ticks.
func settle(m *Model, cmd tea.Cmd) { settleWithin(m, cmd, 2*time.Second) }

// settleWithin is settle with a longer wait per round, for real backends.
func settleWithin(m *Model, cmd tea.Cmd, d time.Duration) {
	for i := 0; cmd != nil && i < 10; i++ {
		var next []tea.Cmd
		for _, msg := range runFor(cmd, d) {
			if _, ok := msg.(pane.SpinMsg); ok {
				continue
			}
			_, c := m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// search types a service into the form and runs it.
func search(m *Model, service string, extra ...string) {
	keys := append([]string{"i", service}, extra...)
	keys = append(keys, "enter")
	settle(m, panetest.Press(m, keys...))
}
