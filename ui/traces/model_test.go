package traces

import (
	"github.com/reltui/reltui/ui/pane/panetest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
)

func TestSearchFormBuildsTheQuery(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 120, 40)
	if m.Editing() {
		t.Fatal("editing before the form is opened")
	}
	cmd := panetest.Press(m, "i", "payments", "tab", "POST /v1/charge", "tab", `http.status_code=500 note="a b"`, "tab", "1s", "tab", "5s", "tab", "7")
	if !m.Editing() {
		t.Fatal("the form must say it is editing, so root shortcuts stand down")
	}
	if src.finds.Calls() != 0 {
		t.Fatal("typing searched")
	}
	settle(m, tea.Batch(cmd, panetest.Press(m, "enter")))
	if len(src.seen) != 1 {
		t.Fatalf("%d searches, want 1", len(src.seen))
	}
	q := src.seen[0]
	if q.Service != "payments" || q.Operation != "POST /v1/charge" || q.MinDuration != time.Second ||
		q.MaxDuration != 5*time.Second || q.Limit != 7 || q.Tags["http.status_code"] != "500" || q.Tags["note"] != "a b" {
		t.Errorf("query = %+v", q)
	}
	if !q.Start.Equal(fixedNow.Add(-time.Hour)) || !q.End.Equal(fixedNow) {
		t.Errorf("window %v..%v, want the pane's range", q.Start, q.End)
	}
	if m.Editing() || m.mode != modeResults || len(m.rows) != 3 {
		t.Errorf("after search: editing=%v mode=%v rows=%d", m.Editing(), m.mode, len(m.rows))
	}
}

func TestFormRefusesBadInputWithoutSearching(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 120, 40)
	panetest.Press(m, "i", "enter")
	if !strings.Contains(m.formErr, "service") || m.mode != modeForm {
		t.Errorf("empty service: formErr=%q mode=%v", m.formErr, m.mode)
	}
	panetest.Press(m, "frontend", "tab", "tab", "tab", "2s", "tab", "1s", "enter")
	if !strings.Contains(m.formErr, "min duration is greater") {
		t.Errorf("min>max: formErr=%q", m.formErr)
	}
	if !strings.Contains(m.View(), "min duration is greater") {
		t.Error("the form error is not shown")
	}
	if src.finds.Calls() != 0 {
		t.Error("a bad form searched")
	}
}

func TestResultsSortByEachColumn(t *testing.T) {
	m := searchShop(t, 120, 40)
	ids := func() []string {
		var out []string
		for _, r := range m.rows {
			out = append(out, r.TraceID[len(r.TraceID)-1:])
		}
		return out
	}
	if got := ids(); !slices.Equal(got, []string{"3", "2", "1"}) {
		t.Errorf("by start: %v, want newest first", got)
	}
	panetest.Press(m, "s")
	if got := ids(); m.sortBy != sortDuration || got[0] != "2" {
		t.Errorf("by duration: %v, want the slow trace first", got)
	}
	panetest.Press(m, "s")
	if m.sortBy != sortSpans {
		t.Errorf("sort = %v", m.sortBy)
	}
	panetest.Press(m, "s")
	if got := ids(); m.sortBy != sortErrors || got[0] != "3" {
		t.Errorf("by errors: %v, want the failed trace first", got)
	}
	panetest.Press(m, "s")
	if m.sortBy != sortStart {
		t.Error("sort does not cycle back to start")
	}
}

func TestOpenTraceShowsCriticalPath(t *testing.T) {
	m := searchShop(t, 200, 50)
	panetest.Press(m, "s") // by duration: the slow one first
	settle(m, panetest.Press(m, "enter"))
	if m.mode != modeTrace || m.tr == nil || m.tr.traceID != "aaaa0000000000000000000000000002" {
		t.Fatalf("mode=%v tree=%v", m.mode, m.tr != nil)
	}
	want := correlate.CriticalServices(shopTrace("x", fixedNow, 1500*time.Millisecond, false).Spans)
	if !slices.Equal(m.tr.critSvcs, want) {
		t.Errorf("critical services %v, want %v", m.tr.critSvcs, want)
	}
	v := m.View()
	if !strings.Contains(v, "critical path "+strings.Join(want, " → ")) {
		t.Errorf("view does not name the critical path:\n%s", v)
	}
	// The gateway span is on the path and drawn with the marker; the
	// publish span (after payments, but inside checkout) is too, and the
	// inventory db span as well. Every span of this sequential trace is.
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "POST /v2/authorize") && !strings.HasPrefix(line, glyphCritical) {
			t.Errorf("gateway row lacks the critical marker: %q", line)
		}
	}
	if len(m.visible) != 10 {
		t.Errorf("%d rows, want 10", len(m.visible))
	}
}

