//go:build integration

package traces

import (
	"context"
	"github.com/reltui/reltui/ui/pane/panetest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/shop"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
)

// flushLag is how far behind now a search ends: each demo service
// flushes its spans in its own batch, so a trace younger than this may
// still be missing a service.
const flushLag = 20 * time.Second

func realPane(t *testing.T) (*Model, *jaeger.Client) {
	t.Helper()
	s := stacktest.Require(t)
	c, err := jaeger.New(jaeger.Config{Address: s.JaegerGRPC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	m, _ := newPlain(t, c, 200, 50)
	m.b.Now = time.Now
	m.b.Location = time.Local
	return m, c
}

// searchReal fills the form and runs the search against Jaeger.
func searchReal(t *testing.T, m *Model, from, to time.Time, fields ...string) {
	t.Helper()
	m.SetRange(from, to, false)
	keys := []string{"i"}
	for i, f := range fields {
		if i > 0 {
			keys = append(keys, "tab")
		}
		// Clear what an earlier search left in the field.
		m.form.inputs[i].SetValue("")
		keys = append(keys, f)
	}
	keys = append(keys, "enter")
	settleWithin(m, panetest.Press(m, keys...), 30*time.Second)
	if m.search.Err() != nil {
		t.Fatalf("search: %v", m.search.Err())
	}
}

// expectedPath derives the services the demo puts on a checkout's critical
// path from the trace's own spans: the shop makes its calls one after
// another (frontend → checkout → inventory, then payments, then the
// publish), so every span that runs inside the request is on the path,
// and the services appear in the order their first span started. The
// orders consumer continues the trace after the request ended and is not.
func expectedPath(tr *sources.Trace) []string {
	var root *sources.Span
	for i := range tr.Spans {
		if tr.Spans[i].ParentSpanID == "" {
			root = &tr.Spans[i]
		}
	}
	if root == nil {
		return nil
	}
	spans := slices.Clone(tr.Spans)
	slices.SortStableFunc(spans, func(a, b sources.Span) int { return a.Start.Compare(b.Start) })
	var out []string
	for _, s := range spans {
		if s.Start.Before(root.End()) && !slices.Contains(out, s.Service) {
			out = append(out, s.Service)
		}
	}
	return out
}

func TestCriticalPathOfADemoTrace(t *testing.T) {
	m, c := realPane(t)
	to := time.Now().Add(-flushLag)
	searchReal(t, m, to.Add(-5*time.Minute), to, shop.Frontend, "", "", "", "", "50")
	if len(m.rows) == 0 {
		t.Fatal("no frontend traces in the last 5 minutes; is the demo workload running?")
	}
	checked := 0
	for i, r := range m.rows {
		if !slices.Contains(r.Services, shop.Payments) || !slices.Contains(r.Services, shop.Inventory) {
			continue
		}
		m.rsel = i
		settleWithin(m, panetest.Press(m, "enter"), 30*time.Second)
		if m.trace.Err() != nil || m.tr == nil {
			t.Fatalf("open %s: %v", r.TraceID, m.trace.Err())
		}
		raw, err := c.GetTrace(context.Background(), r.TraceID)
		if err != nil {
			t.Fatal(err)
		}
		want := expectedPath(raw)
		// What the demo's code says, as a sanity check on the derivation.
		if len(want) < 4 || want[0] != shop.Frontend || want[1] != shop.Checkout {
			t.Fatalf("trace %s: unexpected shape %v", r.TraceID, want)
		}
		if !slices.Equal(m.tr.critSvcs, want) {
			t.Errorf("trace %s: critical path %v, want %v", r.TraceID, m.tr.critSvcs, want)
		}
		// The path covers the request: the own critical time of all
		// spans adds up to the root's duration.
		var sum time.Duration
		var root time.Duration
		for _, nd := range m.tr.nodes {
			sum += nd.critical
			if nd.parent < 0 && nd.span.Duration > root {
				root = nd.span.Duration
			}
		}
		if sum != root {
			t.Errorf("trace %s: critical time %v, root lasts %v", r.TraceID, sum, root)
		}
		panetest.Press(m, "esc")
		if checked++; checked == 3 {
			break
		}
	}
	if checked == 0 {
		t.Fatalf("none of %d traces reached payments and inventory", len(m.rows))
	}
}

func TestSlowPaymentsTraceAfterLatencyFault(t *testing.T) {
	m, _ := realPane(t)
	s := stacktest.Require(t)
	ctl, err := demo.NewControl(s.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	w, err := ctl.Inject(ctx, fault.Latency, 90*time.Second)
	cancel()
	if err != nil {
		t.Fatalf("inject latency fault: %v", err)
	}
	// End our window, and only ours, when done: other packages' tests share
	// the workload and may have a latency fault of their own in force.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := ctl.End(ctx, w); err != nil {
			t.Logf("end latency fault %s: %v", w.ID, err) // over already, or cleared by a person
		}
	})
	// A stalled gateway adds 0.8–2 s; a healthy charge takes ~60 ms, so a
	// payments span over 700 ms started after the injection is the fault's.
	const slow = 700 * time.Millisecond
	deadline := time.Now().Add(2 * time.Minute)
	for {
		to := time.Now().Add(-flushLag)
		if to.After(w.Start) {
			searchReal(t, m, w.Start, to, shop.Payments, "", "", "700ms", "", "20")
			if len(m.rows) > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no payments trace over 700ms after injecting the latency fault")
		}
		time.Sleep(5 * time.Second)
	}
	panetest.Press(m, "s") // by duration: the slowest first
	if m.sortBy != sortDuration {
		t.Fatalf("sort %v", m.sortBy)
	}
	settleWithin(m, panetest.Press(m, "enter"), 30*time.Second)
	if m.tr == nil {
		t.Fatalf("open: %v", m.trace.Err())
	}
	if !slices.Contains(m.tr.critSvcs, shop.Payments) {
		t.Errorf("critical path %v lacks payments", m.tr.critSvcs)
	}
	// The stalled gateway call is the span with the most time on the path.
	var top *node
	for i := range m.tr.nodes {
		if nd := &m.tr.nodes[i]; top == nil || nd.critical > top.critical {
			top = nd
		}
	}
	if top.span.Service != shop.Payments || top.critical < slow {
		t.Errorf("most critical span %s %q with %v; want the payments gateway call over %v",
			top.span.Service, top.span.Operation, top.critical, slow)
	}
	// And the pane finds it with the filter and marks it.
	panetest.Press(m, "/", "authorize", "enter")
	if len(m.matches) == 0 || !slices.Contains(m.matches, m.selSpan()) {
		t.Errorf("filter did not find the gateway span")
	}
}

