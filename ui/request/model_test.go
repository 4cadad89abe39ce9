package request

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func loaded(t *testing.T) (*Model, *fakeSource) {
	t.Helper()
	src := &fakeSource{}
	m := newTestModel(t, plain(120, 40), src)
	resolveTyped(m, reqID)
	if m.view == nil {
		t.Fatal("no view after resolving")
	}
	return m, src
}

func TestTypingAnIDResolvesIt(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, plain(120, 40), src)
	m.Init()
	if !m.Editing() || m.AtRest() {
		t.Fatal("the id input should have the keyboard at start")
	}
	panetest.Press(m, reqID)
	cmd := panetest.Press(m, "enter")
	if m.Editing() || loading(m) != reqID || m.AtRest() {
		t.Fatalf("after enter: editing %v loading %q", m.Editing(), loading(m))
	}
	if !strings.Contains(m.View(), "searching Loki and Jaeger for "+reqID) {
		t.Errorf("no spinner line:\n%s", m.View())
	}
	settle(m, cmd)
	if loading(m) != "" || m.view == nil || len(m.rows) != 4+4+5 || !m.AtRest() {
		t.Fatalf("loading %q, %d rows", loading(m), len(m.rows))
	}
	// The window is the root's range: live, an hour ending now.
	if w := src.seen[0]; w.From != fixedNow.Add(-time.Hour) || w.To != fixedNow {
		t.Errorf("searched %v", w)
	}
}

func TestStaleResultDropped(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, plain(120, 40), src)
	first := m.Resolve("req-first")
	second := m.Resolve(reqID)
	old := sampleView()
	old.Input = "req-first"
	m.Update(resultMsg{Pane: m.base.ID, Seq: m.req.Seq() - 1, Value: answer{id: "req-first", view: old}})
	if m.view != nil {
		t.Fatal("a stale result was shown")
	}
	_ = first
	settle(m, second)
	if m.shown != reqID {
		t.Errorf("shown %q", m.shown)
	}
	// Another pane's result with the same seq is not ours either.
	m.Update(resultMsg{Pane: "other", Seq: m.req.Seq(), Value: answer{id: "x", view: &correlate.View{}}})
	if m.shown != reqID {
		t.Error("took another pane's result")
	}
}

func TestErrorKeepsThePreviousView(t *testing.T) {
	m, src := loaded(t)
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		return nil, &sources.Error{Backend: "loki", Kind: sources.KindTimeout, Msg: "context deadline exceeded"}
	})
	settle(m, m.Resolve("req-other"))
	v := m.View()
	if m.view == nil || !strings.Contains(v, "✗ req-other: timeout: context deadline exceeded (showing the previous result)") {
		t.Errorf("error view:\n%s", v)
	}
	if !strings.Contains(v, "request "+reqID) {
		t.Error("the previous view is gone")
	}
}

func TestNavigationAndFilter(t *testing.T) {
	m, _ := loaded(t)
	panetest.Press(m, "J")
	if r, _ := m.selected(); r.kind != rowService || m.view.Services[r.svc] != "frontend" {
		t.Fatalf("J went to %+v", r)
	}
	panetest.Press(m, "G")
	if m.sel != len(m.rows)-1 {
		t.Errorf("G: sel %d of %d", m.sel, len(m.rows))
	}
	panetest.Press(m, "/", "lock wait")
	if !m.Editing() {
		t.Fatal("filter input should have the keyboard")
	}
	panetest.Press(m, "enter")
	if len(m.rows) != 2 || m.rows[1].kind != rowLog || m.AtRest() {
		t.Fatalf("filtered rows %+v", m.rows)
	}
	panetest.Press(m, "esc")
	if m.filter != "" || len(m.rows) != 13 || !m.AtRest() {
		t.Errorf("esc left filter %q, %d rows", m.filter, len(m.rows))
	}
}

