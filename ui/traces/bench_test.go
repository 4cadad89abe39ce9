package traces

import (
	"testing"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// loaded returns a pane in the wide shot (200x50, 256 colours) showing tr.
func loaded(b *testing.B, tr *sources.Trace) *Model {
	m, _ := newTestModel(b, panetest.Wide(), newFakeSource(tr))
	settle(m, m.Pivot(paneTrace(tr.TraceID)))
	if m.tr == nil || len(m.tr.nodes) != len(tr.Spans) {
		b.Fatalf("trace not loaded")
	}
	return m
}

// frames scrolls a page per iteration and draws a frame, so every frame
// draws new rows.
func frames(b *testing.B, m *Model) {
	b.ReportAllocs()
	for b.Loop() {
		m.Update(panetest.Key("pgdown"))
		if m.sel >= len(m.visible)-1 {
			m.sel, m.top = 0, 0
		}
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// keyCost is the cost of pressing k on m over and over.
func keyCost(b *testing.B, m *Model, k string) {
	b.ReportAllocs()
	for b.Loop() {
		m.Update(panetest.Key(k))
	}
}

// BenchmarkFrame50k is the target: one frame of the waterfall
// with a 50,000-span trace at 200x50 in ≤ 16 ms.
func BenchmarkFrame50k(b *testing.B) { frames(b, loaded(b, bigTrace(50_000))) }

// BenchmarkFold50k is the cost of one fold or unfold on a 50,000-span
// trace: the visible rows are recomputed once per fold.
func BenchmarkFold50k(b *testing.B) { keyCost(b, loaded(b, bigTrace(50_000)), "x") }

// BenchmarkBuildTree50k is what the fetch Cmd spends off the UI goroutine
// preparing a 50,000-span trace: sanitizing, linking, critical path.
func BenchmarkBuildTree50k(b *testing.B) {
	tr := bigTrace(50_000)
	b.ReportAllocs()
	for b.Loop() {
		if t := buildTree(tr, DefaultFoldShare); len(t.order) != 50_000 {
			b.Fatal("lost spans")
		}
	}
}

// BenchmarkBuildWaterfall100k is building the waterfall model once for a
// 100,000-span trace: the tree, critical path and fold marks (in the
// fetch Cmd) and the first rows (on the UI goroutine, in onTrace).
func BenchmarkBuildWaterfall100k(b *testing.B) {
	tr := wideTrace(100_000)
	b.ReportAllocs()
	for b.Loop() {
		t := buildTree(tr, DefaultFoldShare)
		if rows, _, _ := t.rows(nil, false, nil); len(rows) != 100_000 {
			b.Fatal("lost spans")
		}
	}
}

// BenchmarkFrame100k is one frame of a 100,000-span wideTrace (the shape
// where the fold hides most spans) at 200x50, unfolded. Target: ≤ 16 ms.
func BenchmarkFrame100k(b *testing.B) { frames(b, loaded(b, wideTrace(100_000))) }

// BenchmarkFrame100kFolded is the same with spans under 1% folded.
func BenchmarkFrame100kFolded(b *testing.B) {
	m := loaded(b, wideTrace(100_000))
	m.Update(panetest.Key("z"))
	if m.hidden == 0 {
		b.Fatal("nothing folded")
	}
	frames(b, m)
}

// BenchmarkFoldToggle100k is one press of z on a 100,000-span trace:
// the rows are recomputed and the cursor's span found again.
func BenchmarkFoldToggle100k(b *testing.B) {
	m := loaded(b, wideTrace(100_000))
	m.Update(panetest.Key("G"))
	keyCost(b, m, "z")
}
