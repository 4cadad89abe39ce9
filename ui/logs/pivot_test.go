package logs

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

const pivotTrace = "4bf92f3577b34da6a3ce929d0e0e4736"

func pivotModel(t *testing.T, es []sources.LogEntry) *Model {
	t.Helper()
	src := &fakeSource{}
	src.returning(es)
	m, _ := newTestModel(t, src, 80, 24)
	settle(m, m.Run(`{service="checkout"}`))
	if m.buf.Len() != len(es) {
		t.Fatalf("buffered %d lines, want %d", m.buf.Len(), len(es))
	}
	return m
}

func pivotOf(t *testing.T, m *Model, k string) (pane.PivotMsg, bool) {
	t.Helper()
	for _, msg := range panetest.Collect(press(m, k), 200*time.Millisecond) {
		if p, ok := msg.(pane.PivotMsg); ok {
			return p, true
		}
	}
	return pane.PivotMsg{}, false
}

func TestLinePivotsToTraceAndRequest(t *testing.T) {
	at := fixedNow.Add(-10 * time.Minute)
	m := pivotModel(t, []sources.LogEntry{{Time: at, Labels: map[string]string{"service": "checkout"},
		Line: `{"msg":"charge","request_id":"req-0123456789ab","trace_id":"` + pivotTrace + `"}`}})
	p, ok := pivotOf(t, m, "o")
	if !ok || p.Target != pane.TargetTraces || p.TraceID != pivotTrace {
		t.Fatalf("o: %+v ok=%v", p, ok)
	}
	if !p.From.Equal(at.Add(-PivotPad)) || !p.To.Equal(at.Add(PivotPad)) {
		t.Fatalf("pivot window %v..%v is not the line's time ± %v", p.From, p.To, PivotPad)
	}
	p, ok = pivotOf(t, m, "R")
	if !ok || p.Target != pane.TargetRequest || p.RequestID != "req-0123456789ab" || p.TraceID != pivotTrace {
		t.Fatalf("R: %+v ok=%v", p, ok)
	}
}

func TestTraceIDOnlyInMetadataStillPivots(t *testing.T) {
	m := pivotModel(t, []sources.LogEntry{{Time: fixedNow.Add(-time.Minute), Labels: map[string]string{"service": "inventory"},
		Line: `level=info msg="reserved"`, Metadata: map[string]string{"trace_id": pivotTrace}}})
	p, ok := pivotOf(t, m, "o")
	if !ok || p.TraceID != pivotTrace {
		t.Fatalf("trace id in structured metadata not used: %+v ok=%v", p, ok)
	}
}

func TestLineWithoutIDsSaysSo(t *testing.T) {
	m := pivotModel(t, []sources.LogEntry{{Time: fixedNow.Add(-time.Minute), Labels: map[string]string{"service": "x"}, Line: "plain words"}})
	if _, ok := pivotOf(t, m, "o"); ok {
		t.Fatal("pivoted to a trace from a line without a trace id")
	}
	if !strings.Contains(m.View(), "no trace id") {
		t.Fatalf("no explanation shown:\n%s", m.View())
	}
}

func TestSelectionIsSanitizedEvidence(t *testing.T) {
	at := fixedNow.Add(-2 * time.Minute)
	m := pivotModel(t, []sources.LogEntry{{Time: at, Labels: map[string]string{"service": "payments"}, Line: "boom \x1b]52;c;aGk=\x07 end"}})
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceLog || ev.Source != "loki" || ev.Query != `{service="checkout"}` {
		t.Fatalf("selection = %+v ok=%v", ev, ok)
	}
	if strings.ContainsAny(ev.Snapshot, "\x1b\x07") || !strings.Contains(ev.Snapshot, "boom") || !strings.Contains(ev.Snapshot, `service="payments"`) {
		t.Fatalf("snapshot not sanitized or incomplete: %q", ev.Snapshot)
	}
	if !ev.From.Before(at) || !ev.To.After(at) {
		t.Fatalf("evidence window %v..%v does not hold the line at %v", ev.From, ev.To, at)
	}
}

func TestPivotRunsQueryOverSendersWindow(t *testing.T) {
	src := &fakeSource{}
	src.returning(nil)
	m, _ := newTestModel(t, src, 80, 24)
	from, to := fixedNow.Add(-3*time.Hour), fixedNow.Add(-2*time.Hour)
	cmd := m.Pivot(pane.PivotMsg{Target: pane.TargetLogs, Service: "payments", TraceID: pivotTrace, From: from, To: to})
	settle(m, cmd)
	q := src.seen[0]
	if q.Expr != `{service="payments"} |= "`+pivotTrace+`"` || !q.From.Equal(from) || !q.To.Equal(to) {
		t.Fatalf("pivot query = %+v", q)
	}
	if !m.AtRest() {
		t.Fatal("after the query finished the pane should be at rest")
	}
}

func TestPivotFallsBackToStructuredMetadata(t *testing.T) {
	pivot := pane.PivotMsg{Target: pane.TargetLogs, Service: "inventory", TraceID: pivotTrace,
		From: fixedNow.Add(-time.Hour), To: fixedNow}
	src := &fakeSource{}
	src.returning(nil) // no line mentions the trace id
	m, _ := newTestModel(t, src, 80, 24)
	cmd := m.Pivot(pivot)
	settle(m, cmd)
	if len(src.seen) != 2 {
		t.Fatalf("sent %d queries, want the line filter and then the metadata filter", len(src.seen))
	}
	if got := src.seen[0].Expr; got != `{service="inventory"} |= "`+pivotTrace+`"` {
		t.Fatalf("first query = %q", got)
	}
	if got := src.seen[1].Expr; !strings.HasPrefix(got, `{service="inventory"} | trace_id="`+pivotTrace+`"`) {
		t.Fatalf("fallback query = %q", got)
	}
	if !src.seen[1].From.Equal(pivot.From) || !src.seen[1].To.Equal(pivot.To) {
		t.Fatalf("fallback left the pivot's window: %v..%v", src.seen[1].From, src.seen[1].To)
	}

	// When the line filter finds something, nothing more is asked.
	src2 := &fakeSource{}
	src2.returning([]sources.LogEntry{{Time: fixedNow.Add(-time.Minute), Labels: map[string]string{"service": "inventory"}, Line: "x " + pivotTrace}})
	m2, _ := newTestModel(t, src2, 80, 24)
	cmd = m2.Pivot(pivot)
	settle(m2, cmd)
	if len(src2.seen) != 1 {
		t.Fatalf("sent %d queries though the line filter found the line", len(src2.seen))
	}
}