func TestPivots(t *testing.T) {
	m, _ := loaded(t)
	find := func(kind rowKind, svc string) {
		t.Helper()
		for i, r := range m.rows {
			if r.kind == kind && m.view.Services[r.svc] == svc {
				m.sel = i
				return
			}
		}
		t.Fatalf("no %v row of %s", kind, svc)
	}
	pv := func(keys ...string) pane.PivotMsg {
		t.Helper()
		msgs := run(panetest.Press(m, keys...))
		if len(msgs) != 1 {
			t.Fatalf("%v sent %d messages", keys, len(msgs))
		}
		p, ok := msgs[0].(pane.PivotMsg)
		if !ok {
			t.Fatalf("%v sent %T", keys, msgs[0])
		}
		return p
	}
	find(rowSpan, "inventory")
	p := pv("enter")
	sp := m.view.Spans[m.rows[m.sel].ref]
	if p.Target != pane.TargetTraces || p.TraceID != traceA || p.SpanID != sp.SpanID ||
		p.From != sp.Start.Add(-5*time.Minute) || p.To != sp.End().Add(5*time.Minute) {
		t.Errorf("span pivot %+v", p)
	}
	p = pv("L")
	// The logs pane writes the query; the pivot says what it wants.
	if p.Target != pane.TargetLogs || p.Query != "" || p.ServiceLabel != "service_name" || p.Service != "inventory" || p.TraceID != traceA {
		t.Errorf("span logs pivot %+v", p)
	}
	find(rowLog, "edge")
	l := m.view.Logs[m.rows[m.sel].ref]
	p = pv("enter")
	if p.Target != pane.TargetLogs || p.Query != `{service_name="edge"}` || p.From != l.Time.Add(-5*time.Minute) || p.To != l.Time.Add(5*time.Minute) {
		t.Errorf("log pivot %+v", p)
	}
	find(rowService, "checkout")
	p = pv("enter")
	if p.Target != pane.TargetLogs || p.Query != "" || p.ServiceLabel != "service_name" || p.Service != "checkout" || p.RequestID != reqID || p.From != m.view.Window.From {
		t.Errorf("service pivot %+v", p)
	}
}

func TestPivotIntoThePane(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, plain(120, 40), src)
	from, to := fixedNow.Add(-3*time.Hour), fixedNow.Add(-2*time.Hour)
	cmd := m.Pivot(pane.PivotMsg{Target: pane.TargetRequest, TraceID: traceA, From: from, To: to})
	if loading(m) != traceA || m.Editing() {
		t.Fatalf("pivot: loading %q", loading(m))
	}
	settle(m, cmd)
	if w := src.seen[0]; w.From != from || w.To != to {
		t.Errorf("pivot searched %v, want its own window", w)
	}
	if m.Pivot(pane.PivotMsg{Target: pane.TargetRequest}) != nil {
		t.Error("a pivot without an id did something")
	}
	// A request id wins over the trace id.
	m.Pivot(pane.PivotMsg{RequestID: reqID, TraceID: traceA})
	if loading(m) != reqID {
		t.Errorf("loading %q", loading(m))
	}
}

func TestSelectionIsEvidence(t *testing.T) {
	m, _ := loaded(t)
	if _, ok := m.Selection(); ok {
		t.Error("a service heading is not evidence")
	}
	panetest.Press(m, "j")
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceLog || ev.Source != "loki" || !strings.Contains(ev.Snapshot, "msg=accepted") {
		t.Errorf("edge line evidence %+v", ev)
	}
	for i, r := range m.rows {
		if r.kind == rowSpan {
			m.sel = i
			break
		}
	}
	ev, ok = m.Selection()
	if !ok || ev.Kind != incidents.EvidenceSpan || ev.Query != traceA {
		t.Errorf("span evidence %+v", ev)
	}
}

func TestRangeMsgReruns(t *testing.T) {
	m, src := loaded(t)
	_, cmd := m.Update(pane.RangeMsg{From: fixedNow.Add(-6 * time.Hour), To: fixedNow.Add(-5 * time.Hour)})
	settle(m, cmd)
	if n := len(src.seen); n != 2 || src.seen[1].From != fixedNow.Add(-6*time.Hour) {
		t.Errorf("range change: %d calls, last %v", n, src.seen[n-1])
	}
}

func TestEscCancelsASearch(t *testing.T) {
	src := &fakeSource{}
	block := make(chan struct{})
	src.set(func(ctx context.Context, id string, w correlate.Window) (*correlate.View, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-block:
			return sampleView(), nil
		}
	})
	m := newTestModel(t, plain(120, 40), src)
	cmd := m.Resolve(reqID)
	panetest.Press(m, "esc")
	if loading(m) != "" || !m.AtRest() {
		t.Fatal("esc did not cancel")
	}
	msgs := run(cmd) // the cancelled Cmd returns at once, and is stale
	for _, msg := range msgs {
		m.Update(msg)
	}
	close(block)
	if m.view != nil || m.err != nil {
		t.Errorf("a cancelled search changed the pane: view %v err %v", m.view != nil, m.err)
	}
}

func TestNoSourceSaysSo(t *testing.T) {
	m := newTestModel(t, plain(120, 40), nil)
	if m.Resolve(reqID) != nil || !strings.Contains(m.View(), "no Loki or Jaeger is configured") {
		t.Errorf("view:\n%s", m.View())
	}
	if m.Resolve("two words") != nil || !strings.Contains(m.flash, "not a request id") {
		t.Errorf("flash %q", m.flash)
	}
}

