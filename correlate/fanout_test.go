package correlate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/loki"
)

// fakeLoki answers a query with the entries that contain one of the ids
// the query names, the way Loki's line and label filters would.
type fakeLoki struct {
	mu      sync.Mutex
	entries []sources.LogEntry
	queries []sources.LogQuery
	err     error
	// gate, when set, holds every query until it is closed.
	gate chan struct{}
}

func (f *fakeLoki) QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	gate, err := f.gate, f.err
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	var out []sources.LogEntry
	for _, e := range f.entries {
		if e.Time.Before(q.From) || !e.Time.Before(q.To) {
			continue
		}
		hay := e.Line
		for _, v := range e.Metadata {
			hay += " " + v
		}
		if strings.Contains(q.Expr, "|=") || strings.Contains(q.Expr, "|~") {
			hay = e.Line // a line filter sees only the line
		}
		for _, id := range idsIn(q.Expr) {
			if strings.Contains(hay, id) {
				out = append(out, e)
				break
			}
		}
	}
	return &sources.LogResult{Entries: out}, nil
}

// idsIn pulls the quoted ids out of a query this package built.
func idsIn(expr string) []string {
	var ids []string
	for _, part := range strings.Split(expr, `"`)[1:] {
		for _, id := range strings.Split(part, "|") {
			id = strings.ReplaceAll(id, `\\`, "")
			if len(id) >= 6 && !strings.ContainsAny(id, " {}=~.+") {
				ids = append(ids, strings.ReplaceAll(id, `\`, ""))
			}
		}
	}
	return ids
}

// Backend and Dialect make the fake speak LogQL, as Loki's client does.
func (f *fakeLoki) Backend() string             { return "loki" }
func (f *fakeLoki) Dialect() sources.LogDialect { return loki.Dialect{} }

func (f *fakeLoki) Labels(context.Context, time.Time, time.Time) ([]string, error) {
	return []string{"env", "service", "level"}, nil
}

type fakeJaeger struct {
	mu     sync.Mutex
	traces []sources.Trace
	err    error
	finds  []jaeger.FindQuery
	gets   []string
}

func (f *fakeJaeger) GetTrace(ctx context.Context, id string) (*sources.Trace, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets = append(f.gets, id)
	if f.err != nil {
		return nil, f.err
	}
	for i := range f.traces {
		if f.traces[i].TraceID == id {
			t := f.traces[i]
			return &t, nil
		}
	}
	return nil, &sources.Error{Backend: "jaeger", Op: "get_trace", Kind: sources.KindNotFound}
}

func (f *fakeJaeger) FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finds = append(f.finds, q)
	if f.err != nil {
		return nil, f.err
	}
	var out []sources.Trace
	for _, t := range f.traces {
		for _, sp := range t.Spans {
			if v, _ := sp.Tag("request_id"); sp.Service == q.Service && v == q.Tags["request_id"] && !sp.Start.Before(q.Start) && sp.Start.Before(q.End) {
				out = append(out, t)
				break
			}
		}
	}
	return out, nil
}

func (f *fakeJaeger) Services(context.Context) ([]string, error) {
	if f.err != nil {
		return nil, f.err
	}
	return []string{"checkout", "frontend", "inventory"}, nil
}

const (
	reqID   = "req-0123456789ab"
	traceA  = "807ab51aebce4c7a2deedf2f0bfaf0f2"
	spanFE  = "44c57f89a22c0d5f"
	spanCO  = "1111111111111111"
	spanINV = "61e29d1992c537bb"
)

// shop is one request through three services: frontend and checkout log
// the trace id in the line, inventory only in structured metadata, and an
// edge proxy logs the request id with no trace id at all.
func shop(at time.Time) (*fakeLoki, *fakeJaeger) {
	tag := []sources.KV{{Key: "request_id", Value: reqID}}
	tr := sources.Trace{TraceID: traceA, Spans: []sources.Span{
		{TraceID: traceA, SpanID: spanFE, Service: "frontend", Operation: "POST /api/checkout", Start: at, Duration: 80 * time.Millisecond, Tags: tag},
		{TraceID: traceA, SpanID: spanCO, ParentSpanID: spanFE, Service: "checkout", Operation: "POST /checkout", Start: at.Add(5 * time.Millisecond), Duration: 60 * time.Millisecond, Tags: tag},
		{TraceID: traceA, SpanID: spanINV, ParentSpanID: spanCO, Service: "inventory", Operation: "POST /v1/reserve", Start: at.Add(10 * time.Millisecond), Duration: 20 * time.Millisecond, Tags: tag, Error: true},
	}}
	ms := func(n int) time.Time { return at.Add(time.Duration(n) * time.Millisecond) }
	svc := func(s string) map[string]string { return map[string]string{"service": s, "env": "demo"} }
	lk := &fakeLoki{entries: []sources.LogEntry{
		{Time: ms(1), Labels: svc("frontend"), Line: `{"level":"info","msg":"start","request_id":"` + reqID + `","trace_id":"` + traceA + `","span_id":"` + spanFE + `"}`},
		{Time: ms(7), Labels: svc("checkout"), Line: `{"level":"info","msg":"checkout","request_id":"` + reqID + `","trace_id":"` + traceA + `","span_id":"` + spanCO + `"}`},
		{Time: ms(15), Labels: svc("inventory"), Line: `level=error msg="reserve failed"`, Metadata: map[string]string{"trace_id": traceA, "span_id": spanINV}},
		{Time: ms(-2), Labels: svc("edge"), Line: `level=info msg="accepted" request_id=` + reqID},
		{Time: ms(3), Labels: svc("frontend"), Line: `level=info msg="other request" request_id=` + reqID + `ff`},
	}}
	return lk, &fakeJaeger{traces: []sources.Trace{tr}}
}

var at = time.Date(2026, 11, 22, 7, 44, 43, 0, time.UTC)

func day() Window { return Window{From: at.Add(-12 * time.Hour), To: at.Add(12 * time.Hour)} }

func TestResolveRequestID(t *testing.T) {
	lk, jg := shop(at)
	r := NewResolver(Config{Logs: lk, Traces: jg})
	v, err := r.Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsPartial() || !v.Found() {
		t.Fatalf("partial %v found %v", v.Partial, v.Found())
	}
	if len(v.Spans) != 3 || len(v.Logs) != 4 {
		t.Fatalf("%d spans, %d logs; want 3 and 4 (the other request's line left out)", len(v.Spans), len(v.Logs))
	}
	if strings.Join(v.TraceIDs, ",") != traceA || v.RequestIDs[0] != reqID {
		t.Errorf("ids: traces %v requests %v", v.TraceIDs, v.RequestIDs)
	}
	for i, l := range v.Logs {
		if l.Service == "inventory" {
			if l.TraceFrom != FromMetadata || v.How[i] != MatchSpanID || v.Spans[v.SpanOf[i]].SpanID != spanINV {
				t.Errorf("inventory line: trace from %v, joined %v", l.TraceFrom, v.How[i])
			}
		}
		if l.Service == "edge" && v.How[i] != MatchNone {
			t.Errorf("edge line joined a span by %v", v.How[i])
		}
	}
	// The inventory line has no request id: only the trace-id search over
	// the trace's own window (round 2) finds it, through metadata.
	var round2 []string
	for _, c := range v.Calls {
		if c.Round == 2 && c.Backend == "loki" {
			round2 = append(round2, c.What)
		}
	}
	if len(round2) != 2 || !strings.Contains(strings.Join(round2, " "), `trace_id="`+traceA+`"`) {
		t.Errorf("round 2 Loki queries %q", round2)
	}
	for _, q := range lk.queries {
		if strings.Contains(q.Expr, traceA) && (q.From != at.Add(-5*time.Minute) || q.To != at.Add(80*time.Millisecond+5*time.Minute)) {
			t.Errorf("trace search over %v – %v, want the trace's window padded by 5m", q.From, q.To)
		}
	}
	s := v.Summary
	if s.FirstError == nil || s.FirstError.Service != "inventory" || s.FirstError.Kind != ItemSpan {
		t.Errorf("first error %+v", s.FirstError)
	}
	if s.SlowestSpan == nil || s.SlowestSpan.SpanID != spanFE || s.SpanCount != 3 || s.LogCount != 4 {
		t.Errorf("summary %+v", s)
	}
	if strings.Join(s.CriticalServices, ",") != "frontend,checkout,inventory" {
		t.Errorf("critical services %v", s.CriticalServices)
	}
	if want := (Window{at.Add(-2*time.Millisecond - 5*time.Minute), at.Add(80*time.Millisecond + 5*time.Minute)}); v.Window != want {
		t.Errorf("window %v, want %v", v.Window, want)
	}
}

func TestResolveTraceIDOutsideTheWindow(t *testing.T) {
	lk, jg := shop(at)
	r := NewResolver(Config{Logs: lk, Traces: jg})
	// The user's window ends an hour before the trace: the logs must be
	// searched in the trace's own window, not the user's.
	w := Window{From: at.Add(-3 * time.Hour), To: at.Add(-time.Hour)}
	v, err := r.Resolve(context.Background(), strings.ToUpper(traceA), w)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != IDTrace || len(v.Spans) != 3 || len(v.Logs) != 4 {
		t.Fatalf("kind %v, %d spans, %d logs", v.Kind, len(v.Spans), len(v.Logs))
	}
	if v.Widened {
		t.Error("widened although the trace was found")
	}
}

func TestResolveNotFoundWidensOnce(t *testing.T) {
	lk, jg := shop(at)
	r := NewResolver(Config{Logs: lk, Traces: jg})
	w := Window{From: at.Add(-time.Hour), To: at}
	v, err := r.Resolve(context.Background(), "req-nowhere-000", w)
	if err != nil {
		t.Fatal(err)
	}
	if v.Found() || !v.Widened || v.Narrow != w || v.Searched != w.Widened() {
		t.Fatalf("found %v widened %v narrow %v searched %v", v.Found(), v.Widened, v.Narrow, v.Searched)
	}
	msg := v.NotFound()
	for _, want := range []string{"req-nowhere-000 not found in 2026-11-22 06:44:43 – 07:44:43 UTC (1h) nor, widened once, in 2026-11-22 03:44:43 – 07:44:43 UTC (4h)",
		`searched Loki selectors {service=~".+"}`, "and Jaeger tag request_id=req-nowhere-000 in 3 services"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestResolvePartialWhenJaegerIsDown(t *testing.T) {
	lk, jg := shop(at)
	jg.err = &sources.Error{Backend: "jaeger", Op: "services", Kind: sources.KindUnreachable, Msg: "127.0.0.1:1: connection refused"}
	v, err := NewResolver(Config{Logs: lk, Traces: jg}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Logs) != 4 || len(v.Spans) != 0 {
		t.Fatalf("%d logs %d spans", len(v.Logs), len(v.Spans))
	}
	if got := v.PartialNote(); got != "partial: jaeger unreachable: 127.0.0.1:1: connection refused; showing logs only" {
		t.Errorf("partial note %q", got)
	}
	if v.Widened {
		t.Error("widened although logs were found")
	}
	// Without Jaeger the log lines alone name the trace; the join falls
	// back to nothing, but the ids are still tied both ways.
	if strings.Join(v.TraceIDs, ",") != traceA {
		t.Errorf("trace ids %v", v.TraceIDs)
	}
}

func TestResolveMissingBackend(t *testing.T) {
	_, jg := shop(at)
	v, err := NewResolver(Config{Traces: jg}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Spans) != 3 || v.PartialNote() != "partial: log backend is not configured for this context; showing spans only" {
		t.Errorf("%d spans, note %q", len(v.Spans), v.PartialNote())
	}
}

// The Loki and Jaeger calls run at the same time: the fake Loki holds
// every query until Jaeger has answered, which would deadlock a
// sequential fan-out until the test's deadline.
func TestResolveFansOutInParallel(t *testing.T) {
	lk, jg := shop(at)
	lk.gate = make(chan struct{})
	openWhen(func() bool {
		jg.mu.Lock()
		n := len(jg.finds)
		jg.mu.Unlock()
		lk.mu.Lock()
		m := len(lk.queries)
		lk.mu.Unlock()
		return n == 3 && m >= 1
	}, lk.gate)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := NewResolver(Config{Logs: lk, Traces: jg}).Resolve(ctx, reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsPartial() || len(v.Spans) != 3 {
		t.Fatalf("partial %v (the calls did not all start together)", v.Partial)
	}
}

func TestResolveRejectsNonIDs(t *testing.T) {
	r := NewResolver(Config{})
	for _, in := range []string{"", "two words", `quo"te`} {
		if _, err := r.Resolve(context.Background(), in, day()); err == nil {
			t.Errorf("Resolve(%q) accepted", in)
		}
	}
}

// With a live window (ending now), the trace's padded window reaches into
// the future; cut at now, it is covered by the request-id search already
// made, so that search is not made again, and no query asks for lines
// newer than now.
func TestLiveWindowDoesNotSearchTheRequestIDTwice(t *testing.T) {
	now := time.Now()
	lk, jg := shop(now.Add(-time.Minute))
	r := NewResolver(Config{Logs: lk, Traces: jg})
	v, err := r.Resolve(context.Background(), reqID, Window{From: now.Add(-time.Hour), To: now})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Found() || len(v.Logs) != 4 {
		t.Fatalf("found %v with %d logs, want the 4 lines", v.Found(), len(v.Logs))
	}
	n := 0
	for _, q := range lk.queries {
		if strings.Contains(q.Expr, reqID) {
			n++
		}
		if q.To.After(now) {
			t.Errorf("query %q asks up to %v, after the window's end %v", q.Expr, q.To, now)
		}
	}
	if n != 1 {
		t.Errorf("the request id was searched %d times, want once", n)
	}
}

func findServices(jg *fakeJaeger, from int) []string {
	jg.mu.Lock()
	defer jg.mu.Unlock()
	var out []string
	for _, q := range jg.finds[from:] {
		out = append(out, q.Service)
	}
	slices.Sort(out)
	return out
}

// Once a trace showed where the tag begins (frontend, whose span carrying
// it starts first), later tag searches ask that service alone; one hit
// returns the whole trace, so the view is the same.
func TestTagSearchAsksTheEntryServiceFirst(t *testing.T) {
	lk, jg := shop(at)
	r := NewResolver(Config{Logs: lk, Traces: jg})
	v1, err := r.Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if got := findServices(jg, 0); strings.Join(got, ",") != "checkout,frontend,inventory" {
		t.Fatalf("first view searched %v, want every service", got)
	}
	n := len(jg.finds)
	v2, err := r.Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if got := findServices(jg, n); strings.Join(got, ",") != "frontend" {
		t.Errorf("second view searched %v, want only frontend", got)
	}
	if len(v2.Spans) != len(v1.Spans) || len(v2.Logs) != len(v1.Logs) || strings.Join(v2.JaegerServices, ",") != "frontend" {
		t.Errorf("second view: %d spans %d logs services %v; first: %d spans %d logs", len(v2.Spans), len(v2.Logs), v2.JaegerServices, len(v1.Spans), len(v1.Logs))
	}
}

// When the learned services find no trace, every other service is asked:
// a request that never passed the frontend is still found by its tag.
func TestTagSearchFallsBackToEveryService(t *testing.T) {
	lk, jg := shop(at)
	r := NewResolver(Config{Logs: lk, Traces: jg})
	if _, err := r.Resolve(context.Background(), reqID, day()); err != nil {
		t.Fatal(err)
	}
	const other, traceB = "req-batch000001", "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"
	jg.mu.Lock()
	jg.traces = append(jg.traces, sources.Trace{TraceID: traceB, Spans: []sources.Span{{TraceID: traceB, SpanID: "2222222222222222",
		Service: "inventory", Operation: "reindex", Start: at, Duration: time.Second, Tags: []sources.KV{{Key: "request_id", Value: other}}}}})
	jg.mu.Unlock()
	n := len(jg.finds)
	v, err := r.Resolve(context.Background(), other, day())
	if err != nil {
		t.Fatal(err)
	}
	if got := findServices(jg, n); strings.Join(got, ",") != "checkout,frontend,inventory" {
		t.Errorf("searched %v, want frontend then the rest", got)
	}
	if strings.Join(v.TraceIDs, ",") != traceB || v.Widened {
		t.Errorf("traces %v widened %v, want %s found in the first window", v.TraceIDs, v.Widened, traceB)
	}
}

// manyServices counts the tag searches in flight at once.
type manyServices struct {
	fakeJaeger
	n, now, peak int
}

func (m *manyServices) Services(context.Context) ([]string, error) {
	out := make([]string, m.n)
	for i := range out {
		out[i] = fmt.Sprintf("svc-%03d", i)
	}
	return out, nil
}

func (m *manyServices) FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error) {
	m.mu.Lock()
	m.now++
	m.peak = max(m.peak, m.now)
	m.finds = append(m.finds, q)
	m.mu.Unlock()
	time.Sleep(2 * time.Millisecond)
	m.mu.Lock()
	m.now--
	m.mu.Unlock()
	return nil, nil
}

// A Jaeger with 60 services gets every one searched, never more than
// maxFinds at a time.
func TestTagSearchesAreBounded(t *testing.T) {
	jg := &manyServices{n: 60}
	v, err := NewResolver(Config{Traces: jg}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if len(jg.finds) != 2*60 || !v.Widened {
		t.Errorf("%d searches (widened %v), want 60 per window", len(jg.finds), v.Widened)
	}
	if jg.peak > maxFinds || jg.peak < 2 {
		t.Errorf("%d searches in flight at once, want between 2 and %d", jg.peak, maxFinds)
	}
}

// While Loki is still searching, a progress snapshot already holds the
// trace Jaeger found, marked Searching; the final view is not.
func TestResolveProgressShowsTheTraceFirst(t *testing.T) {
	lk, jg := shop(at)
	lk.gate = make(chan struct{})
	var mu sync.Mutex
	var snaps []*View
	progress := func(v *View) {
		mu.Lock()
		defer mu.Unlock()
		snaps = append(snaps, v)
		if len(v.Spans) > 0 && len(snaps) > 0 && v.Searching {
			select {
			case <-lk.gate:
			default:
				close(lk.gate) // let Loki answer once the trace was shown
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := NewResolver(Config{Logs: lk, Traces: jg}).ResolveProgress(ctx, reqID, day(), progress)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var first *View
	for _, s := range snaps {
		if len(s.Spans) > 0 {
			first = s
			break
		}
	}
	if first == nil {
		t.Fatalf("%d snapshots, none with the trace", len(snaps))
	}
	if !first.Searching || first.Pending == 0 || len(first.Logs) != 0 || first.Input != reqID {
		t.Errorf("first snapshot with spans: searching %v pending %d logs %d input %q; want searching, Loki pending, no logs yet",
			first.Searching, first.Pending, len(first.Logs), first.Input)
	}
	if v.Searching || v.Pending != 0 || len(v.Spans) != 3 || len(v.Logs) != 4 {
		t.Errorf("final view: searching %v pending %d, %d spans %d logs", v.Searching, v.Pending, len(v.Spans), len(v.Logs))
	}
	// Later snapshots never know less than earlier ones.
	for i := 1; i < len(snaps); i++ {
		if len(snaps[i].Calls) < len(snaps[i-1].Calls) {
			t.Errorf("snapshot %d has %d calls, the one before %d", i, len(snaps[i].Calls), len(snaps[i-1].Calls))
		}
	}
}

// openWhen closes the gates once ready reports true, polling every
// millisecond from its own goroutine.
func openWhen(ready func() bool, gates ...chan struct{}) {
	go func() {
		for !ready() {
			time.Sleep(time.Millisecond)
		}
		for _, g := range gates {
			close(g)
		}
	}()
}
