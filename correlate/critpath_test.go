package correlate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var cpT0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// sp builds a span from millisecond offsets; parent "" makes a root.
func sp(id, parent, svc string, startMS, endMS int) sources.Span {
	return sources.Span{
		TraceID: "t", SpanID: id, ParentSpanID: parent, Service: svc, Operation: "op-" + id,
		Start:    cpT0.Add(time.Duration(startMS) * time.Millisecond),
		Duration: time.Duration(endMS-startMS) * time.Millisecond,
	}
}

// piece is a segment written as span id and millisecond offsets.
type piece struct {
	id       string
	from, to int
}

func pieces(segs []Segment) []piece {
	out := make([]piece, len(segs))
	for i, s := range segs {
		out[i] = piece{s.SpanID, int(s.Start.Sub(cpT0) / time.Millisecond), int(s.End.Sub(cpT0) / time.Millisecond)}
	}
	return out
}

func TestCriticalPathHandMadeTrees(t *testing.T) {
	cases := []struct {
		name  string
		spans []sources.Span
		want  []piece
	}{
		{
			name: "sequential children with gaps",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 100), sp("b", "a", "x", 10, 40), sp("c", "a", "y", 50, 90),
			},
			want: []piece{{"a", 0, 10}, {"b", 10, 40}, {"a", 40, 50}, {"c", 50, 90}, {"a", 90, 100}},
		},
		{
			name: "overlapping children: the last to finish wins, the other is hidden",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 100), sp("b", "a", "x", 10, 80), sp("c", "a", "y", 20, 90),
			},
			want: []piece{{"a", 0, 20}, {"c", 20, 90}, {"a", 90, 100}},
		},
		{
			name: "overlapping children: the earlier one ends before the later starts",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 100), sp("b", "a", "x", 5, 30), sp("c", "a", "y", 20, 60), sp("d", "a", "z", 50, 90),
			},
			// d wins the end; back at 50, c (ends 60) is too late, b ends at 30.
			want: []piece{{"a", 0, 5}, {"b", 5, 30}, {"a", 30, 50}, {"d", 50, 90}, {"a", 90, 100}},
		},
		{
			name: "clock skew: a child starting before and one ending after the parent are clamped",
			spans: []sources.Span{
				sp("a", "", "fe", 10, 100), sp("b", "a", "x", 0, 50), sp("c", "a", "y", 60, 120),
			},
			want: []piece{{"b", 10, 50}, {"a", 50, 60}, {"c", 60, 100}},
		},
		{
			name: "clock skew: a child wholly outside its parent is left off with its subtree",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 10), sp("b", "a", "x", 20, 30), sp("b1", "b", "x", 21, 29),
			},
			want: []piece{{"a", 0, 10}},
		},
		{
			name: "clamping is to the parent's clamped window, not its raw one",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 50), sp("b", "a", "x", 10, 80), sp("c", "b", "y", 40, 70),
			},
			want: []piece{{"a", 0, 10}, {"b", 10, 40}, {"c", 40, 50}},
		},
		{
			name: "nesting: a grandchild's gaps go to its own parent",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 100), sp("b", "a", "x", 10, 90), sp("c", "b", "y", 20, 50), sp("d", "b", "z", 40, 80),
			},
			want: []piece{{"a", 0, 10}, {"b", 10, 40}, {"d", 40, 80}, {"b", 80, 90}, {"a", 90, 100}},
		},
		{
			// Jaeger UI differs here on purpose (see CriticalPath): it takes
			// only a child ending strictly before c starts, so it gives
			// b's 0..10 to a.
			name: "back-to-back children: one ending exactly when the next starts is on the path",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 30), sp("b", "a", "x", 0, 10), sp("c", "a", "y", 10, 30),
			},
			want: []piece{{"b", 0, 10}, {"c", 10, 30}},
		},
		{
			name: "zero-duration spans take no time and do not stall the walk",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 10), sp("z", "a", "x", 10, 10), sp("z2", "a", "x", 10, 10), sp("b", "a", "y", 2, 8),
			},
			want: []piece{{"a", 0, 2}, {"b", 2, 8}, {"a", 8, 10}},
		},
		{
			name:  "a zero-length child inside its parent does not split the parent's time",
			spans: []sources.Span{sp("a", "", "fe", 0, 10), sp("z", "a", "x", 5, 5)},
			want:  []piece{{"a", 0, 10}},
		},
		{
			name: "orphans are roots and the longest root is walked",
			spans: []sources.Span{
				sp("a", "", "fe", 0, 10), sp("x", "missing", "orphan", 0, 50), sp("y", "x", "y", 10, 20),
			},
			want: []piece{{"x", 0, 10}, {"y", 10, 20}, {"x", 20, 50}},
		},
		{
			name: "a repeated span id keeps its first occurrence; a self-parent is a root",
			spans: []sources.Span{
				sp("a", "a", "fe", 0, 10), sp("b", "a", "x", 2, 4), sp("b", "a", "x", 0, 10),
			},
			want: []piece{{"a", 0, 2}, {"b", 2, 4}, {"a", 4, 10}},
		},
		{
			name: "a parent cycle is never walked",
			spans: []sources.Span{
				sp("r", "", "fe", 0, 10), sp("p", "q", "x", 0, 100), sp("q", "p", "y", 0, 100),
			},
			want: []piece{{"r", 0, 10}},
		},
		{
			name:  "a lone zero-duration span has no path",
			spans: []sources.Span{sp("a", "", "fe", 5, 5)},
			want:  []piece{},
		},
		{
			name:  "no spans",
			spans: nil,
			want:  []piece{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pieces(CriticalPath(tc.spans))
			if !slices.Equal(got, tc.want) {
				t.Errorf("path\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestCriticalPathSurvivesMissingTimes(t *testing.T) {
	// A span with no start time (a broken exporter) must not wreck the
	// arithmetic for the rest of the trace.
	spans := []sources.Span{
		{SpanID: "z", ParentSpanID: "a", Service: "x", Duration: time.Second},
		sp("a", "", "fe", 0, 10), sp("b", "a", "y", 2, 4),
	}
	got := pieces(CriticalPath(spans))
	want := []piece{{"a", 0, 2}, {"b", 2, 4}, {"a", 4, 10}}
	if !slices.Equal(got, want) {
		t.Errorf("path %v, want %v", got, want)
	}
}

func TestCriticalPathCarriesSpanNames(t *testing.T) {
	spans := []sources.Span{sp("a", "", "frontend", 0, 10), sp("b", "a", "checkout", 2, 8)}
	for _, s := range CriticalPath(spans) {
		want := map[string]string{"a": "frontend", "b": "checkout"}[s.SpanID]
		if s.Service != want || s.Operation != "op-"+s.SpanID {
			t.Errorf("segment %+v: want service %q, operation op-%s", s, want, s.SpanID)
		}
		if s.Duration() <= 0 {
			t.Errorf("segment %+v has no length", s)
		}
	}
}

func TestCriticalServicesInCallOrder(t *testing.T) {
	// The demo shop's shape: frontend calls checkout, which calls
	// inventory and then payments; the root finishes first in time order
	// only at the very end.
	spans := []sources.Span{
		sp("pay", "co", "payments", 40, 90), // listed first on purpose
		sp("fe", "", "frontend", 0, 100),
		sp("co", "fe", "checkout", 5, 95),
		sp("inv", "co", "inventory", 10, 30),
		sp("db", "inv", "", 12, 20), // no service name: skipped
	}
	got := CriticalServices(spans)
	want := []string{"frontend", "checkout", "inventory", "payments"}
	if !slices.Equal(got, want) {
		t.Errorf("CriticalServices = %v, want %v", got, want)
	}
	// A child starting with its parent still comes after it.
	spans = []sources.Span{sp("c", "p", "child", 0, 8), sp("p", "", "parent", 0, 10)}
	if got := CriticalServices(spans); !slices.Equal(got, []string{"parent", "child"}) {
		t.Errorf("CriticalServices = %v, want [parent child]", got)
	}
	if got := CriticalServices(nil); got != nil {
		t.Errorf("CriticalServices(nil) = %v", got)
	}
}

// TestCriticalPathPartitionsTheRoot checks, on random trees with skew,
// overlap, zero-length spans and (every other seed) non-blocking producer
// → consumer and FOLLOWS_FROM children, what must hold of any critical
// path: the
// segments tile the root's window with no gap or overlap, each lies inside
// its own span's clamped window, and consecutive segments belong to a span
// and its parent or child (the path moves one level at a time).
func TestCriticalPathPartitionsTheRoot(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		gen := randomTrace
		if seed%2 == 0 {
			gen = asyncTrace
		}
		spans := gen(rand.New(rand.NewPCG(seed, 7)), 1+int(seed%60))
		segs := CriticalPath(spans)
		root := spans[0]
		if root.Duration == 0 {
			if len(segs) != 0 {
				t.Fatalf("seed %d: zero root gave %v", seed, pieces(segs))
			}
			continue
		}
		if len(segs) == 0 || !segs[0].Start.Equal(root.Start) || !segs[len(segs)-1].End.Equal(root.End()) {
			t.Fatalf("seed %d: segments %v do not span the root %v..%v", seed, pieces(segs), root.Start, root.End())
		}
		win := clampedWindows(spans)
		parent := map[string]string{}
		for _, s := range spans {
			parent[s.SpanID] = s.ParentSpanID
		}
		for i, s := range segs {
			if !s.End.After(s.Start) {
				t.Fatalf("seed %d: empty segment %+v", seed, s)
			}
			w := win[s.SpanID]
			if s.Start.Before(w[0]) || s.End.After(w[1]) {
				t.Fatalf("seed %d: segment %+v outside its span's window %v", seed, s, w)
			}
			if i == 0 {
				continue
			}
			prev := segs[i-1]
			if !prev.End.Equal(s.Start) {
				t.Fatalf("seed %d: gap or overlap between %+v and %+v", seed, prev, s)
			}
			if prev.SpanID == s.SpanID {
				t.Fatalf("seed %d: span %s split into adjacent segments", seed, s.SpanID)
			}
		}
	}
}

// clampedWindows is the test's own, recursive statement of the clamping
// rule, to check segments against.
func clampedWindows(spans []sources.Span) map[string][2]time.Time {
	kids := map[string][]sources.Span{}
	for _, s := range spans[1:] {
		kids[s.ParentSpanID] = append(kids[s.ParentSpanID], s)
	}
	out := map[string][2]time.Time{}
	var walk func(s sources.Span, lo, hi time.Time)
	walk = func(s sources.Span, lo, hi time.Time) {
		st, en := s.Start, s.End()
		if st.After(hi) || en.Before(lo) {
			return
		}
		if st.Before(lo) {
			st = lo
		}
		if en.After(hi) {
			en = hi
		}
		out[s.SpanID] = [2]time.Time{st, en}
		for _, c := range kids[s.SpanID] {
			walk(c, st, en)
		}
	}
	walk(spans[0], spans[0].Start, spans[0].End())
	return out
}

// randomTrace makes a tree of n spans; spans[0] is the root and the
// longest span. Children may overrun their parent either side (skew), and
// some are zero-length.
func randomTrace(r *rand.Rand, n int) []sources.Span {
	spans := []sources.Span{sp("s0", "", "svc0", 0, 1000)}
	for i := 1; i < n; i++ {
		p := spans[r.IntN(len(spans))]
		ps := int(p.Start.Sub(cpT0) / time.Millisecond)
		pd := int(p.Duration / time.Millisecond)
		start := ps - 20 + r.IntN(pd+40)
		dur := 0
		if r.IntN(8) != 0 {
			dur = r.IntN(pd/2 + 30)
		}
		if start < 0 {
			start = 0
		}
		if start+dur > 1000 {
			dur = 1000 - start
		}
		spans = append(spans, sp(fmt.Sprintf("s%d", i), p.SpanID, fmt.Sprintf("svc%d", r.IntN(5)), start, start+dur))
	}
	return spans
}