// Update and View never call the backend: only the Cmds they return do.
func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, panetest.Shot{W: 80, H: 24, Profile: termenv.ANSI256}, src)
	cmds := panetest.Steps(m, "i", reqID, "enter", "j", "J", "/", "x", "enter", "esc", "G", "enter", "L", "y",
		pane.RangeMsg{From: fixedNow.Add(-2 * time.Hour), To: fixedNow})
	cmds = append(cmds, m.Pivot(pane.PivotMsg{TraceID: traceA}))
	_ = m.View()
	panetest.OnlyCmdsCall(t, src.Calls, cmds, time.Second)
}

func TestHostileLinesAreNotInterpreted(t *testing.T) {
	src := &fakeSource{}
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		v := sampleView()
		v.Logs[0].Line = "evil \x1b]52;c;ZXZpbA==\x07 \x1b[31mred"
		v.Spans[0].Operation = "op\x1b[2J"
		return v, nil
	})
	m := newTestModel(t, plain(200, 50), src)
	settle(m, m.Resolve(reqID))
	if v := m.View(); strings.ContainsRune(v, 0x1b) {
		t.Errorf("escape reached the view: %q", v)
	}
	m.err = errors.New("boom \x1b[2J")
	m.errID = "x"
	if strings.ContainsRune(m.View(), 0x1b) {
		t.Error("escape in an error reached the view")
	}
}

// traceOnly is the sample request as known when Jaeger has answered and
// Loki has not: spans, no lines, still searching.
func traceOnly() *correlate.View {
	v := sampleView()
	v.Joined = correlate.Join(v.Spans, nil)
	v.Summary.LogCount = 0
	v.Searching, v.Pending, v.Calls = true, 2, make([]correlate.Call, 1)
	return v
}

// The trace shows while Loki still searches, with the spinner and how
// many calls are out; moving the cursor meanwhile is kept when the
// answer replaces the snapshot.
func TestSnapshotShownWhileSearching(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, plain(120, 40), src)
	m.Init()
	panetest.Press(m, reqID)
	cmd := panetest.Press(m, "enter")
	msgs := run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	// The fake answers at once; replay a snapshot by hand first.
	snap := progressMsg{run: stamp(m, 0), id: reqID, view: traceOnly(), next: func() tea.Msg { return msgs[0] }}
	_, next := m.Update(snap)
	if loading(m) != reqID || m.view == nil || len(m.rows) == 0 {
		t.Fatalf("snapshot not shown: loading %q rows %d", loading(m), len(m.rows))
	}
	frame := m.View()
	for _, want := range []string{"POST /api/checkout", "searching Loki and Jaeger for " + reqID, "1 answered, 2 out"} {
		if !strings.Contains(frame, want) {
			t.Errorf("frame lacks %q:\n%s", want, frame)
		}
	}
	if next == nil {
		t.Fatal("no wait for the next snapshot")
	}
	panetest.Press(m, "j", "j")
	sel := m.sel
	m.Update(next())
	if loading(m) != "" || len(m.rows) != 4+4+5 {
		t.Fatalf("after the answer: loading %q, %d rows", loading(m), len(m.rows))
	}
	if m.sel != sel || sel == 0 {
		t.Errorf("cursor %d after the answer, was moved to %d", m.sel, sel)
	}
	if strings.Contains(m.View(), "answered") {
		t.Error("the finished view still says calls are out")
	}
	// A snapshot after the answer, or of an older search, changes nothing.
	m.Update(progressMsg{run: stamp(m, 0), id: reqID, view: traceOnly()})
	m.Update(progressMsg{run: stamp(m, 1), id: reqID, view: traceOnly()})
	if len(m.rows) != 4+4+5 {
		t.Errorf("a late snapshot replaced the answer: %d rows", len(m.rows))
	}
}

// A snapshot that found nothing yet does not replace the previous view
// with "not found".
func TestEmptySnapshotKeepsThePreviousView(t *testing.T) {
	m, _ := loaded(t)
	m.Resolve("req-other")
	empty := &correlate.View{Input: "req-other", Kind: correlate.IDRequest, Joined: correlate.Join(nil, nil), Searching: true, Pending: 3}
	m.Update(progressMsg{run: stamp(m, 0), id: "req-other", view: empty})
	if m.shown != reqID || strings.Contains(m.View(), "not found") {
		t.Errorf("shown %q:\n%s", m.shown, m.View())
	}
}

