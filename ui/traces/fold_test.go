package traces

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

const fanID = "fa0000000000000000000000000000f1"

// fanTrace is a 1 s page load whose API call waits on one long query
// while six cache lookups of 2 ms run beside it (one with a 1 ms dial
// under it), and three 1 ms metric emits run beside the render that follows it, and a 2 ms flush ends the page. 1% is 10 ms:
// the lookups and the dial are tiny and off the critical path; so are the emits;
// the flush, which the root waits for, is tiny but on it.
func fanTrace() *sources.Trace {
	t0 := fixedNow.Add(-time.Minute)
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	span := func(id, parent, svc, op string, from, to float64) sources.Span {
		return sources.Span{TraceID: fanID, SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
			Start: t0.Add(ms(from)), Duration: ms(to) - ms(from)}
	}
	spans := []sources.Span{
		span("r", "", "frontend", "GET /page", 0, 1000),
		span("a", "r", "api", "GET /items", 10, 900),
		span("db", "a", "db", "SELECT items", 20, 890),
	}
	for i := range 6 {
		from := 30 + float64(i)*5
		spans = append(spans, span(fmt.Sprintf("c%d", i), "a", "cache", fmt.Sprintf("GET key-%d", i), from, from+2))
	}
	spans = append(spans, span("d", "c3", "cache", "dial", 45.2, 46.2))
	spans = append(spans, span("w", "r", "frontend", "render", 905, 990))
	for i := range 3 {
		from := 910 + float64(i)*20
		spans = append(spans, span(fmt.Sprintf("m%d", i), "r", "frontend", "metrics emit", from, from+1))
	}
	spans = append(spans, span("f", "r", "frontend", "flush", 992, 994))
	return &sources.Trace{TraceID: fanID, Spans: spans}
}

// wideTrace is an n-span trace whose children overlap, as fan-out calls
// do: child k of a parent starts k tenths of the parent in and lasts a
// 3rd to a 6th of it. Only the chain of last-finishing children is on
// the critical path, and below the fourth level every span is under 1%
// of the trace, so the fold has most of the trace to hide.
func wideTrace(n int) *sources.Trace {
	return fourAryTrace("000000000000000000000000000b1de0", "w", "GET /report", n, func(p sources.Span, i int) (time.Duration, time.Duration) {
		k := time.Duration((i - 1) % 4)
		return p.Duration * k / 10, p.Duration / (3 + k)
	})
}

// openFan returns a pane showing fanTrace.
func openFan(t *testing.T, w, h int) (*Model, *fakeSource) {
	t.Helper()
	src := newFakeSource(fanTrace())
	m, _ := newPlain(t, src, w, h)
	settle(m, m.Pivot(paneTrace(fanID)))
	if m.tr == nil {
		t.Fatal("trace not loaded")
	}
	return m, src
}

// spanAt is the span id on row p, or "fold(parent)" for a fold row.
func spanAt(m *Model, p int) string {
	r := m.visible[p]
	if r < 0 {
		f := m.folds[^r]
		if f.parent < 0 {
			return "fold()"
		}
		return "fold(" + m.tr.nodes[f.parent].span.SpanID + ")"
	}
	return m.tr.nodes[r].span.SpanID
}

func rowIDs(m *Model) []string {
	out := make([]string, len(m.visible))
	for p := range m.visible {
		out[p] = spanAt(m, p)
	}
	return out
}

// gotoSpan puts the cursor on span id with the down key.
func gotoSpan(t *testing.T, m *Model, id string) {
	t.Helper()
	panetest.Press(m, "g")
	for range m.visible {
		if m.selSpan() >= 0 && m.tr.nodes[m.selSpan()].span.SpanID == id {
			return
		}
		panetest.Press(m, "j")
	}
	t.Fatalf("span %s is not shown: %v", id, rowIDs(m))
}

