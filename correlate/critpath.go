package correlate

import (
	"cmp"
	"math"
	"slices"
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
// than time.Time) clamped to the
// parent's window, and children ordered by their clamped end, latest first.
type cpSpan struct {
	src        int // index into the caller's slice
	parent     int // -1 for the root
	start, end int64
	children   []int
	depth      int
	cursor     int  // next child the walk may still take
	kept       bool // inside its parent's window (the root always is)
}

// CriticalPath returns the spans on the trace's critical path, root first,
// as in Jaeger UI ≥ 1.33: walk from the root, at each span take the child
// that finished last before the parent's end (children's ends clamped to
// the parent's window so clock skew and overruns are handled), recurse, and
// fill the gaps with the parent's own time.
//
// Segments come back in time order and never overlap; each names the span
// that owned that stretch. Spans whose parent is missing are roots, and the
// longest root is the one walked; a child lying wholly outside its
// parent's window (skew beyond repair) is left off the path with its
// subtree, as Jaeger UI does. Zero-length pieces are not returned. The walk
// is iterative and takes each child at most once, so it is O(n log n) and
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
				return cmp.Compare(nodes[b].end, nodes[a].end)
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
		nodes = append(nodes, cpSpan{src: i, parent: -1, start: st, end: end})
	}
	root := -1
	counts := make([]int, len(nodes)+1)
	for i := range nodes {
		s := &spans[nodes[i].src]
		if p, ok := index[s.ParentSpanID]; ok && s.ParentSpanID != "" && p != i {
			nodes[i].parent = p
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

// clampWindows narrows every span reachable from root to its parent's
// (already clamped) window, top down, and marks the ones with nothing left
// inside it. An explicit stack keeps a 50k-deep chain off the goroutine
// stack.
func clampWindows(nodes []cpSpan, root int) {
	nodes[root].kept = true
	stack := []int{root}
	for len(stack) > 0 {
		p := &nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		for _, c := range p.children {
			n := &nodes[c]
			if n.start > p.end || n.end < p.start {
				continue // wholly outside: dropped with its subtree
			}
			n.start = max(n.start, p.start)
			n.end = min(n.end, p.end)
			n.kept = true
			n.depth = p.depth + 1
			stack = append(stack, c)
		}
	}
}