func TestCollapseExpandKeepsSelection(t *testing.T) {
	m := openShop(t, 120, 40)
	panetest.Press(m, "j", "j") // c1, checkout server span
	c1 := m.selSpan()
	if m.tr.nodes[c1].span.SpanID != "c1" {
		t.Fatalf("selected %s", m.tr.nodes[c1].span.SpanID)
	}
	panetest.Press(m, "h")
	if len(m.visible) != 3 || m.selSpan() != c1 {
		t.Errorf("after collapse: %d rows, sel %d", len(m.visible), m.selSpan())
	}
	panetest.Press(m, "h") // on a folded span, left goes to the parent
	if selID(m) != "f2" {
		t.Errorf("left on a folded span went to %s", selID(m))
	}
	panetest.Press(m, "j", "l")
	if len(m.visible) != 10 || m.selSpan() != c1 {
		t.Errorf("after expand: %d rows", len(m.visible))
	}
	panetest.Press(m, "C")
	if len(m.visible) != 2 { // the root and its one child, folded
		t.Errorf("collapse all: %d rows", len(m.visible))
	}
	if s := selID(m); s != "f2" {
		t.Errorf("collapse all moved the cursor to %s, want the nearest shown ancestor f2", s)
	}
	panetest.Press(m, "E")
	if len(m.visible) != 10 {
		t.Errorf("expand all: %d rows", len(m.visible))
	}
}

func TestFilterStepsThroughMatchesAndUnfolds(t *testing.T) {
	m := openShop(t, 120, 40)
	panetest.Press(m, "C") // fold everything: matches are hidden
	panetest.Press(m, "/")
	if !m.Editing() {
		t.Fatal("the filter input must say it is editing")
	}
	panetest.Press(m, "PAYMENTS", "enter")
	if len(m.matches) != 2 {
		t.Fatalf("%d matches for payments, want 2", len(m.matches))
	}
	// The first match is shown unfolded; n and N step and wrap.
	for _, step := range []struct{ key, want string }{{"", "p1"}, {"n", "p2"}, {"n", "p1"}, {"N", "p2"}} {
		if step.key != "" {
			panetest.Press(m, step.key)
		}
		if s := selID(m); s != step.want {
			t.Errorf("after %q: on %s, want %s", step.key, s, step.want)
		}
	}
	if !strings.Contains(m.View(), "/PAYMENTS 2/2") {
		t.Errorf("status does not show the match position:\n%s", m.View())
	}
	// Tag text matches too.
	panetest.Press(m, "/", "ctrl+u", "req-00000000abcd", "enter")
	if len(m.matches) != 1 || selID(m) != "f1" {
		t.Errorf("tag match: %d, sel %s", len(m.matches), selID(m))
	}
	if m.AtRest() {
		t.Error("at rest with a filter set: esc clears it")
	}
	panetest.Press(m, "esc")
	if m.filter != "" || m.mode != modeTrace {
		t.Errorf("esc: filter %q mode %v", m.filter, m.mode)
	}
}

