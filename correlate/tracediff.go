package correlate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
)

// Presence says which of the two traces a row's span is in.
type Presence string

// The presences.
const (
	InBoth   Presence = "both"
	OnlySlow Presence = "only_slow"
	OnlyBase Presence = "only_base"
)

// DiffSide is one trace's span in a row.
type DiffSide struct {
	SpanID string
	// Total is the span's duration; Self is the part of it no child
	// covers (children clipped to the span); Critical is the time it
	// owns on the trace's critical path (CriticalPath).
	Total, Self, Critical time.Duration
	Error                 bool
}

// DiffRow is one aligned position: a span of the slow trace, the
// baseline, or both.
type DiffRow struct {
	Service, Operation string
	// Ordinal counts earlier siblings with the same service and operation
	// under the same parent, in start order: 1 is a second call (a retry).
	Ordinal int
	Depth   int
	// Parent is the index in Rows of the parent position, -1 for a root.
	Parent   int
	Presence Presence
	Slow     DiffSide // zero when OnlyBase
	Base     DiffSide // zero when OnlySlow
	// Deltas are slow minus baseline; a missing side counts as zero.
	TotalDelta, SelfDelta, CriticalDelta time.Duration
}

// OnCriticalPath reports whether the span owns time on the slow and on the
// baseline critical path.
func (r DiffRow) OnCriticalPath() (slow, base bool) {
	return r.Slow.Critical > 0, r.Base.Critical > 0
}

// TraceSide summarises one of the two traces.
type TraceSide struct {
	TraceID            string
	Service, Operation string // of the root
	Start              time.Time
	Duration           time.Duration // of the root span
	Spans              int
	Errors             int
}

// TraceDiff is what a slow trace did differently from a baseline.
type TraceDiff struct {
	Slow, Base TraceSide
	// Matched, OnlySlow and OnlyBase count the rows of each presence.
	Matched, OnlySlow, OnlyBase int
	// Rows are ranked by Diff's rule (see Diff).
	Rows []DiffRow
}

// Path names row i's position from the root: "svc op › svc op#2 › …",
// where #n marks the n-th call with the same name under one parent.
func (d *TraceDiff) Path(i int) string {
	var parts []string
	for ; i >= 0 && len(parts) <= len(d.Rows); i = d.Rows[i].Parent {
		r := &d.Rows[i]
		p := r.Service + " " + r.Operation
		if r.Ordinal > 0 {
			p += fmt.Sprintf("#%d", r.Ordinal+1)
		}
		parts = append(parts, p)
	}
	slices.Reverse(parts)
	return strings.Join(parts, " › ")
}

// diffNode is a span placed in its trace's tree.
type diffNode struct {
	src      int
	parent   int
	children []int // by service, operation, start, span id (see diffTree)
	start    int64 // ns from the trace's base
	end      int64
	ordinal  int
}