// TestFormSuggestsDemoNames opens the form against the real Jaeger: the
// service suggestions hold the demo's services, and choosing payments
// lists the operation its server spans are named after in demo/emit.go
// (method and route of its endpoint).
func TestFormSuggestsDemoNames(t *testing.T) {
	m, _ := realPane(t)
	settleWithin(m, panetest.Press(m, "i"), 30*time.Second)
	if m.sg.svc.Err() != nil {
		t.Fatalf("services: %v", m.sg.svc.Err())
	}
	for _, svc := range []string{shop.Checkout, shop.Frontend, shop.Inventory, shop.Orders, shop.Payments} {
		if !slices.Contains(m.sg.services, svc) {
			t.Errorf("service suggestions %q lack %s", m.sg.services, svc)
		}
	}
	// A partial name narrows the list to payments, and tab takes it.
	settleWithin(m, panetest.Press(m, shop.Payments[:3]), 30*time.Second)
	if len(m.sg.matches) == 0 || m.sg.matches[0] != shop.Payments {
		t.Fatalf("typed %q: suggestions %q", shop.Payments[:3], m.sg.matches)
	}
	if v := m.View(); !strings.Contains(v, "› "+shop.Payments) {
		t.Errorf("the list does not show payments highlighted:\n%s", v)
	}
	settleWithin(m, panetest.Press(m, "tab"), 30*time.Second)
	if got := m.form.value(fieldService); got != shop.Payments {
		t.Fatalf("tab took %q", got)
	}
	if m.sg.opsErr != nil {
		t.Fatalf("operations: %v", m.sg.opsErr)
	}
	ep, ok := shop.EndpointOf(shop.Payments)
	if !ok {
		t.Fatal("the demo has no payments endpoint")
	}
	op := ep.Method + " " + ep.Route
	if ops := m.sg.ops[shop.Payments]; !slices.Contains(ops, op) {
		t.Fatalf("operations of payments %q lack %q", ops, op)
	}
	// On the operation field, typing part of the route offers it; enter
	// takes it and searches with it.
	settleWithin(m, panetest.Press(m, "tab", ep.Route[:4]), 30*time.Second)
	if !slices.Contains(m.sg.matches, op) {
		t.Fatalf("typed %q: operation suggestions %q", ep.Route[:4], m.sg.matches)
	}
	for m.sg.matches[m.sg.sel] != op {
		panetest.Press(m, "down")
	}
	to := time.Now().Add(-flushLag)
	m.SetRange(to.Add(-5*time.Minute), to, false)
	settleWithin(m, panetest.Press(m, "enter"), 30*time.Second)
	if m.search.Err() != nil {
		t.Fatalf("search: %v", m.search.Err())
	}
	if m.shownQ.Service != shop.Payments || m.shownQ.Operation != op {
		t.Errorf("searched %q %q", m.shownQ.Service, m.shownQ.Operation)
	}
	if len(m.rows) == 0 {
		t.Errorf("no %s %q traces in the last 5 minutes; is the demo workload running?", shop.Payments, op)
	}
}

