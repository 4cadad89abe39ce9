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
}

func (t *tree) duration() time.Duration { return t.end.Sub(t.start) }

// buildTree prepares tr. Every string from the backend passes the
// sanitizer here, once, so the view can draw them as they are.
func buildTree(tr *sources.Trace) *tree {
	t := &tree{traceID: sanitize.Line(tr.TraceID)}
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
	return t
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
// subtrees of collapsed spans; it sets depths as it goes. An explicit stack
// keeps a 50k-deep chain off the goroutine stack.
func (t *tree) walk(collapsed map[int32]bool) []int32 {
	out := make([]int32, 0, len(t.nodes))
	stack := make([]int32, 0, 64)
	for i := len(t.roots) - 1; i >= 0; i-- {
		stack = append(stack, t.roots[i])
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := &t.nodes[i]
		if nd.parent >= 0 {
			nd.depth = t.nodes[nd.parent].depth + 1
		} else {
			nd.depth = 0
		}
		out = append(out, i)
		if collapsed[i] {
			continue
		}
		for c := len(nd.children) - 1; c >= 0; c-- {
			stack = append(stack, nd.children[c])
		}
	}
	return out
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