// Through the real Cmd: the fake's snapshots arrive before its answer.
func TestResolveCmdDeliversSnapshotsThenTheAnswer(t *testing.T) {
	shown := make(chan struct{})
	src := &fakeSource{snaps: []*correlate.View{traceOnly()}}
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		<-shown // the answer comes after the snapshot was on screen
		return sampleView(), nil
	})
	m := newTestModel(t, plain(120, 40), src)
	m.Init()
	panetest.Press(m, reqID)
	cmd := panetest.Press(m, "enter")
	var kinds []string
	for _, msg := range run(cmd) {
		for msg != nil {
			_, next := m.Update(msg)
			switch msg.(type) {
			case progressMsg:
				kinds = append(kinds, "progress")
				close(shown)
				msg = next()
			case resultMsg:
				kinds = append(kinds, "result")
				msg = nil
			default:
				msg = nil
			}
		}
	}
	if got := strings.Join(kinds, ","); got != "progress,result" {
		t.Errorf("messages %s, want progress then result", got)
	}
	if loading(m) != "" || len(m.rows) != 4+4+5 {
		t.Errorf("loading %q, %d rows", loading(m), len(m.rows))
	}
}

// The changes in the window lead the timeline; enter on a deploy opens
// its service's logs around it; a change to no service says why nothing
// opens; J walks the headings, the filter reaches the changes.
func TestChangesInTheWindow(t *testing.T) {
	src := &fakeSource{}
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		return withChanges(sampleView()), nil
	})
	m := newTestModel(t, plain(120, 40), src)
	m.Init()
	panetest.Press(m, reqID)
	settle(m, panetest.Press(m, "enter"))
	if len(m.rows) != 3+4+4+5 || m.rows[0].kind != rowChanges || m.rows[1].kind != rowChange {
		t.Fatalf("%d rows, first %+v", len(m.rows), m.rows[:2])
	}
	view := m.View()
	for _, want := range []string{"▸ changes  2 in window · 1 to other services",
		"10:17:55  ⚑ deploy checkout: version 1.4.2 → 1.4.3  (2m4s before)",
		"10:21:29  ⚑ config all services: flag new-cart-flow on  (1m30s after)"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}

	panetest.Press(m, "j")
	msgs := run(panetest.Press(m, "enter"))
	if len(msgs) != 1 {
		t.Fatalf("enter on a deploy: %v", msgs)
	}
	p, ok := msgs[0].(pane.PivotMsg)
	at := m.view.Changes[0].T
	if !ok || p.Target != pane.TargetLogs || p.Service != "checkout" || !p.From.Equal(at.Add(-m.pad)) || !p.To.Equal(at.Add(m.pad)) ||
		!strings.Contains(p.Query, `"checkout"`) {
		t.Fatalf("pivot %+v", msgs[0])
	}
	panetest.Press(m, "j")
	if cmd := panetest.Press(m, "enter"); cmd != nil || !strings.Contains(m.View(), "names no service") {
		t.Errorf("enter on a change to every service: cmd %v\n%s", cmd, m.View())
	}

	panetest.Press(m, "J")
	if r, _ := m.selected(); r.kind != rowService {
		t.Errorf("J from the changes went to %+v", r)
	}
	panetest.Press(m, "K", "K")
	if r, _ := m.selected(); r.kind != rowChanges {
		t.Errorf("K back went to %+v", r)
	}

	panetest.Press(m, "/", "flag", "enter")
	if len(m.rows) != 2 || m.rows[1].kind != rowChange || m.view.Changes[m.rows[1].ref].Source != "flags" {
		t.Errorf("filter /flag rows %+v", m.rows)
	}
}

// A view without changes has no changes heading; a change source that
// failed is said above the timeline.
func TestNoChangesNoHeading(t *testing.T) {
	m, _ := loaded(t)
	if strings.Contains(m.View(), "changes") {
		t.Errorf("a heading without changes:\n%s", m.View())
	}
	m.view.ChangesProblem = "changes deploys: prometheus unreachable"
	if !strings.Contains(m.View(), "⚠ changes not all listed: changes deploys: prometheus unreachable") {
		t.Errorf("problem not said:\n%s", m.View())
	}
}

// A failed resolution is shown the way every pane shows an error
// (pane.ErrText): a wrapped backend error keeps its kind and its own
// sanitized reason, and one without a reason says which backend gave none.
func TestErrorThroughErrText(t *testing.T) {
	src := &fakeSource{}
	m := newTestModel(t, plain(200, 50), src)
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		return nil, fmt.Errorf("search logs: %w", &sources.Error{Backend: "loki", Op: "query_range", Kind: sources.KindBadQuery,
			Msg: "parse error \x1b]52;c;ZXZpbA==\x07 at 3"})
	})
	settle(m, m.Resolve(reqID))
	v := m.View()
	if !strings.Contains(v, "✗ "+reqID+": bad query: parse error") || strings.ContainsAny(v, "\x1b\x07") {
		t.Errorf("wrapped error not shown by kind and sanitized reason:\n%q", v)
	}
	src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
		return nil, &sources.Error{Backend: "loki", Kind: sources.KindServerError}
	})
	settle(m, m.Resolve(reqID))
	if v := m.View(); !strings.Contains(v, "server error: no detail from loki") {
		t.Errorf("error without a reason:\n%s", v)
	}
}
