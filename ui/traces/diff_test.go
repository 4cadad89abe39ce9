package traces

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// The diff's hand-made traces: a slow checkout whose gateway call took
// 1.5 s longer and that retried the authorization, and the candidates
// around it in time.
const (
	diffSlowID   = "dddd0000000000000000000000000001"
	diffChosenID = "dddd0000000000000000000000000002" // healthy, nearest in time
	diffOlderID  = "dddd0000000000000000000000000003" // healthy, earlier
	diffFailID   = "dddd0000000000000000000000000004" // has errors
	diffOddID    = "dddd0000000000000000000000000005" // far from the median
	diffThirdID  = "dddd0000000000000000000000000006" // healthy, earliest
)

var diffT0 = fixedNow.Add(-10 * time.Minute)

// diffTraces returns the slow trace and the candidates.
func diffTraces() []*sources.Trace {
	slow := shopTrace(diffSlowID, diffT0, 1500*time.Millisecond, false)
	// A retry of the authorization, \x1b included to prove the sanitizer.
	p2 := slow.Spans[8]
	retry := p2
	retry.SpanID, retry.Operation = "p3", "POST /v2/authorize\x1b[31m"
	retry.Start, retry.Duration = p2.Start.Add(p2.Duration+500*time.Microsecond), 2*time.Millisecond
	slow.Spans = append(slow.Spans, retry)

	chosen := shopTrace(diffChosenID, diffT0.Add(-2*time.Minute), 0, false)
	// A cache lookup only the baseline made.
	c1 := chosen.Spans[2]
	chosen.Spans = append(chosen.Spans, sources.Span{TraceID: diffChosenID, SpanID: "c5", ParentSpanID: c1.SpanID,
		Service: "checkout", Operation: "GET cache", Start: c1.Start.Add(14 * time.Millisecond), Duration: 500 * time.Microsecond})
	return []*sources.Trace{
		slow, chosen,
		shopTrace(diffOlderID, diffT0.Add(-7*time.Minute), 3*time.Millisecond, false),
		shopTrace(diffFailID, diffT0.Add(-time.Minute), 0, true),
		shopTrace(diffOddID, diffT0.Add(-12*time.Minute), 400*time.Millisecond, false),
		shopTrace(diffThirdID, diffT0.Add(-21*time.Minute), 1*time.Millisecond, false),
	}
}

