package traces

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// node is one span as the waterfall needs it, computed once per trace.
type node struct {
	span     sources.Span // strings sanitized
	parent   int32        // -1 for a root
	depth    int32
	children []int32 // in start order
	// critical is the span's own time on the critical path; zero when the
	// span is not on it.
	critical time.Duration
	// segs are the span's critical-path pieces, for drawing the bar.
	segs []correlate.Segment
	// search is the lower-cased text the span filter matches against.
	search string
	// size is the number of spans in the subtree, the span included.
	size int32
	// tiny marks a span the fold may hide: it and every span under it
	// are shorter than the fold's share of the trace, and none of them
	// is on the critical path.
	tiny bool
}

// foldRow is one waterfall row standing for the tiny children of one
// parent (and everything under them) that the fold hides.
type foldRow struct {
	parent int32 // -1 for tiny roots
	depth  int32
	spans  int   // hidden spans, subtrees included
	first  int32 // the first hidden child in start order
	// lo and hi bound the hidden spans on the time axis, from the trace's
	// start.
	lo, hi time.Duration
}

// tree is a trace prepared for display: spans linked into a forest in
// start order, the critical path laid over it, and the trace's extent.
// It is built in a Cmd, off the UI goroutine, and never changed after,
// except for the collapse state the model keeps beside it.
type tree struct {
	traceID  string
	nodes    []node
	roots    []int32
	order    []int32 // every span in depth-first tree order
	pos      []int32 // pos[i] is span i's index in order
	start    time.Time
	end      time.Time
	errors   int
	services []string // distinct, sorted
	critSvcs []string // services on the critical path, in path order
	warnings []string
	// foldShare is the share of the trace's duration under which a span
	// counts as tiny, and foldBelow that share as a duration.
	foldShare float64
	foldBelow time.Duration
	// extent[i] is span i's subtree's extent on the time axis, from
	// start; a fold row's bar is the union of its hidden subtrees.
	extent [][2]time.Duration
}

func (t *tree) duration() time.Duration { return t.end.Sub(t.start) }

