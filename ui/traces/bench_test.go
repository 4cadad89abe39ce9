package traces

import (
	"github.com/reltui/reltui/ui/pane/panetest"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

func paneTrace(id string) pane.PivotMsg { return pane.PivotMsg{Target: pane.TargetTraces, TraceID: id} }

// loadedBig returns a 200x50 pane showing an n-span trace.
func loadedBig(b *testing.B, n int) *Model {
	big := bigTrace(n)
	src := newFakeSource(big)
	m, _ := newTestModel(b, termenv.ANSI256, themes.Dark(), src, 200, 50)
	settle(m, m.Pivot(paneTrace(big.TraceID)))
	if m.tr == nil || len(m.tr.nodes) != n {
		b.Fatalf("trace not loaded")
	}
	return m
}

// BenchmarkFrame50k is the target: one frame of the waterfall
// with a 50,000-span trace at 200x50 in ≤ 16 ms. Each iteration scrolls a
// page, so every frame draws new rows.
func BenchmarkFrame50k(b *testing.B) {
	m := loadedBig(b, 50_000)
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

// BenchmarkFold50k is the cost of one fold or unfold on a 50,000-span
// trace: the visible rows are recomputed once per fold.
func BenchmarkFold50k(b *testing.B) {
	m := loadedBig(b, 50_000)
	b.ReportAllocs()
	for b.Loop() {
		m.Update(panetest.Key("x"))
	}
}

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

// loadedWide returns a 200x50 pane showing an n-span wideTrace, the shape
// where the fold hides most spans.
func loadedWide(b *testing.B, n int) *Model {
	wide := wideTrace(n)
	m, _ := newTestModel(b, termenv.ANSI256, themes.Dark(), newFakeSource(wide), 200, 50)
	settle(m, m.Pivot(paneTrace(wide.TraceID)))
	if m.tr == nil || len(m.tr.nodes) != n {
		b.Fatalf("trace not loaded")
	}
	return m
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

// BenchmarkFrame100k is one frame of a 100,000-span trace at 200x50,
// unfolded. Target: ≤ 16 ms.
func BenchmarkFrame100k(b *testing.B) { frames(b, loadedWide(b, 100_000)) }

// BenchmarkFrame100kFolded is the same with spans under 1% folded.
func BenchmarkFrame100kFolded(b *testing.B) {
	m := loadedWide(b, 100_000)
	m.Update(panetest.Key("z"))
	if m.hidden == 0 {
		b.Fatal("nothing folded")
	}
	frames(b, m)
}

// BenchmarkFoldToggle100k is one press of z on a 100,000-span trace:
// the rows are recomputed and the cursor's span found again.
func BenchmarkFoldToggle100k(b *testing.B) {
	m := loadedWide(b, 100_000)
	m.Update(panetest.Key("G"))
	b.ReportAllocs()
	for b.Loop() {
		m.Update(panetest.Key("z"))
	}
}
