package correlate

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
)

// Segment is a contiguous piece of a trace's time attributed to one span:
// the time that span itself, not one of its children, kept the request
// waiting.
type Segment struct {
	SpanID    string
	Service   string
	Operation string
	Start     time.Time
	End       time.Time
}

// Duration is the length of the segment.
func (s Segment) Duration() time.Duration { return s.End.Sub(s.Start) }

// cpSpan is a span reduced to what the walk needs: times as nanoseconds
// from the first span's start (comparing int64s is several times cheaper
// than time.Time) clamped to the parent's window, and children ordered by
// their clamped end, latest first, then by their own start.
type cpSpan struct {
	src        int // index into the caller's slice
	parent     int // -1 for the root
	start, end int64
	rawStart   int64 // start before clamping: Jaeger UI's order among equal ends
	children   []int
	depth      int
	cursor     int  // next child the walk may still take
	blocking   bool // the parent waits for it (see blocksParent)
	kept       bool // blocking, and inside its parent's window (the root always is)
}

// CriticalPath returns the segments of the trace's critical path in time
// order. It follows Jaeger UI's critical path (packages/jaeger-ui/src/
// components/TracePage/CriticalPath: index.ts, utils/cpspan.ts,
// utils/sanitizeOverFlowingChildren.ts, utils/findLastFinishingChildSpan.ts;
// utils/getChildOfSpans.ts before v2.15):
//
//   - Non-blocking children are left out with their whole subtree: a
//     consumer span whose parent is a producer span (span kinds, from Kind
//     or else the span.kind tag, any case; Jaeger UI ≥ 2.15), and a child
//     whose parent reference is FOLLOWS_FROM rather than CHILD_OF (Jaeger
//     UI 1.33–2.14). Jaeger UI now uses only the kinds; reltui keeps both,
//     since a FOLLOWS_FROM parent by definition does not wait.
//   - Children are fitted to their parent's already fitted window, top
//     down: one outliving its parent is cut at the parent's end, one
//     starting before it (clock skew) is moved to the parent's start, and
//     one with no time inside (starting at or after the parent's end, or
//     ending at or before its start when it starts earlier) is left out
//     with its subtree.
//   - The walk starts at the root with the child that finishes last (equal
//     ends: the one that started first), gives the parent the time after
//     that child's end, descends into the child, and on coming back to the
//     parent at the child's start takes the child that finished last
//     before then; children overlapping the one taken are passed over.
//     When no child is left, the parent's time back to its own start is
//     its own, and the walk returns to its parent.
//
// Where reltui differs on purpose: a child ending exactly when the one
// after it starts is taken (Jaeger UI needs it to end strictly earlier and
// gives its time to the parent); spans whose parent is missing are roots
// and only the longest root is walked (Jaeger UI walks every root whose
// parent reference is empty and gives an orphan's tree no path), so the
// segments never overlap; adjacent pieces of one span are joined and
// zero-length pieces are not returned.
//
// Each segment names the span that owned that stretch. The walk is
// iterative and takes each child at most once, so it is O(n log n) and
// safe on deep traces.
func CriticalPath(spans []sources.Span) []Segment {
	segs, _ := criticalPath(spans)
	return segs
}

// pathKey orders the spans on a path: by clamped start, then depth.
type pathKey struct{ start, depth int64 }

// criticalPath also returns, for each segment, the position of the span
// that owns it, which CriticalServices orders by.
func criticalPath(spans []sources.Span) ([]Segment, []pathKey) {
	base := timeBase(spans)
	nodes, root := buildTree(spans, base)
	if root < 0 {
		return nil, nil
	}
	at := func(ns int64) time.Time { return base.Add(time.Duration(ns)) }
	clampWindows(nodes, root)
	for i := range nodes {
		n := &nodes[i]
		if len(n.children) > 1 {
			slices.SortStableFunc(n.children, func(a, b int) int {
				if c := cmp.Compare(nodes[b].end, nodes[a].end); c != 0 {
					return c
				}
				return cmp.Compare(nodes[a].rawStart, nodes[b].rawStart)
			})
		}
	}

	var rev []Segment
	var owners []pathKey
	lastNode := -1
	emit := func(i int, from, to int64) {
		if to <= from {
			return
		}
		// A zero-length child taken in passing would split its parent's
		// time in two; join the halves.
		if k := len(rev) - 1; k >= 0 && lastNode == i && rev[k].Start.Equal(at(to)) {
			rev[k].Start = at(from)
			return
		}
		lastNode = i
		owners = append(owners, pathKey{nodes[i].start, int64(nodes[i].depth)})
		s := &spans[nodes[i].src]
		rev = append(rev, Segment{
			SpanID: s.SpanID, Service: s.Service, Operation: s.Operation,
			Start: at(from), End: at(to),
		})
	}
	cur, until := root, nodes[root].end
	for {
		n := &nodes[cur]
		next := -1
		// until only decreases while we stay at or come back to n, so a
		// child ending after it can never be taken later: skip it for good.
		for n.cursor < len(n.children) {
			c := n.children[n.cursor]
			n.cursor++
			if nodes[c].kept && nodes[c].end <= until {
				next = c
				break
			}
		}
		if next >= 0 {
			emit(cur, nodes[next].end, until)
			cur, until = next, nodes[next].end
			continue
		}
		emit(cur, n.start, until)
		if cur == root {
			break
		}
		cur, until = n.parent, n.start
	}
	slices.Reverse(rev)
	slices.Reverse(owners)
	return rev, owners
}