// TestDiffAgainstARealBaseline presses the diff key on a demo checkout
// trace: the baseline comes from the real Jaeger's candidates, has the
// same root, and enter on the top row lands on that span in the
// waterfall.
func TestDiffAgainstARealBaseline(t *testing.T) {
	m, c := realPane(t)
	to := time.Now().Add(-flushLag)
	searchReal(t, m, to.Add(-5*time.Minute), to, shop.Frontend, "", "", "", "", "50")
	// The slowest healthy checkout: a baseline must have been faster.
	i := -1
	for j, r := range m.rows {
		if r.ErrorCount == 0 && slices.Contains(r.Services, shop.Payments) && (i < 0 || r.Duration > m.rows[i].Duration) {
			i = j
		}
	}
	if i < 0 {
		t.Fatal("no healthy frontend checkout trace in the last 5 minutes; is the demo workload running?")
	}
	m.rsel = i
	settleWithin(m, panetest.Press(m, "enter"), 30*time.Second)
	if m.tr == nil {
		t.Fatalf("open: %v", m.trace.Err())
	}
	slowID := m.tr.traceID
	settleWithin(m, panetest.Press(m, "D"), 60*time.Second)
	if m.dv.req.Err() != nil || m.dv.res == nil || m.mode != modeDiff {
		t.Fatalf("diff: mode %v err %v", m.mode, m.dv.req.Err())
	}
	r := m.dv.res
	if r.base.id == slowID || r.slow.id != slowID || r.considered < 2 || len(r.rows) == 0 {
		t.Fatalf("baseline %s for %s among %d candidates, %d rows", r.base.id, slowID, r.considered, len(r.rows))
	}
	t.Logf("%s (%s) vs %s (%s): %d candidates (%s), %d rows", slowID, fmtDur(r.slow.duration), r.base.id, fmtDur(r.base.duration), r.considered, r.tally, len(r.rows))
	base, err := c.GetTrace(context.Background(), r.base.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range base.Spans {
		if s.Error {
			t.Errorf("the baseline %s has an error span %s %s", r.base.id, s.Service, s.Operation)
		}
	}
	if r.slow.name != r.base.name {
		t.Errorf("roots differ: %q vs %q", r.slow.name, r.base.name)
	}
	// The top row present in the slow trace is a span of the waterfall.
	k := slices.IndexFunc(r.rows, func(row diffRow) bool { return row.slowSpan != "" })
	for range k {
		panetest.Press(m, "j")
	}
	panetest.Press(m, "enter")
	if m.mode != modeTrace || m.selSpan() < 0 || selID(m) != r.rows[k].slowSpan {
		t.Errorf("enter on row %d did not land on span %s (mode %v, flash %q)", k+1, r.rows[k].slowSpan, m.mode, m.flash)
	}
}