// Diff aligns slow and base span by span and ranks the differences.
//
// Spans are aligned by position: the chain of (service, operation) from
// the root down, each link with its ordinal among siblings of the same
// service and operation in start order, so a retry (the second call of a
// name) lines up with nothing in a trace that called once. Spans whose
// parent is missing start a tree of their own at the top.
//
// Ranking rule: rows are sorted by CriticalDelta, largest first. A span's
// critical time is the time it alone kept its trace's critical path, and
// the critical times of a trace add up to its root's duration (the
// critical path walks one root; see CriticalPath), so the
// critical deltas add up to how much longer the slow trace took: a row's
// CriticalDelta is the share of the extra duration it explains (a span
// only in the slow trace explains all its critical time, one only in the
// baseline a negative amount). Ties, most often spans off both paths, go
// to a span that failed only in the slow trace, then the larger
// SelfDelta, then the larger TotalDelta, then breadth-first tree order.
func Diff(slow, base sources.Trace) TraceDiff {
	// The two traces are independent until they are joined: build the
	// baseline's side on a second core.
	var bn []diffNode
	var bRoots []int
	var bSelf, bCrit []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		var bIndex map[string]int
		bn, bRoots, bIndex = diffTree(base.Spans)
		bSelf, bCrit = spanTimes(base.Spans, bn, bIndex)
	}()
	sn, sRoots, sIndex := diffTree(slow.Spans)
	sSelf, sCrit := spanTimes(slow.Spans, sn, sIndex)
	<-done

	d := TraceDiff{Slow: traceSide(slow, sn, sRoots), Base: traceSide(base, bn, bRoots)}
	side := func(spans []sources.Span, nodes []diffNode, self, crit []time.Duration, i int) DiffSide {
		n := &nodes[i]
		s := &spans[n.src]
		return DiffSide{SpanID: s.SpanID, Total: time.Duration(n.end - n.start), Self: self[i], Critical: crit[i], Error: s.Error}
	}
	// pair is a position to turn into a row: a slow node, a baseline node
	// or both (-1 for none), under row parent.
	type pair struct{ s, b, parent, depth int }
	queue := make([]pair, 0, len(sn)+len(bn)/8)
	// join merges two child lists sorted by (service, operation, ordinal)
	// into the queue: equal keys make one pair, the rest pair with nothing.
	join := func(sl, bl []int, parent, depth int) {
		i, j := 0, 0
		for i < len(sl) || j < len(bl) {
			c := 0
			switch {
			case i == len(sl):
				c = 1
			case j == len(bl):
				c = -1
			default:
				x, y := &slow.Spans[sn[sl[i]].src], &base.Spans[bn[bl[j]].src]
				if c = cmp.Compare(x.Service, y.Service); c == 0 {
					if c = cmp.Compare(x.Operation, y.Operation); c == 0 {
						c = cmp.Compare(sn[sl[i]].ordinal, bn[bl[j]].ordinal)
					}
				}
			}
			p := pair{s: -1, b: -1, parent: parent, depth: depth}
			if c <= 0 {
				p.s = sl[i]
				i++
			}
			if c >= 0 {
				p.b = bl[j]
				j++
			}
			queue = append(queue, p)
		}
	}
	// First every position (a row's index is its place in the queue, so
	// parents are known before their rows exist), then the rows, in one
	// allocation of the right size.
	join(sRoots, bRoots, -1, 0)
	for k := 0; k < len(queue); k++ {
		p := queue[k]
		var sl, bl []int
		if p.s >= 0 {
			sl = sn[p.s].children
		}
		if p.b >= 0 {
			bl = bn[p.b].children
		}
		if len(sl) > 0 || len(bl) > 0 {
			join(sl, bl, k, p.depth+1)
		}
	}
	d.Rows = make([]DiffRow, len(queue))
	for k, p := range queue {
		row := &d.Rows[k]
		row.Depth, row.Parent = p.depth, p.parent
		if p.s >= 0 {
			sp := &slow.Spans[sn[p.s].src]
			row.Service, row.Operation, row.Ordinal = sp.Service, sp.Operation, sn[p.s].ordinal
			row.Slow = side(slow.Spans, sn, sSelf, sCrit, p.s)
		}
		if p.b >= 0 {
			bp := &base.Spans[bn[p.b].src]
			row.Service, row.Operation, row.Ordinal = bp.Service, bp.Operation, bn[p.b].ordinal
			row.Base = side(base.Spans, bn, bSelf, bCrit, p.b)
		}
		switch {
		case p.s >= 0 && p.b >= 0:
			row.Presence = InBoth
			d.Matched++
		case p.s >= 0:
			row.Presence = OnlySlow
			d.OnlySlow++
		default:
			row.Presence = OnlyBase
			d.OnlyBase++
		}
		row.TotalDelta = row.Slow.Total - row.Base.Total
		row.SelfDelta = row.Slow.Self - row.Base.Self
		row.CriticalDelta = row.Slow.Critical - row.Base.Critical
	}
	RankRows(d.Rows)
	return d
}

