package request

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fixedNow is the instant the tests pin their clocks to.
var fixedNow = panetest.Epoch()

const (
	reqID  = "req-e40849d5669c"
	traceA = "807ab51aebce4c7a2deedf2f0bfaf0f2"
)

// sampleView is one checkout request through four services: frontend and
// checkout log JSON with ids in the line, inventory logfmt with the trace
// id only in structured metadata (and a failing reservation), an edge
// proxy a line with the request id only.
func sampleView() *correlate.View {
	at := fixedNow.Add(-10 * time.Minute)
	ms := func(n int) time.Time { return at.Add(time.Duration(n) * time.Millisecond) }
	sp := func(id, parent, svc, op string, start, dur int, err bool) sources.Span {
		return sources.Span{TraceID: traceA, SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
			Start: ms(start), Duration: time.Duration(dur) * time.Millisecond, Error: err,
			Tags: []sources.KV{{Key: "request_id", Value: reqID}}}
	}
	spans := []sources.Span{
		sp("44c57f89a22c0d5f", "", "frontend", "POST /api/checkout", 0, 120, true),
		sp("829143b73bbfd68c", "44c57f89a22c0d5f", "checkout", "POST /checkout", 5, 110, true),
		sp("61e29d1992c537bb", "829143b73bbfd68c", "inventory", "POST /v1/reserve", 10, 90, true),
		sp("21ee09869a2d85a7", "61e29d1992c537bb", "inventory", "UPDATE inventory.stock", 12, 80, false),
	}
	lbl := func(svc string) map[string]string { return map[string]string{"service_name": svc, "env": "demo"} }
	lg := func(n int, svc, level, line, span string) correlate.Log {
		return correlate.Log{Time: ms(n), Service: svc, Level: level, Line: line, Labels: lbl(svc),
			Fields: correlate.Fields{RequestID: reqID, TraceID: traceA, SpanID: span}}
	}
	logs := []correlate.Log{
		lg(1, "frontend", "debug", `{"level":"debug","msg":"incoming request","route":"/api/checkout","request_id":"`+reqID+`"}`, "44c57f89a22c0d5f"),
		lg(7, "checkout", "info", `{"level":"info","msg":"cart loaded","cart_items":3,"request_id":"`+reqID+`"}`, "829143b73bbfd68c"),
		lg(95, "inventory", "error", `level=error msg="reservation failed: lock wait timeout" sku=SKU-1221 request_id=`+reqID, "61e29d1992c537bb"),
		lg(121, "frontend", "error", `{"level":"error","msg":"request failed","status":500,"request_id":"`+reqID+`"}`, "44c57f89a22c0d5f"),
		{Time: ms(-3), Service: "edge", Level: "info", Line: `level=info msg=accepted request_id=` + reqID + ` path=/api/checkout`,
			Labels: lbl("edge"), Fields: correlate.Fields{RequestID: reqID}},
	}
	v := &correlate.View{Input: reqID, Kind: correlate.IDRequest, RequestIDs: []string{reqID}, TraceIDs: []string{traceA},
		Window:   correlate.Window{From: ms(-3).Add(-5 * time.Minute), To: ms(121).Add(5 * time.Minute)},
		Searched: correlate.Window{From: fixedNow.Add(-time.Hour), To: fixedNow}, Selectors: []string{`{service_name=~".+"}`}, LogBackend: "loki",
		TraceTag: "request_id", Took: 912 * time.Millisecond}
	v.Joined = correlate.Join(spans, logs)
	v.Summary = correlate.Summary{SpanCount: 4, LogCount: 5, CriticalServices: []string{"frontend", "checkout", "inventory"},
		FirstError:  &correlate.Event{Time: ms(10), Kind: correlate.ItemSpan, Service: "inventory", Text: "POST /v1/reserve"},
		SlowestSpan: &correlate.Event{Time: ms(0), Kind: correlate.ItemSpan, Service: "frontend", Text: "POST /api/checkout", Duration: 120 * time.Millisecond}}
	return v
}