func TestDetailShowsTagsEventsProcess(t *testing.T) {
	m := openShop(t, 120, 60) // the failed trace is newest
	panetest.Press(m, "/", "authorize", "enter", "enter")
	if m.mode != modeDetail {
		t.Fatalf("mode %v", m.mode)
	}
	v := m.View()
	for _, want := range []string{"payments", "POST /v2/authorize", "Events (1)", "exception.message = payment gateway timeout",
		"main.charge()", "Process (2)", "service.instance.id = payments-7c9f", "! error", "critical path"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	panetest.Press(m, "esc")
	if m.mode != modeTrace {
		t.Errorf("esc from detail: mode %v", m.mode)
	}
}

func TestCopyTraceAndSpanID(t *testing.T) {
	m := openShop(t, 120, 40)
	panetest.Press(m, "j")
	for k, want := range map[string]string{"y": "aaaa0000000000000000000000000003", "Y": "f2"} {
		if got := copied(t, m, k); got != want {
			t.Errorf("%s copied %q, want %q", k, got, want)
		}
	}
}

func TestLogsPivotFromSpan(t *testing.T) {
	m := openShop(t, 120, 40)
	panetest.Press(m, "/", "authorize", "enter")
	msgs := settle(m, panetest.Press(m, "L"))
	if len(msgs) != 1 {
		t.Fatalf("%d msgs", len(msgs))
	}
	p, ok := msgs[0].(pane.PivotMsg)
	if !ok {
		t.Fatalf("%T", msgs[0])
	}
	s := m.tr.nodes[m.selSpan()].span
	if p.Target != pane.TargetLogs || p.Query != "" || p.ServiceLabel != "service" ||
		p.TraceID != m.tr.traceID || p.SpanID != "p2" || p.Service != "payments" ||
		!p.From.Equal(s.Start.Add(-5*time.Minute)) || !p.To.Equal(s.End().Add(5*time.Minute)) {
		t.Errorf("pivot = %+v", p)
	}
}

func TestPivotInOpensTraceOrSearches(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 120, 40)
	from, to := fixedNow.Add(-10*time.Minute), fixedNow.Add(-5*time.Minute)
	settle(m, m.Pivot(pane.PivotMsg{Target: pane.TargetTraces, TraceID: "aaaa0000000000000000000000000001", From: from, To: to}))
	if m.mode != modeTrace || m.tr == nil || m.tr.traceID != "aaaa0000000000000000000000000001" {
		t.Fatalf("trace pivot: mode %v", m.mode)
	}
	if !m.AtRest() {
		t.Error("a pivoted trace with nothing behind it must be at rest, so esc goes back")
	}
	settle(m, m.Pivot(pane.PivotMsg{Target: pane.TargetTraces, Service: "checkout", From: from, To: to}))
	if len(src.seen) != 1 || src.seen[0].Service != "checkout" || !src.seen[0].Start.Equal(from) || !src.seen[0].End.Equal(to) {
		t.Errorf("service pivot searched %+v", src.seen)
	}
	if m.mode != modeResults || len(m.rows) != 3 || !m.AtRest() {
		t.Errorf("service pivot: mode %v rows %d", m.mode, len(m.rows))
	}
}

func TestSelectionIsTheSpanUnderTheCursor(t *testing.T) {
	m, _ := newPlain(t, shopSource(), 120, 40)
	if _, ok := m.Selection(); ok {
		t.Error("a selection with nothing shown")
	}
	search(m, "frontend")
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceSpan || ev.Query != "aaaa0000000000000000000000000003" {
		t.Errorf("table selection %+v", ev)
	}
	settle(m, panetest.Press(m, "enter"))
	panetest.Press(m, "/", "authorize", "enter")
	ev, ok = m.Selection()
	s := m.tr.nodes[m.selSpan()].span
	if !ok || ev.Kind != incidents.EvidenceSpan || ev.Source != "jaeger" || ev.Query != m.tr.traceID ||
		!ev.From.Equal(s.Start) || !ev.To.Equal(s.End()) ||
		!strings.Contains(ev.Snapshot, "span p2 payments: POST /v2/authorize") || !strings.Contains(ev.Snapshot, "error") {
		t.Errorf("span selection %+v", ev)
	}
}

func TestStaleResultsAreDropped(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 120, 40)
	panetest.Press(m, "i", "frontend")
	first := panetest.Press(m, "enter")
	second := panetest.Press(m, "i", "enter")
	settle(m, first) // the first answer arrives late
	if m.hasResults {
		t.Error("a stale search answer was shown")
	}
	settle(m, second)
	if !m.hasResults {
		t.Error("the current answer was dropped")
	}
	// A search result addressed to another pane is ignored.
	m.rows = nil
	m.Update(searchMsg{Pane: "other", Seq: m.search.Seq(), Value: searchAnswer{rows: []sources.TraceSummary{{TraceID: "x"}}}})
	if len(m.rows) != 0 {
		t.Error("another pane's result was taken")
	}
}

func TestErrorKeepsOldResults(t *testing.T) {
	src := shopSource()
	m, clk := newPlain(t, src, 120, 40)
	search(m, "frontend")
	clk.Add(2 * time.Minute)
	src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindUnreachable, Msg: "connection refused \x1b[31mred"})
	settle(m, panetest.Press(m, "i", "enter"))
	if len(m.rows) != 3 || m.search.Err() == nil {
		t.Fatalf("rows %d err %v", len(m.rows), m.search.Err())
	}
	v := m.View()
	for _, want := range []string{"unreachable", "connection refused", "showing the previous 3 traces from 2m ago", "stale, 2m old"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Error("an escape from the error reached the view")
	}
}