// RankRows sorts rows by Diff's ranking rule, keeping Parent indexes
// pointing at the same rows.
func RankRows(rows []DiffRow) {
	// Sorting small keys, not the rows, keeps the comparisons in cache.
	type rankKey struct {
		crit, self, total time.Duration
		i                 int32
		failed            bool // only in the slow trace
	}
	keys := make([]rankKey, len(rows))
	for i := range rows {
		r := &rows[i]
		keys[i] = rankKey{r.CriticalDelta, r.SelfDelta, r.TotalDelta, int32(i), r.Slow.Error && !r.Base.Error}
	}
	slices.SortFunc(keys, func(x, y rankKey) int {
		if c := cmp.Compare(y.crit, x.crit); c != 0 {
			return c
		}
		if x.failed != y.failed {
			if x.failed {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.self, x.self); c != 0 {
			return c
		}
		if c := cmp.Compare(y.total, x.total); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	})
	newAt := make([]int32, len(rows))
	for to, k := range keys {
		newAt[k.i] = int32(to)
	}
	for i := range rows {
		if p := rows[i].Parent; p >= 0 {
			rows[i].Parent = int(newAt[p])
		}
	}
	// Move each row to its place in place, cycle by cycle: the rows are
	// large, and a second copy of 50k of them costs more than the sort.
	for i := range rows {
		for int(newAt[i]) != i {
			j := newAt[i]
			rows[i], rows[j] = rows[j], rows[i]
			newAt[i], newAt[j] = newAt[j], newAt[i]
		}
	}
}

// traceSide summarises t, whose tree diffTree built as nodes with roots;
// the root is rootIndex's.
func traceSide(t sources.Trace, nodes []diffNode, roots []int) TraceSide {
	ts := TraceSide{TraceID: t.TraceID, Spans: len(t.Spans), Errors: errorSpans(t.Spans)}
	r := -1
	for _, i := range roots {
		n := &nodes[i]
		if r < 0 || t.Spans[n.src].Duration > t.Spans[r].Duration || t.Spans[n.src].Duration == t.Spans[r].Duration && t.Spans[n.src].Start.Before(t.Spans[r].Start) {
			r = n.src
		}
	}
	if r >= 0 {
		s := &t.Spans[r]
		ts.Service, ts.Operation, ts.Start, ts.Duration = s.Service, s.Operation, s.Start, s.Duration
	}
	return ts
}

// diffTree places spans in a tree. It returns the nodes, the roots, and
// the node of each span id. Children (and roots) are sorted by service,
// operation, start and span id, and each has its ordinal among same-named
// siblings, which is what Diff joins on. A repeated span id keeps its
// first occurrence; a span in a parent cycle is cut loose as a root.
func diffTree(spans []sources.Span) ([]diffNode, []int, map[string]int) {
	base := timeBase(spans)
	index := make(map[string]int, len(spans))
	nodes := make([]diffNode, 0, len(spans))
	for i := range spans {
		s := &spans[i]
		if _, dup := index[s.SpanID]; dup {
			continue
		}
		index[s.SpanID] = len(nodes)
		st := int64(s.Start.Sub(base))
		nodes = append(nodes, diffNode{src: i, parent: -1, start: st, end: st + max(int64(s.Duration), 0)})
	}
	counts := make([]int, len(nodes)+1)
	for i := range nodes {
		s := &spans[nodes[i].src]
		if p, ok := index[s.ParentSpanID]; ok && s.ParentSpanID != "" && p != i {
			nodes[i].parent = p
			counts[p+1]++
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	all := make([]int, counts[len(nodes)])
	for i := range nodes {
		nodes[i].children = all[counts[i]:counts[i]:counts[i+1]]
	}
	var roots []int
	for i := range nodes {
		if p := nodes[i].parent; p >= 0 {
			nodes[p].children = append(nodes[p].children, i)
		} else {
			roots = append(roots, i)
		}
	}
	// A parent cycle is not reached from any root: walk down from the
	// roots and cut the first unreached span of each cycle loose.
	reached := make([]bool, len(nodes))
	stack := append([]int(nil), roots...)
	walk := func() {
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			reached[i] = true
			stack = append(stack, nodes[i].children...)
		}
	}
	walk()
	for i := range nodes {
		if !reached[i] {
			p := &nodes[nodes[i].parent]
			p.children = slices.DeleteFunc(p.children, func(c int) bool { return c == i })
			nodes[i].parent = -1
			roots = append(roots, i)
			stack = append(stack, i)
			walk()
		}
	}
	byName := func(a, b int) int {
		x, y := &spans[nodes[a].src], &spans[nodes[b].src]
		if c := cmp.Compare(x.Service, y.Service); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Operation, y.Operation); c != 0 {
			return c
		}
		if c := cmp.Compare(nodes[a].start, nodes[b].start); c != 0 {
			return c
		}
		return cmp.Compare(x.SpanID, y.SpanID)
	}
	number := func(list []int) {
		if len(list) > 1 {
			slices.SortFunc(list, byName)
		}
		for k := 1; k < len(list); k++ {
			x, y := &spans[nodes[list[k-1]].src], &spans[nodes[list[k]].src]
			if x.Service == y.Service && x.Operation == y.Operation {
				nodes[list[k]].ordinal = nodes[list[k-1]].ordinal + 1
			}
		}
	}
	number(roots)
	for i := range nodes {
		number(nodes[i].children)
	}
	return nodes, roots, index
}

// spanTimes returns each node's self time (its duration minus the union
// of its children's intervals clipped to it) and its time on the critical
// path.
func spanTimes(spans []sources.Span, nodes []diffNode, index map[string]int) (self, crit []time.Duration) {
	self = make([]time.Duration, len(nodes))
	var iv [][2]int64 // the children's intervals clipped to the span
	for i := range nodes {
		n := &nodes[i]
		iv = iv[:0]
		for _, c := range n.children {
			a, b := max(nodes[c].start, n.start), min(nodes[c].end, n.end)
			if b > a {
				iv = append(iv, [2]int64{a, b})
			}
		}
		if len(iv) > 1 {
			slices.SortFunc(iv, func(x, y [2]int64) int { return cmp.Compare(x[0], y[0]) })
		}
		covered := int64(0)
		cur0, cur1 := int64(0), int64(-1) // the merged interval being grown
		for _, v := range iv {
			if cur1 < cur0 || v[0] > cur1 {
				if cur1 > cur0 {
					covered += cur1 - cur0
				}
				cur0, cur1 = v[0], v[1]
				continue
			}
			cur1 = max(cur1, v[1])
		}
		if cur1 > cur0 {
			covered += cur1 - cur0
		}
		self[i] = time.Duration(n.end - n.start - covered)
	}
	crit = make([]time.Duration, len(nodes))
	segs := CriticalPath(spans)
	if len(segs) == 0 {
		return self, crit
	}
	for _, sg := range segs {
		if i, ok := index[sg.SpanID]; ok {
			crit[i] += sg.Duration()
		}
	}
	return self, crit
}