// useDiffTraces puts the diff's traces in src, alone.
func useDiffTraces(src *fakeSource, trs ...*sources.Trace) {
	if len(trs) == 0 {
		trs = diffTraces()
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	src.traces, src.order, src.byWindow = map[string]*sources.Trace{}, nil, true
	for _, t := range trs {
		src.traces[t.TraceID] = t
		src.order = append(src.order, t.TraceID)
	}
}

// openSlow opens the slow trace in m.
func openSlow(t *testing.T, m *Model) {
	t.Helper()
	settle(m, m.Pivot(paneTrace(diffSlowID)))
	if m.tr == nil || m.tr.traceID != diffSlowID {
		t.Fatal("the slow trace did not open")
	}
}

func TestDiffFindsBaselineRanksAndJumps(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	finds, gets := src.finds.Calls(), src.gets.Calls()
	cmd := panetest.Press(m, "D")
	if cmd == nil || !m.dv.req.Busy() || m.mode != modeTrace || m.AtRest() {
		t.Fatalf("D did not start a diff: running %v mode %v", m.dv.req.Busy(), m.mode)
	}
	if !strings.Contains(m.View(), "finding a healthy baseline…") {
		t.Errorf("no progress shown:\n%s", m.View())
	}
	if src.finds.Calls() != finds || src.gets.Calls() != gets {
		t.Fatal("Update called the source")
	}
	settle(m, cmd)
	if m.mode != modeDiff || m.dv.res == nil || m.dv.req.Busy() {
		t.Fatalf("mode %v res %v err %v", m.mode, m.dv.res, m.dv.req.Err())
	}
	r := m.dv.res
	if r.base.id != diffChosenID || r.considered != 6 || !strings.Contains(r.reason, "nearest in time") {
		t.Errorf("baseline %s of %d: %s", r.base.id, r.considered, r.reason)
	}
	if got := src.finds.Calls() - finds; got != correlate.BaselineSlices {
		t.Errorf("%d candidate searches, want %d", got, correlate.BaselineSlices)
	}
	if r.rows[0].name != "payments POST /v2/authorize" || r.rows[0].presence != correlate.InBoth {
		t.Errorf("top row %+v", r.rows[0])
	}
	var slowOnly, baseOnly int
	for i, row := range r.rows {
		if strings.ContainsRune(row.name, 0x1b) {
			t.Errorf("row %d name not sanitized: %q", i, row.name)
		}
		switch row.presence {
		case correlate.OnlySlow:
			slowOnly = i
		case correlate.OnlyBase:
			baseOnly = i
		}
	}
	if slowOnly == 0 || baseOnly == 0 {
		t.Fatalf("rows lack a slow-only or a base-only span: %+v", r.rows)
	}
	v := m.View()
	for _, want := range []string{"> ", "+1.50s extra", "candidates: 6 considered", " slow ", " base ", "EXPL%"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Error("an escape reached the view")
	}

	// Scrolling keeps the cursor in range.
	panetest.Press(m, "G")
	if m.dv.sel != len(r.rows)-1 {
		t.Errorf("G: sel %d of %d", m.dv.sel, len(r.rows))
	}
	panetest.Press(m, "g", "pgdown", "pgup", "k")
	if m.dv.sel != 0 || m.dv.top != 0 {
		t.Errorf("back at the top: sel %d top %d", m.dv.sel, m.dv.top)
	}

	// A row only in the baseline has nothing to jump to.
	for range baseOnly {
		panetest.Press(m, "j")
	}
	panetest.Press(m, "enter")
	if m.mode != modeDiff || !strings.Contains(m.flash, "only in the baseline") {
		t.Errorf("base-only enter: mode %v flash %q", m.mode, m.flash)
	}
	// A row of the slow trace goes to its span in the waterfall.
	panetest.Press(m, "g")
	for range slowOnly {
		panetest.Press(m, "j")
	}
	panetest.Press(m, "enter")
	if m.mode != modeTrace || m.selSpan() < 0 || selID(m) != "p3" {
		t.Errorf("enter did not jump to the retry: mode %v", m.mode)
	}
}

func TestDiffEscReturnsToWaterfall(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	panetest.Press(m, "j", "j")
	sel := m.sel
	settle(m, panetest.Press(m, "D"))
	if m.mode != modeDiff {
		t.Fatalf("mode %v", m.mode)
	}
	panetest.Press(m, "j", "esc")
	if m.mode != modeTrace || m.sel != sel {
		t.Errorf("esc: mode %v sel %d, want the waterfall at %d", m.mode, m.sel, sel)
	}
	if !strings.Contains(m.View(), "critical path") {
		t.Errorf("no waterfall:\n%s", m.View())
	}
}

func TestDiffStaleAnswersDropped(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	first := panetest.Press(m, "D")
	second := panetest.Press(m, "D")
	settle(m, first) // the first answer arrives late
	if m.dv.res != nil || !m.dv.req.Busy() {
		t.Fatal("a stale diff was taken")
	}
	settle(m, second)
	if m.dv.res == nil {
		t.Fatal("the current diff was dropped")
	}

	// Another pane's answer is ignored.
	panetest.Press(m, "esc")
	m.dv.res = nil
	m.Update(diffMsg{Pane: "other", Seq: m.dv.req.Seq(), Value: &diffResult{}})
	if m.dv.res != nil {
		t.Error("another pane's diff was taken")
	}

	// Opening another trace makes a running diff stale.
	late := panetest.Press(m, "D")
	settle(m, m.Pivot(paneTrace(diffChosenID)))
	settle(m, late)
	if m.dv.res != nil || m.dv.req.Busy() || m.mode != modeTrace || m.tr.traceID != diffChosenID {
		t.Errorf("the old trace's diff was shown: mode %v", m.mode)
	}
}

func TestDiffNoHealthyBaselineKeepsWaterfall(t *testing.T) {
	src := shopSource()
	trs := diffTraces()
	// Only the slow trace and the failing one: nothing qualifies.
	useDiffTraces(src, trs[0], trs[3])
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	settle(m, panetest.Press(m, "D"))
	var nb *correlate.NoBaselineError
	if m.mode != modeTrace || !errors.As(m.dv.req.Err(), &nb) || m.dv.req.Busy() {
		t.Fatalf("mode %v err %v", m.mode, m.dv.req.Err())
	}
	v := m.View()
	for _, want := range []string{"baseline: no healthy baseline found among 2 candidates", "1 has errors, 1 the trace itself", "the waterfall is", "critical path"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestDiffJaegerUnreachable(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindUnreachable, Msg: "connection refused \x1b[31mred"})
	settle(m, panetest.Press(m, "D"))
	if m.mode != modeTrace || m.dv.req.Err() == nil || m.tr == nil {
		t.Fatalf("mode %v err %v", m.mode, m.dv.req.Err())
	}
	v := m.View()
	for _, want := range []string{"unreachable", "connection refused", "D tries again"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Error("an escape from the error reached the view")
	}
	// Trying again once Jaeger is back clears the error.
	src.setErr(nil)
	settle(m, panetest.Press(m, "D"))
	if m.dv.req.Err() != nil || m.mode != modeDiff {
		t.Errorf("retry: mode %v err %v", m.mode, m.dv.req.Err())
	}
}

func TestDiffCancelWithEsc(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	src.hold()
	cmd := panetest.Press(m, "D")
	panetest.Press(m, "esc")
	if m.dv.req.Busy() || m.mode != modeTrace || m.flash != "diff cancelled" {
		t.Fatalf("esc did not cancel: running %v flash %q", m.dv.req.Busy(), m.flash)
	}
	settle(m, cmd) // the cancelled call returns; its answer is stale
	if m.dv.req.Err() != nil || m.dv.res != nil {
		t.Errorf("a cancelled diff changed the pane: err %v", m.dv.req.Err())
	}
}

func TestDiffRowIsWhatPPins(t *testing.T) {
	src := shopSource()
	useDiffTraces(src)
	m, _ := newPlain(t, src, 120, 40)
	openSlow(t, m)
	settle(m, panetest.Press(m, "D"))
	ev, ok := m.Selection()
	if !ok || ev.Query != diffSlowID || ev.Source != "jaeger" ||
		!strings.Contains(ev.Snapshot, "vs healthy baseline "+diffChosenID) ||
		!strings.Contains(ev.Snapshot, "#1 payments POST /v2/authorize: explains 100%") {
		t.Errorf("selection %+v", ev)
	}
	p2 := m.tr.nodes[slicesIndexSpan(m, "p2")].span
	if !ev.From.Equal(p2.Start) || !ev.To.Equal(p2.End()) {
		t.Errorf("window %v–%v, want the span's", ev.From, ev.To)
	}
}

func slicesIndexSpan(m *Model, id string) int {
	for i := range m.tr.nodes {
		if m.tr.nodes[i].span.SpanID == id {
			return i
		}
	}
	return -1
}