// CriticalServices returns the distinct services on the critical path in
// path order: the order in which the path's spans begin, clamped to their
// parents' windows (so the root's service comes first), which for a
// request is the order the calls were made.
func CriticalServices(spans []sources.Span) []string {
	segs, keys := criticalPath(spans)
	if len(segs) == 0 {
		return nil
	}
	// A span's first segment is not always its earliest moment on the
	// path (a parent's own time may come after a child's), so order the
	// path's spans by their own start, a parent before a child starting
	// with it.
	type onPath struct {
		key   pathKey
		order int
		svc   string
	}
	seenSpan := make(map[string]bool, len(segs))
	path := make([]onPath, 0, len(segs))
	for i, s := range segs {
		if !seenSpan[s.SpanID] {
			seenSpan[s.SpanID] = true
			path = append(path, onPath{key: keys[i], order: i, svc: s.Service})
		}
	}
	slices.SortStableFunc(path, func(a, b onPath) int {
		if c := cmp.Compare(a.key.start, b.key.start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.key.depth, b.key.depth); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	var out []string
	seenSvc := map[string]bool{}
	for _, p := range path {
		if p.svc != "" && !seenSvc[p.svc] {
			seenSvc[p.svc] = true
			out = append(out, p.svc)
		}
	}
	return out
}

// buildTree links spans to their parents and picks the root to walk. A
// repeated span id keeps its first occurrence; a span whose parent is
// absent (or itself) is a root; spans caught in a parent cycle are never
// reached from a root and so never walked.
func buildTree(spans []sources.Span, base time.Time) ([]cpSpan, int) {
	if len(spans) == 0 {
		return nil, -1
	}
	index := make(map[string]int, len(spans))
	nodes := make([]cpSpan, 0, len(spans))
	for i := range spans {
		s := &spans[i]
		if _, dup := index[s.SpanID]; dup {
			continue
		}
		index[s.SpanID] = len(nodes)
		// Offsets from one base instead of UnixNano, which is undefined
		// for a zero or far-off time; Sub saturates instead.
		st := int64(s.Start.Sub(base))
		d := max(int64(s.Duration), 0)
		end := st + d
		if end < st {
			end = math.MaxInt64
		}
		nodes = append(nodes, cpSpan{src: i, parent: -1, start: st, end: end, rawStart: st})
	}
	root := -1
	counts := make([]int, len(nodes)+1)
	for i := range nodes {
		s := &spans[nodes[i].src]
		if p, ok := index[s.ParentSpanID]; ok && s.ParentSpanID != "" && p != i {
			nodes[i].parent = p
			nodes[i].blocking = blocksParent(s, &spans[nodes[p].src])
			counts[p+1]++
			continue
		}
		if root < 0 || longerRoot(&nodes[i], &nodes[root]) {
			root = i
		}
	}
	// All children lists share one backing array (offsets from the
	// counts), instead of one small slice per parent grown by append.
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	all := make([]int, counts[len(nodes)])
	for i := range nodes {
		nodes[i].children = all[counts[i]:counts[i]:counts[i+1]]
	}
	for i := range nodes {
		if p := nodes[i].parent; p >= 0 {
			nodes[p].children = append(nodes[p].children, i)
		}
	}
	return nodes, root
}

// timeBase is the origin of the walk's offsets: the first real start time,
// so one span without a start cannot push the others out of range.
func timeBase(spans []sources.Span) time.Time {
	for _, s := range spans {
		if !s.Start.IsZero() {
			return s.Start
		}
	}
	return time.Time{}
}

// longerRoot prefers the longer span and, between equals, the earlier one.
func longerRoot(a, b *cpSpan) bool {
	da, db := a.end-a.start, b.end-b.start
	if da != db {
		return da > db
	}
	return a.start < b.start
}

// blocksParent reports whether parent waits for child: not for a consumer
// under a producer, nor for a child that follows from it.
func blocksParent(child, parent *sources.Span) bool {
	if strings.EqualFold(kindOf(child), "consumer") && strings.EqualFold(kindOf(parent), "producer") {
		return false
	}
	// ParentSpanID prefers a CHILD_OF reference, so a FOLLOWS_FROM to the
	// parent with no CHILD_OF beside it is how the parent was chosen.
	follows := false
	for _, r := range child.References {
		if r.SpanID != child.ParentSpanID || (r.TraceID != "" && child.TraceID != "" && r.TraceID != child.TraceID) {
			continue
		}
		if r.Type != sources.FollowsFrom {
			return true
		}
		follows = true
	}
	return !follows
}

// kindOf is the span's kind, read from the span.kind tag when the source
// did not fill Kind.
func kindOf(s *sources.Span) string {
	if s.Kind != "" {
		return s.Kind
	}
	k, _ := s.Tag("span.kind")
	return strings.TrimSpace(k)
}

// clampWindows narrows every blocking span reachable from root to its
// parent's (already clamped) window, top down, and marks the ones with
// time left inside it, by Jaeger UI's sanitizeOverFlowingChildren rules. An
// explicit stack keeps a 50k-deep chain off the goroutine stack.
func clampWindows(nodes []cpSpan, root int) {
	nodes[root].kept = true
	stack := []int{root}
	for len(stack) > 0 {
		p := &nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		for _, c := range p.children {
			n := &nodes[c]
			if !n.blocking {
				continue // the parent does not wait: off the path with its subtree
			}
			if n.start >= p.end && n.start >= p.start || n.start < p.start && n.end <= p.start {
				continue // no time inside the parent: dropped with its subtree
			}
			n.start = max(n.start, p.start)
			n.end = min(n.end, p.end)
			n.kept = true
			n.depth = p.depth + 1
			stack = append(stack, c)
		}
	}
}