func TestFoldTinyOneRowPerParent(t *testing.T) {
	m, src := openFan(t, 120, 30)
	gets := src.gets.Calls()
	if len(m.visible) != 15 || m.foldTiny {
		t.Fatalf("unfolded: %d rows, fold %v", len(m.visible), m.foldTiny)
	}
	_, cmd := m.Update(panetest.Key("z"))
	if cmd != nil {
		t.Error("folding returned a Cmd")
	}
	want := []string{"r", "a", "db", "fold(a)", "w", "f", "fold(r)"}
	if got := rowIDs(m); !slices.Equal(got, want) {
		t.Fatalf("folded rows %v, want %v", got, want)
	}
	if m.hidden != 10 || m.folds[^m.visible[3]].spans != 7 || m.folds[^m.visible[6]].spans != 3 {
		t.Errorf("hidden %d, folds %+v", m.hidden, m.folds)
	}
	// Nothing on the critical path is hidden, even the 2 ms flush.
	for i := range m.tr.nodes {
		if m.tr.nodes[i].critical > 0 && !slices.Contains(m.visible, int32(i)) {
			t.Errorf("critical span %s is folded", m.tr.nodes[i].span.SpanID)
		}
	}
	v := m.View()
	for _, s := range []string{"15 spans · 10 under 1% folded", "… 7 spans under 1% folded", "… 3 spans under 1% folded", "<10.0ms",
		"folded 10 spans under 1% of the trace (10.0ms) into 2 rows"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
	panetest.Press(m, "z")
	if len(m.visible) != 15 || m.hidden != 0 || strings.Contains(m.View(), "folded") {
		t.Errorf("unfold: %d rows, hidden %d", len(m.visible), m.hidden)
	}
	if src.gets.Calls() != gets {
		t.Error("folding fetched")
	}
}

func TestFoldTinyKeepsCursor(t *testing.T) {
	m, _ := openFan(t, 120, 30)
	for _, step := range []struct {
		from string // the span the cursor goes to first, if any
		keys []string
		want string
		what string
	}{
		// On a span that stays: the same span.
		{"w", []string{"z"}, "w", "folding from w"},
		{"", []string{"z"}, "w", "unfolding from w"},
		// On a span the fold hides: its nearest shown ancestor, and back
		// to that ancestor (not the hidden span) when unfolded.
		{"d", []string{"z"}, "a", "folding from d, which the fold hides"},
		{"", []string{"z"}, "a", "unfolding from d's ancestor"},
		// On a fold row: unfolding puts it on the first span it hid.
		{"", []string{"z", "G"}, "fold(r)", "G with the fold on"},
		{"", []string{"z"}, "m0", "unfolding from the fold row"},
	} {
		if step.from != "" {
			gotoSpan(t, m, step.from)
		}
		panetest.Press(m, step.keys...)
		if id := spanAt(m, m.sel); id != step.want {
			t.Errorf("%s: cursor on %s, want %s", step.what, id, step.want)
		}
	}
}

func TestFoldRowOpensAndCollapses(t *testing.T) {
	m, _ := openFan(t, 120, 30)
	panetest.Press(m, "z", "g", "j", "j", "j")
	if id := spanAt(m, m.sel); id != "fold(a)" {
		t.Fatalf("cursor on %s", id)
	}
	if m.selSpan() != -1 {
		t.Error("a fold row must have no span (copy, logs and detail do nothing)")
	}
	panetest.Press(m, "enter")
	if m.mode != modeTrace {
		t.Errorf("enter on a fold row opened mode %v", m.mode)
	}
	if id := spanAt(m, m.sel); id != "c0" {
		t.Errorf("opening the fold row went to %s, want c0", id)
	}
	// The opened parent shows all it hid, the rest stays folded.
	want := []string{"r", "a", "db", "c0", "c1", "c2", "c3", "d", "c4", "c5", "w", "f", "fold(r)"}
	if got := rowIDs(m); !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if m.hidden != 3 || !strings.Contains(m.View(), "3 under 1% folded") {
		t.Errorf("hidden %d after opening one fold", m.hidden)
	}
	panetest.Press(m, "G", "h")
	if id := spanAt(m, m.sel); id != "r" {
		t.Errorf("left on a fold row went to %s, want its parent r", id)
	}
	// Collapsing a parent hides its fold row with its children.
	panetest.Press(m, "C")
	if slices.Contains(rowIDs(m), "fold(a)") {
		t.Error("fold row of a collapsed span still shown")
	}
	// z again starts from a fresh fold: opened rows close.
	panetest.Press(m, "E", "z", "z")
	if !slices.Contains(rowIDs(m), "fold(a)") {
		t.Errorf("z z left the opened fold open: %v", rowIDs(m))
	}
}

func TestFilterOpensTheFoldHidingAMatch(t *testing.T) {
	m, _ := openFan(t, 120, 30)
	panetest.Press(m, "z", "/", "dial", "enter")
	if id := spanAt(m, m.sel); id != "d" {
		t.Fatalf("the match is %s, want the dial span", id)
	}
	if !slices.Contains(rowIDs(m), "fold(r)") || slices.Contains(rowIDs(m), "fold(a)") {
		t.Errorf("only the fold hiding the match opens: %v", rowIDs(m))
	}
	// n from a fold row steps to the first match after it.
	panetest.Press(m, "esc", "/", "metrics", "enter", "esc", "z", "z", "G")
	panetest.Press(m, "/", "emit", "enter")
	if id := spanAt(m, m.sel); id != "m0" {
		t.Errorf("filter from the fold row went to %s, want m0", id)
	}
}

func TestMarkTinyRules(t *testing.T) {
	tr := fanTrace()
	// A 1 ms enqueue whose worker runs 500 ms after it: the enqueue is
	// tiny but stays, or the worker would lose its parent.
	t0 := tr.Spans[0].Start
	tr.Spans = append(tr.Spans,
		sources.Span{TraceID: fanID, SpanID: "q", ParentSpanID: "db", Service: "db", Operation: "enqueue", Start: t0.Add(100 * time.Millisecond), Duration: time.Millisecond},
		sources.Span{TraceID: fanID, SpanID: "wk", ParentSpanID: "q", Service: "worker", Operation: "process", Start: t0.Add(200 * time.Millisecond), Duration: 500 * time.Millisecond})
	tree := buildTree(tr, DefaultFoldShare)
	by := map[string]*node{}
	for i := range tree.nodes {
		by[tree.nodes[i].span.SpanID] = &tree.nodes[i]
	}
	if by["q"].tiny || by["wk"].tiny {
		t.Error("a tiny span with a long child is folded")
	}
	if by["f"].tiny || by["f"].critical == 0 {
		t.Errorf("the critical flush: tiny %v critical %v", by["f"].tiny, by["f"].critical)
	}
	if !by["c3"].tiny || by["c3"].size != 2 {
		t.Errorf("c3: tiny %v size %d", by["c3"].tiny, by["c3"].size)
	}
	if tree.foldBelow != 10*time.Millisecond {
		t.Errorf("threshold %v", tree.foldBelow)
	}
	// A share of zero folds nothing.
	if rows, folds, hidden := buildTree(tr, 0).rows(nil, true, nil); len(folds) != 0 || hidden != 0 || len(rows) != len(tr.Spans) {
		t.Errorf("share 0: %d rows, %d folds", len(rows), len(folds))
	}
}

func TestFoldKeyInHelp(t *testing.T) {
	m, _ := openFan(t, 120, 30)
	if !slices.ContainsFunc(m.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "z" }) {
		t.Error("the waterfall's short help lacks z")
	}
	found := false
	for _, g := range m.FullHelp() {
		found = found || slices.ContainsFunc(g, func(b key.Binding) bool { return b.Help().Key == "z" })
	}
	if !found {
		t.Error("the full help lacks z")
	}
	// z is text in the span filter, not the fold.
	panetest.Press(m, "/", "z")
	if in := ansi.Strip(m.spanFilter.View()); m.foldTiny || !strings.HasPrefix(in, "/z") {
		t.Errorf("z in the filter input: fold %v, input %q", m.foldTiny, in)
	}
}