// buildTree prepares tr, marking as tiny the spans the fold may hide:
// those shorter than foldShare of the trace's duration (0 folds nothing).
// Every string from the backend passes the sanitizer here, once, so the
// view can draw them as they are.
func buildTree(tr *sources.Trace, foldShare float64) *tree {
	t := &tree{traceID: sanitize.Line(tr.TraceID), foldShare: foldShare}
	for _, w := range tr.Warnings {
		t.warnings = append(t.warnings, sanitize.Line(w))
	}
	n := len(tr.Spans)
	if n == 0 {
		return t
	}
	t.nodes = make([]node, 0, n)
	index := make(map[string]int32, n)
	svcs := map[string]struct{}{}
	for i := range tr.Spans {
		s := cleanSpan(tr.Spans[i])
		if _, dup := index[s.SpanID]; dup {
			continue
		}
		index[s.SpanID] = int32(len(t.nodes))
		t.nodes = append(t.nodes, node{span: s, parent: -1})
		if s.Error {
			t.errors++
		}
		if s.Service != "" {
			svcs[s.Service] = struct{}{}
		}
		if len(t.nodes) == 1 || s.Start.Before(t.start) {
			t.start = s.Start
		}
		if e := s.End(); len(t.nodes) == 1 || e.After(t.end) {
			t.end = e
		}
	}
	for s := range svcs {
		t.services = append(t.services, s)
	}
	slices.Sort(t.services)
	for i := range t.nodes {
		nd := &t.nodes[i]
		if p, ok := index[nd.span.ParentSpanID]; ok && p != int32(i) && nd.span.ParentSpanID != "" {
			nd.parent = p
			t.nodes[p].children = append(t.nodes[p].children, int32(i))
		} else {
			t.roots = append(t.roots, int32(i))
		}
	}
	byStart := func(a, b int32) int {
		if c := t.nodes[a].span.Start.Compare(t.nodes[b].span.Start); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	slices.SortFunc(t.roots, byStart)
	for i := range t.nodes {
		slices.SortFunc(t.nodes[i].children, byStart)
	}
	t.order = t.walk(nil)
	if len(t.order) < len(t.nodes) {
		// Spans in a parent cycle are reachable from no root; show them
		// at the end rather than lose them.
		seen := make([]bool, len(t.nodes))
		for _, i := range t.order {
			seen[i] = true
		}
		for i := range t.nodes {
			if !seen[i] {
				t.nodes[i].parent = -1
				t.nodes[i].children = nil
				t.roots = append(t.roots, int32(i))
				t.order = append(t.order, int32(i))
			}
		}
	}
	t.pos = make([]int32, len(t.nodes))
	for p, i := range t.order {
		t.pos[i] = int32(p)
	}
	spans := make([]sources.Span, len(t.nodes))
	for i := range t.nodes {
		spans[i] = t.nodes[i].span
	}
	segs := correlate.CriticalPath(spans)
	for _, sg := range segs {
		if i, ok := index[sg.SpanID]; ok {
			t.nodes[i].segs = append(t.nodes[i].segs, sg)
			t.nodes[i].critical += sg.Duration()
		}
	}
	t.critSvcs = correlate.CriticalServices(spans)
	t.markTiny()
	return t
}

// markTiny sets size, extent and tiny bottom-up: the reversed tree order
// visits children before their parent. A tiny span with a long or
// critical descendant stays, so a fold never hides a span that matters
// or cuts a shown span off from its parent.
func (t *tree) markTiny() {
	if t.foldShare > 0 {
		t.foldBelow = time.Duration(float64(t.duration()) * t.foldShare)
	}
	t.extent = make([][2]time.Duration, len(t.nodes))
	for k := len(t.order) - 1; k >= 0; k-- {
		i := t.order[k]
		nd := &t.nodes[i]
		lo := nd.span.Start.Sub(t.start)
		ext := [2]time.Duration{lo, lo + nd.span.Duration}
		nd.size = 1
		keep := nd.span.Duration >= t.foldBelow || nd.critical > 0
		for _, c := range nd.children {
			ch := &t.nodes[c]
			nd.size += ch.size
			keep = keep || !ch.tiny
			ext[0] = min(ext[0], t.extent[c][0])
			ext[1] = max(ext[1], t.extent[c][1])
		}
		nd.tiny = !keep
		t.extent[i] = ext
	}
}

// cleanSpan sanitizes every string of s that could reach the terminal.
// The Jaeger client already does this; a Source is not obliged to, and
// sanitize.Line costs nothing on clean text.
func cleanSpan(s sources.Span) sources.Span {
	s.TraceID = sanitize.Line(s.TraceID)
	s.SpanID = sanitize.Line(s.SpanID)
	s.ParentSpanID = sanitize.Line(s.ParentSpanID)
	s.Service = sanitize.Line(s.Service)
	s.Operation = sanitize.Line(s.Operation)
	s.Tags = cleanKVs(s.Tags)
	s.Process = cleanKVs(s.Process)
	if len(s.Events) > 0 {
		ev := make([]sources.SpanEvent, len(s.Events))
		for i, e := range s.Events {
			ev[i] = sources.SpanEvent{Time: e.Time, Fields: cleanKVs(e.Fields)}
		}
		s.Events = ev
	}
	if s.Duration < 0 {
		s.Duration = 0
	}
	return s
}

func cleanKVs(in []sources.KV) []sources.KV {
	if len(in) == 0 {
		return nil
	}
	out := make([]sources.KV, len(in))
	for i, kv := range in {
		out[i] = sources.KV{Key: sanitize.Line(kv.Key), Value: sanitize.Text(kv.Value)}
	}
	return out
}

// walk lists the spans depth-first, children in start order, skipping the
// subtrees of collapsed spans; it sets depths as it goes.
func (t *tree) walk(collapsed map[int32]bool) []int32 {
	rows, _, _ := t.rows(collapsed, false, nil)
	return rows
}

// rows is walk with the fold: with fold set, the tiny children of every
// parent that is not itself tiny (and not in opened) become one fold row
// after the parent's other children, when that hides at least two spans.
// A row is a span index, or ^k for folds[k]. hidden counts the spans the
// fold rows stand for. An explicit stack keeps a 50k-deep chain off the
// goroutine stack.
func (t *tree) rows(collapsed map[int32]bool, fold bool, opened map[int32]bool) (out []int32, folds []foldRow, hidden int) {
	out = make([]int32, 0, len(t.nodes))
	stack := make([]int32, 0, 64)
	// push stacks p's children (the roots for -1) so they pop in order.
	push := func(p int32, kids []int32, depth int32) {
		if fold && !opened[p] && (p < 0 || !t.nodes[p].tiny) {
			f := foldRow{parent: p, depth: depth, first: -1}
			for _, c := range kids {
				if t.nodes[c].tiny {
					if f.first < 0 {
						f.lo, f.hi = t.extent[c][0], t.extent[c][1]
						f.first = c
					}
					f.spans += int(t.nodes[c].size)
					f.lo, f.hi = min(f.lo, t.extent[c][0]), max(f.hi, t.extent[c][1])
				}
			}
			if f.spans >= 2 {
				folds = append(folds, f)
				hidden += f.spans
				stack = append(stack, ^int32(len(folds)-1))
				for c := len(kids) - 1; c >= 0; c-- {
					if !t.nodes[kids[c]].tiny {
						stack = append(stack, kids[c])
					}
				}
				return
			}
		}
		for c := len(kids) - 1; c >= 0; c-- {
			stack = append(stack, kids[c])
		}
	}
	push(-1, t.roots, 0)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, i)
		if i < 0 {
			continue
		}
		nd := &t.nodes[i]
		if nd.parent >= 0 {
			nd.depth = t.nodes[nd.parent].depth + 1
		} else {
			nd.depth = 0
		}
		if !collapsed[i] {
			push(i, nd.children, nd.depth+1)
		}
	}
	return out, folds, hidden
}

