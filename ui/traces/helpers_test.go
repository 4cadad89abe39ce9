package traces

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var fixedNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

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

// shopSource is a fake Jaeger with three shop traces a minute apart:
// a fast one, one with a slow gateway call, and (the newest) a failed one.
func shopSource() *fakeSource {
	return newFakeSource(
		shopTrace("aaaa0000000000000000000000000001", fixedNow.Add(-3*time.Minute), 0, false),
		shopTrace("aaaa0000000000000000000000000002", fixedNow.Add(-2*time.Minute), 1500*time.Millisecond, false),
		shopTrace("aaaa0000000000000000000000000003", fixedNow.Add(-1*time.Minute), 0, true),
	)
}

// searchShop is a no-colour w x h pane that searched the shop's traces.
func searchShop(t *testing.T, w, h int) *Model {
	t.Helper()
	m, _ := newPlain(t, shopSource(), w, h)
	search(m, "frontend")
	return m
}

// openShop is searchShop with the newest trace, the failed one, opened
// from the table.
func openShop(t *testing.T, w, h int) *Model {
	t.Helper()
	m := searchShop(t, w, h)
	settle(m, panetest.Press(m, "enter"))
	return m
}

// bigTrace is an n-span trace: a root fanning out, sub-trees nesting a
// few levels, sequential and overlapping children.
func bigTrace(n int) *sources.Trace {
	return fourAryTrace("00000000000000000000000000b16b16", "s", "GET /batch", n, func(p sources.Span, i int) (time.Duration, time.Duration) {
		d := p.Duration / 5
		return time.Duration(i%4)*d + d/10, d
	})
}

// fourAryTrace is an n-span trace with ids prefix0, prefix1, …: a 30 s
// root span named rootOp, and span i the child of span (i-1)/4, placed
// by place as an offset into its parent and a duration. Services,
// operations, errors and tags repeat with i.
func fourAryTrace(id, prefix, rootOp string, n int, place func(parent sources.Span, i int) (time.Duration, time.Duration)) *sources.Trace {
	tr := &sources.Trace{TraceID: id}
	tr.Spans = make([]sources.Span, 0, n)
	tr.Spans = append(tr.Spans, sources.Span{TraceID: id, SpanID: prefix + "0", Service: "frontend", Operation: rootOp,
		Start: fixedNow.Add(-time.Minute), Duration: 30 * time.Second})
	for i := 1; i < n; i++ {
		p := tr.Spans[(i-1)/4]
		off, d := place(p, i)
		tr.Spans = append(tr.Spans, sources.Span{
			TraceID: id, SpanID: fmt.Sprintf("%s%d", prefix, i), ParentSpanID: p.SpanID,
			Service: fmt.Sprintf("svc-%d", i%9), Operation: fmt.Sprintf("op %d", i%31),
			Start: p.Start.Add(off), Duration: d, Error: i%97 == 0,
			Tags: []sources.KV{{Key: "i", Value: fmt.Sprint(i)}},
		})
	}
	return tr
}

// newTestModel is a pane drawn in shot s (its size, its colour profile
// and the palette goldens use with it), its clock stopped at fixedNow and
// its range the hour before.
func newTestModel(t testing.TB, s panetest.Shot, src Source) (*Model, *panetest.Clock) {
	t.Helper()
	r, pal := s.Renderer()
	clk := panetest.NewClock(fixedNow)
	m := New(Config{Basics: pane.Basics{Renderer: r, Now: clk.Now, Location: time.UTC}, Source: src, Palette: pal})
	m.SetSize(s.W, s.H)
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, false)
	t.Cleanup(m.Close)
	return m, clk
}

// newPlain is a pane drawn without colour, as most tests draw, at w x h.
func newPlain(t testing.TB, src Source, w, h int) (*Model, *panetest.Clock) {
	t.Helper()
	s := panetest.Plain()
	s.W, s.H = w, h
	return newTestModel(t, s, src)
}

// own is what the pane answers itself: its requests' results.
func own(msg tea.Msg) bool {
	switch msg.(type) {
	case searchMsg, traceMsg, diffMsg, servicesMsg, opsMsg:
		return true
	}
	return false
}

// settle runs cmd as the runtime would, feeding the pane's own answers
// back until nothing is left, and returns what it sends the root
// (copies, pivots).
func settle(m *Model, cmd tea.Cmd) []tea.Msg { return settleWithin(m, cmd, 2*time.Second) }

// settleWithin is settle with a longer wait per answer, for real backends.
func settleWithin(m *Model, cmd tea.Cmd, d time.Duration) []tea.Msg {
	return panetest.Settle(m, cmd, d, own)
}

// search types a service into the form and runs it.
func search(m *Model, service string, extra ...string) {
	keys := append([]string{"i", service}, extra...)
	keys = append(keys, "enter")
	settle(m, panetest.Press(m, keys...))
}

// paneTrace is the pivot that opens trace id.
func paneTrace(id string) pane.PivotMsg { return pane.PivotMsg{Target: pane.TargetTraces, TraceID: id} }

// selID is the id of the span under the cursor.
func selID(m *Model) string { return m.tr.nodes[m.selSpan()].span.SpanID }

// copied runs the Cmd of key k and returns the text it put on the
// clipboard, which the flash must show.
func copied(t *testing.T, m *Model, k string) string {
	t.Helper()
	msgs := settle(m, panetest.Press(m, k))
	if len(msgs) != 1 {
		t.Fatalf("%s: %d msgs (flash %q)", k, len(msgs), m.flash)
	}
	c, ok := msgs[0].(pane.CopyMsg)
	if !ok || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") {
		t.Fatalf("%s: %#v", k, msgs[0])
	}
	if !strings.Contains(m.flash, c.Text) {
		t.Errorf("the flash does not show what was copied: %q", m.flash)
	}
	return c.Text
}