func TestWarningsAreCapped(t *testing.T) {
	tr := fanTrace()
	for i := range 500 {
		tr.Warnings = append(tr.Warnings, fmt.Sprintf("span %016x: clock skew adjusted", i))
	}
	tr.Warnings = append(tr.Warnings, "trace has more than 15 spans; showing the first 15")
	src := newFakeSource(tr)
	m, _ := newPlain(t, src, 80, 24)
	settle(m, m.Pivot(paneTrace(fanID)))
	v := m.View()
	if !strings.Contains(v, "! trace has more than 15 spans; showing the first 15") || !strings.Contains(v, "! 500 more warnings not shown") {
		t.Errorf("warnings:\n%s", v)
	}
	n := 0
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "! ") {
			n++
		}
	}
	if n != 2 || m.listHeight() < 15 {
		t.Errorf("the warnings take %d lines, %d rows left", n, m.listHeight())
	}
}

// The Jaeger client's two truncation warnings (span limit, message over
// the gRPC limit) come before any number of per-span ones.
func TestTruncationWarningsShownFirst(t *testing.T) {
	for _, w := range []string{
		"trace has more than 100000 spans; showing the first 100000",
		"trace cut short: a gRPC message over the 64 MiB limit ended the answer after 30 spans; showing the first 30",
	} {
		tr := fanTrace()
		tr.Warnings = []string{"span 0000000000000001: clock skew adjusted", "span 0000000000000002: clock skew adjusted", w}
		m, _ := newPlain(t, newFakeSource(tr), 200, 50)
		settle(m, m.Pivot(paneTrace(fanID)))
		lines := strings.Split(m.View(), "\n")
		if lines[2] != "! "+w || lines[3] != "! 2 more warnings not shown" {
			t.Errorf("header:\n%s", strings.Join(lines[:5], "\n"))
		}
	}
}