func TestCancelWithEsc(t *testing.T) {
	src := shopSource()
	src.hold()
	m, _ := newPlain(t, src, 120, 40)
	cmd := panetest.Press(m, "i", "frontend", "enter")
	if !m.search.Busy() || m.AtRest() {
		t.Fatal("not searching")
	}
	panetest.Press(m, "esc")
	if m.search.Busy() {
		t.Error("esc did not cancel")
	}
	settle(m, cmd) // the cancelled call returns; its answer is stale
	if m.search.Err() != nil || m.hasResults {
		t.Errorf("a cancelled search changed the pane: err %v", m.search.Err())
	}
}

func TestRangeMsgReruns(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 120, 40)
	_, cmd := m.Update(pane.RangeMsg{From: fixedNow.Add(-time.Hour), To: fixedNow})
	if cmd != nil {
		t.Error("a range change without a search searched")
	}
	search(m, "frontend")
	from, to := fixedNow.Add(-2*time.Hour), fixedNow.Add(-time.Hour)
	_, cmd = m.Update(pane.RangeMsg{From: from, To: to})
	settle(m, cmd)
	if n := len(src.seen); n != 2 || !src.seen[1].Start.Equal(from) || !src.seen[1].End.Equal(to) {
		t.Errorf("searches %+v", src.seen)
	}
}

func TestNoSourceSaysSo(t *testing.T) {
	m, _ := newPlain(t, nil, 100, 20)
	if !strings.Contains(m.View(), "No Jaeger is configured") {
		t.Errorf("view:\n%s", m.View())
	}
	if cmd := panetest.Press(m, "i", "frontend", "enter"); cmd != nil && len(settle(m, cmd)) > 0 {
		t.Error("searched without a source")
	}
	if !strings.Contains(m.flash, "no Jaeger") {
		t.Errorf("flash %q", m.flash)
	}
}

// TestUpdateAndViewDoNoIO drives every mode and key and checks that only
// the returned Cmds call the source: Update and View never do.
func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := shopSource()
	m, _ := newTestModel(t, panetest.Wide(), src)
	cmds := panetest.Steps(m, "i", "frontend", "tab", "shift+tab", "down", "up", "enter", "s", "S", "j", "k", "enter",
		"j", "h", "l", "x", "x", "C", "E", "/", "pay", "enter", "n", "N", "enter", "down", "esc", "y", "Y", "L", "esc", "esc", "G", "g",
		pane.RangeMsg{From: fixedNow.Add(-time.Hour), To: fixedNow})
	// The service list arriving asks for the operations of the service
	// in the form, through a Cmd too.
	cmds = append(cmds, panetest.Steps(m, servicesMsg{Pane: m.b.ID, Seq: m.sg.svc.Seq(), Value: []string{"frontend"}})...)
	_ = m.Pivot(pane.PivotMsg{TraceID: "aaaa0000000000000000000000000001"})
	// The diff: a trace in the waterfall, D, the answer, and every key of
	// the diff view, with the answers built here rather than by their Cmds.
	cmds = append(cmds, panetest.Steps(m, traceMsg{Pane: m.b.ID, Seq: m.trace.Seq(), Value: buildTree(diffTraces()[0], m.share)}, "D")...)
	d := correlate.Diff(*diffTraces()[0], *diffTraces()[1])
	cmds = append(cmds, panetest.Steps(m, diffMsg{Pane: m.b.ID, Seq: m.dv.req.Seq(), Value: prepareDiff(&d, correlate.Baseline{TraceID: diffChosenID})},
		"j", "pgdown", "pgup", "G", "g", "k", "enter", "D", "esc", "D")...)
	panetest.Steps(m, diffMsg{Pane: m.b.ID, Seq: m.dv.req.Seq(), Err: &correlate.NoBaselineError{}})
	panetest.OnlyCmdsCall(t, src.calls, cmds, time.Second)
	if src.finds.Calls() == 0 || src.svcs.Calls() == 0 || src.opss.Calls() == 0 {
		t.Error("the Cmds did not search or ask for names: the test did not drive the pane")
	}
}

// An error without a message of its own is shown the way every pane shows
// it (pane.ErrText): its cause, or which backend gave no detail.
func TestErrorWithoutMessageThroughErrText(t *testing.T) {
	src := shopSource()
	m, _ := newPlain(t, src, 160, 40)
	src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindServerError})
	search(m, "frontend")
	if m.search.Err() == nil {
		t.Fatal("no error")
	}
	if v := m.View(); !strings.Contains(v, "✗ server error: no detail from jaeger") {
		t.Errorf("view lacks the reason pane.ErrText gives:\n%s", v)
	}
}