// fakeSource counts its calls (panetest.Backend) so tests can prove
// Update and View make none; only running the returned Cmds may.
type fakeSource struct {
	panetest.Backend
	fn   func(ctx context.Context, id string, w correlate.Window) (*correlate.View, error)
	seen []correlate.Window
	// snaps are handed to the progress function, in order, before the
	// answer.
	snaps []*correlate.View
}

func (f *fakeSource) ResolveProgress(ctx context.Context, id string, w correlate.Window, progress func(*correlate.View)) (*correlate.View, error) {
	if err := f.Call(ctx); err != nil {
		return nil, err
	}
	var fn func(ctx context.Context, id string, w correlate.Window) (*correlate.View, error)
	var snaps []*correlate.View
	f.Locked(func() {
		f.seen = append(f.seen, w)
		fn, snaps = f.fn, f.snaps
	})
	for _, s := range snaps {
		progress(s)
	}
	if fn == nil {
		return sampleView(), nil
	}
	return fn(ctx, id, w)
}

func (f *fakeSource) set(fn func(ctx context.Context, id string, w correlate.Window) (*correlate.View, error)) {
	f.Locked(func() { f.fn = fn })
}

// newTestModel is a pane over src on shot s's renderer, palette and size,
// its range the hour before fixedNow.
func newTestModel(t testing.TB, s panetest.Shot, src Source) *Model {
	t.Helper()
	r, pal := s.Renderer()
	clk := fixedNow
	m := New(Config{Basics: pane.Basics{Renderer: r, Now: func() time.Time { return clk }, Location: time.UTC},
		Source: src, Palette: pal, LogDialect: loki.Dialect{}, LogBackend: "loki"})
	m.SetSize(s.W, s.H)
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, true)
	t.Cleanup(m.Close)
	return m
}

// plain is the no-colour shot at w×h, for tests that read the text.
func plain(w, h int) panetest.Shot {
	return panetest.Shot{W: w, H: h, Profile: termenv.Ascii, Tag: "nocolor"}
}

// resolveTyped types id into the pane's input and settles the resolution
// enter starts.
func resolveTyped(m *Model, id string) {
	m.Init()
	panetest.Press(m, id)
	settle(m, panetest.Press(m, "enter"))
}

// settleWait bounds each Cmd's wait in settle and run; the fake answers
// at once, so it is reached only by a Cmd that would block for ever.
const settleWait = 2 * time.Second

// settle feeds a Cmd's answers back into the model, and the answers of
// the Cmds the model returns (a progress snapshot's wait for the next),
// and returns the messages meant for the root.
func settle(m *Model, cmd tea.Cmd) []tea.Msg {
	return panetest.Settle(m, cmd, settleWait, func(msg tea.Msg) bool {
		switch msg.(type) {
		case resultMsg, progressMsg:
			return true
		}
		return false
	})
}

// run executes a Cmd tree and returns its messages, the spinner's ticks
// left out, feeding nothing back.
func run(cmd tea.Cmd) []tea.Msg {
	return panetest.Settle[*Model](nil, cmd, settleWait, func(tea.Msg) bool { return false })
}

// withChanges is sampleView with the changes the resolver would list in
// its window: a deploy of checkout two minutes before the request, a
// flag flipped for every service after it, and one change to a service
// the request did not touch (counted, not listed).
func withChanges(v *correlate.View) *correlate.View {
	start := fixedNow.Add(-10*time.Minute - 3*time.Millisecond)
	v.Changes = []correlate.Change{
		{T: start.Add(-2*time.Minute - 4*time.Second), Service: "checkout", Kind: "deploy", Source: "deploys", What: "version 1.4.2 → 1.4.3"},
		{T: start.Add(90 * time.Second), Kind: "config", Source: "flags", What: "flag new-cart-flow on"},
	}
	v.ChangesElsewhere = 1
	return v
}

// stamp is the stamp of the run back runs before the latest.
func stamp(m *Model, back int) pane.Stamp {
	return pane.Stamp{Pane: m.base.ID, Seq: m.req.Seq() - back}
}

// loading is the id being resolved, "" when idle.
func loading(m *Model) string {
	if m.req.Busy() {
		return m.loadID
	}
	return ""
}