// foldedBy returns the parent whose fold row hides span i, or false when
// no fold would hide it: the parent of its topmost tiny ancestor (or of
// itself).
func (t *tree) foldedBy(i int32) (int32, bool) {
	if !t.nodes[i].tiny {
		return 0, false
	}
	for p := t.nodes[i].parent; p >= 0 && t.nodes[p].tiny; p = t.nodes[p].parent {
		i = p
	}
	return t.nodes[i].parent, true
}

// searchText is what the span filter matches: service, operation, span
// id and every tag, lower-cased. It is built on first use of a filter.
func (t *tree) searchText(i int32) string {
	nd := &t.nodes[i]
	if nd.search == "" {
		var b strings.Builder
		b.WriteString(nd.span.Service)
		b.WriteByte(' ')
		b.WriteString(nd.span.Operation)
		b.WriteByte(' ')
		b.WriteString(nd.span.SpanID)
		for _, kv := range nd.span.Tags {
			b.WriteByte(' ')
			b.WriteString(kv.Key)
			b.WriteByte('=')
			b.WriteString(kv.Value)
		}
		nd.search = strings.ToLower(b.String())
	}
	return nd.search
}

// matches returns the spans whose text contains q (case-insensitive), in
// tree order.
func (t *tree) matches(q string) []int32 {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil
	}
	var out []int32
	for _, i := range t.order {
		if strings.Contains(t.searchText(i), q) {
			out = append(out, i)
		}
	}
	return out
}

// ancestors calls f for each ancestor of i, nearest first.
func (t *tree) ancestors(i int32, f func(int32)) {
	for p := t.nodes[i].parent; p >= 0; p = t.nodes[p].parent {
		f(p)
	}
}
