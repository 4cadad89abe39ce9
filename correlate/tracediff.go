package correlate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// The baseline search: candidates are traces of the target's root service
// and operation that started within BaselineLookback before it to
// BaselineLookahead after it. The window is cut into BaselineSlices equal
// slices searched separately, because Jaeger returns the newest traces of
// a window first: one wide search would only see the last minutes, which
// during an incident are the incident's own traces and would drag the
// median up.
const (
	BaselineLookback  = 30 * time.Minute
	BaselineLookahead = 5 * time.Minute
	BaselineSlices    = 7
	BaselinePerSlice  = 10
	// MaxBaselineDistance is how far apart in time a baseline may start
	// from the target.
	MaxBaselineDistance = BaselineLookback
	// BaselineTolerance is how far from the median duration, as a share
	// of it, a baseline may be.
	BaselineTolerance = 0.25
)

// BaselineQuery is one trace search for baseline candidates.
type BaselineQuery struct {
	Service, Operation string
	From, To           time.Time
	Limit              int
}

// BaselineQueries returns the searches that find baseline candidates for
// target: its root service and operation, in slices of the window around
// its start, none reaching past now.
func BaselineQueries(target sources.Trace, now time.Time) ([]BaselineQuery, error) {
	r := rootIndex(target.Spans)
	if r < 0 {
		return nil, fmt.Errorf("trace %s has no spans", target.TraceID)
	}
	root := target.Spans[r]
	from, to := root.Start.Add(-BaselineLookback), root.Start.Add(BaselineLookahead)
	if to.After(now) {
		to = now
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("trace %s starts in the future (%s)", target.TraceID, root.Start.UTC().Format(time.RFC3339))
	}
	step := to.Sub(from) / BaselineSlices
	out := make([]BaselineQuery, 0, BaselineSlices)
	for i := range BaselineSlices {
		q := BaselineQuery{Service: root.Service, Operation: root.Operation, From: from.Add(time.Duration(i) * step), Limit: BaselinePerSlice}
		q.To = q.From.Add(step)
		if i == BaselineSlices-1 {
			q.To = to
		}
		out = append(out, q)
	}
	return out, nil
}

// Candidate is one trace considered as a baseline and what was decided
// about it.
type Candidate struct {
	TraceID  string        `json:"trace_id"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"-"`
	// Kept is true for a healthy trace near the median; Chosen marks the
	// baseline among them.
	Kept   bool   `json:"kept"`
	Chosen bool   `json:"chosen"`
	Reason string `json:"reason"`
}

// Baseline is the trace chosen to compare a slow trace with, and why.
type Baseline struct {
	TraceID string
	// Reason says why this trace: chosen among candidates, or given.
	Reason string
	// Median is the median root duration of the healthy candidates
	// (zero when the baseline was given).
	Median time.Duration
	// Considered lists every candidate in the order they came, with the
	// decision about each.
	Considered []Candidate
	// Notes are doubts about a given baseline (errors, another root).
	Notes []string
}

// NoBaselineError says that no candidate qualified, and why each did not.
type NoBaselineError struct {
	Considered []Candidate
}

// Error counts the candidates by why each was not taken.
func (e *NoBaselineError) Error() string {
	if len(e.Considered) == 0 {
		return "no healthy baseline found: no candidate traces of the same root service and operation near in time"
	}
	return fmt.Sprintf("no healthy baseline found among %d candidates: %s", len(e.Considered), TallyCandidates(e.Considered))
}

// TallyCandidates counts candidates by the gist of their reason, in the
// order the reasons first appear: "2 has errors, 1 chosen, 3 healthy".
func TallyCandidates(cs []Candidate) string {
	counts := map[string]int{}
	var order []string
	for _, c := range cs {
		k := c.Reason
		if i := strings.IndexAny(k, ":("); i > 0 {
			k = strings.TrimSpace(k[:i])
		}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

// Reasons a candidate is rejected; the text before a colon is what
// NoBaselineError counts.
const (
	reasonSelf   = "the trace itself"
	reasonEmpty  = "no spans"
	reasonErrors = "has errors"
	reasonRoot   = "different root"
	reasonFar    = "too far in time"
	reasonMedian = "duration far from median"
	// reasonNotFaster: a baseline must have been faster than the trace.
	reasonNotFaster = "not faster than the trace"
	reasonChosen    = "chosen"
	reasonHealthy   = "healthy"
)

// ChooseBaseline picks a healthy trace to compare target with. A candidate
// is rejected when it is the target, has no spans, has an error span, has
// another root service or operation, or started more than
// MaxBaselineDistance away from the target. The median root duration of
// the rest is taken (the lower median, so it is one of them), and those
// more than BaselineTolerance of it away are rejected too, and so are
// those not faster than the target: during an incident the median is the
// incident's own, and a baseline as slow as the trace explains nothing. Of
// the ones kept, the one that started nearest the target is chosen (ties: nearer
// the median, then the smaller trace id): all of them are typical, so the
// nearest in time shares the most conditions with the target.
func ChooseBaseline(target sources.Trace, candidates []sources.Trace) (Baseline, error) {
	tr := rootIndex(target.Spans)
	if tr < 0 {
		return Baseline{}, fmt.Errorf("trace %s has no spans", target.TraceID)
	}
	troot := target.Spans[tr]
	cs := make([]Candidate, len(candidates))
	var healthy []int
	seen := map[string]bool{}
	for i, t := range candidates {
		c := &cs[i]
		c.TraceID = t.TraceID
		r := rootIndex(t.Spans)
		if r >= 0 {
			c.Start, c.Duration = t.Spans[r].Start, t.Spans[r].Duration
		}
		switch {
		case t.TraceID == target.TraceID:
			c.Reason = reasonSelf
		case seen[t.TraceID]:
			c.Reason = "duplicate of an earlier candidate"
		case r < 0:
			c.Reason = reasonEmpty
		case errorSpans(t.Spans) > 0:
			c.Reason = fmt.Sprintf("%s: %d error spans", reasonErrors, errorSpans(t.Spans))
		case t.Spans[r].Service != troot.Service || t.Spans[r].Operation != troot.Operation:
			c.Reason = fmt.Sprintf("%s: %s %s", reasonRoot, t.Spans[r].Service, t.Spans[r].Operation)
		case absDur(t.Spans[r].Start.Sub(troot.Start)) > MaxBaselineDistance:
			c.Reason = fmt.Sprintf("%s: %s from the target", reasonFar, roundDur(absDur(t.Spans[r].Start.Sub(troot.Start))))
		default:
			healthy = append(healthy, i)
		}
		seen[t.TraceID] = true
	}
	if len(healthy) == 0 {
		return Baseline{}, &NoBaselineError{Considered: cs}
	}
	ds := make([]time.Duration, len(healthy))
	for k, i := range healthy {
		ds[k] = cs[i].Duration
	}
	slices.Sort(ds)
	median := ds[(len(ds)-1)/2]
	tol := time.Duration(float64(median) * BaselineTolerance)
	best := -1
	better := func(i, j int) bool { // is candidate i a better baseline than j
		di, dj := absDur(cs[i].Start.Sub(troot.Start)), absDur(cs[j].Start.Sub(troot.Start))
		if di != dj {
			return di < dj
		}
		mi, mj := absDur(cs[i].Duration-median), absDur(cs[j].Duration-median)
		if mi != mj {
			return mi < mj
		}
		return cs[i].TraceID < cs[j].TraceID
	}
	kept := 0
	for _, i := range healthy {
		c := &cs[i]
		if off := absDur(c.Duration - median); off > tol {
			c.Reason = fmt.Sprintf("%s: %s vs median %s (more than %d%% off)", reasonMedian, roundDur(c.Duration), roundDur(median), int(BaselineTolerance*100))
			continue
		}
		// A baseline explains why the trace was slow only if it was
		// faster: during an incident the median is the incident's own.
		if c.Duration >= troot.Duration {
			c.Reason = fmt.Sprintf("%s: %s, the trace took %s", reasonNotFaster, roundDur(c.Duration), roundDur(troot.Duration))
			continue
		}
		c.Kept = true
		kept++
		c.Reason = fmt.Sprintf("%s: %s, %s from the target", reasonHealthy, roundDur(c.Duration), roundDur(absDur(c.Start.Sub(troot.Start))))
		if best < 0 || better(i, best) {
			best = i
		}
	}
	if best < 0 {
		return Baseline{}, &NoBaselineError{Considered: cs}
	}
	b := &cs[best]
	b.Chosen = true
	b.Reason = fmt.Sprintf("%s: %s, %s from the target", reasonChosen, roundDur(b.Duration), roundDur(absDur(b.Start.Sub(troot.Start))))
	return Baseline{
		TraceID: b.TraceID,
		Median:  median,
		Reason: fmt.Sprintf("nearest in time (%s %s) of %d healthy %s %s traces within %d%% of their median %s; its root took %s",
			roundDur(absDur(b.Start.Sub(troot.Start))), beforeAfter(b.Start, troot.Start), kept,
			troot.Service, troot.Operation, int(BaselineTolerance*100), roundDur(median), roundDur(b.Duration)),
		Considered: cs,
	}, nil
}

// GivenBaseline describes a baseline named by the user, noting what makes
// it a doubtful comparison.
func GivenBaseline(target, base sources.Trace) Baseline {
	b := Baseline{TraceID: base.TraceID, Reason: "given on the command line"}
	if base.TraceID == target.TraceID {
		b.Notes = append(b.Notes, "the baseline is the trace itself")
	}
	tr, br := rootIndex(target.Spans), rootIndex(base.Spans)
	if n := errorSpans(base.Spans); n > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("the baseline has %d error spans", n))
	}
	if tr >= 0 && br >= 0 {
		t, s := target.Spans[tr], base.Spans[br]
		if t.Service != s.Service || t.Operation != s.Operation {
			b.Notes = append(b.Notes, fmt.Sprintf("the baseline's root is %s %s, the trace's %s %s", s.Service, s.Operation, t.Service, t.Operation))
		}
	}
	return b
}

func beforeAfter(t, ref time.Time) string {
	if t.Before(ref) {
		return "before"
	}
	return "after"
}

func errorSpans(spans []sources.Span) int {
	n := 0
	for i := range spans {
		if spans[i].Error {
			n++
		}
	}
	return n
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// roundDur shortens a duration for reading: to 0.1 ms under a second,
// to ms above.
func roundDur(d time.Duration) time.Duration {
	if absDur(d) < time.Second {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

// rootIndex is the span the critical path walks from: the longest span
// whose parent is absent, the earlier between equals; -1 for no spans.
func rootIndex(spans []sources.Span) int {
	ids := make(map[string]struct{}, len(spans))
	for i := range spans {
		ids[spans[i].SpanID] = struct{}{}
	}
	best := -1
	for i := range spans {
		s := &spans[i]
		if _, ok := ids[s.ParentSpanID]; ok && s.ParentSpanID != "" && s.ParentSpanID != s.SpanID {
			continue
		}
		if best < 0 || s.Duration > spans[best].Duration || s.Duration == spans[best].Duration && s.Start.Before(spans[best].Start) {
			best = i
		}
	}
	return best
}

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

// TraceDiffJSON is a TraceDiff as `reltui trace diff --output json`
// prints it: durations in microseconds, every string sanitized.
type TraceDiffJSON struct {
	Slow     TraceSideJSON `json:"slow"`
	Baseline TraceSideJSON `json:"baseline"`
	// DeltaUS is how much longer the slow trace's root took.
	DeltaUS  int64         `json:"delta_us"`
	Choice   BaselineJSON  `json:"baseline_choice"`
	Matched  int           `json:"matched"`
	OnlySlow int           `json:"only_slow"`
	OnlyBase int           `json:"only_baseline"`
	Ranking  string        `json:"ranking"`
	Rows     []DiffRowJSON `json:"rows"`
	Omitted  int           `json:"omitted_rows"`
}

// TraceSideJSON is one trace's summary.
type TraceSideJSON struct {
	TraceID    string    `json:"trace_id"`
	Service    string    `json:"root_service"`
	Operation  string    `json:"root_operation"`
	Start      time.Time `json:"start"`
	DurationUS int64     `json:"duration_us"`
	Spans      int       `json:"span_count"`
	Errors     int       `json:"error_count"`
}

// BaselineJSON says how the baseline was chosen.
type BaselineJSON struct {
	Reason     string          `json:"reason"`
	MedianUS   int64           `json:"median_us"`
	Notes      []string        `json:"notes"`
	Considered []CandidateJSON `json:"considered"`
}

// CandidateJSON is one considered candidate.
type CandidateJSON struct {
	Candidate
	DurationUS int64 `json:"duration_us"`
}

// DiffSideJSON is one side of a row; null when the span is absent.
type DiffSideJSON struct {
	SpanID     string `json:"span_id"`
	TotalUS    int64  `json:"total_us"`
	SelfUS     int64  `json:"self_us"`
	CriticalUS int64  `json:"critical_us"`
	Error      bool   `json:"error"`
}

// DiffRowJSON is one row.
type DiffRowJSON struct {
	Rank            int           `json:"rank"`
	Service         string        `json:"service"`
	Operation       string        `json:"operation"`
	Ordinal         int           `json:"ordinal"`
	Depth           int           `json:"depth"`
	Path            string        `json:"path"`
	Presence        Presence      `json:"presence"`
	Slow            *DiffSideJSON `json:"slow"`
	Base            *DiffSideJSON `json:"baseline"`
	TotalDeltaUS    int64         `json:"total_delta_us"`
	SelfDeltaUS     int64         `json:"self_delta_us"`
	CriticalDeltaUS int64         `json:"critical_delta_us"`
}

// RankingRule is Diff's ranking rule in one sentence, for output.
const RankingRule = "by critical-path time delta (the share of the extra duration a span explains), largest first; ties: failed only in the slow trace, then self-time delta, then total-time delta"

// JSON converts d for output with at most limit rows (0: all).
func (d *TraceDiff) JSON(b Baseline, limit int) TraceDiffJSON {
	cl := sanitize.Line
	sideJ := func(s TraceSide) TraceSideJSON {
		return TraceSideJSON{TraceID: s.TraceID, Service: cl(s.Service), Operation: cl(s.Operation), Start: s.Start.UTC(),
			DurationUS: s.Duration.Microseconds(), Spans: s.Spans, Errors: s.Errors}
	}
	out := TraceDiffJSON{
		Slow: sideJ(d.Slow), Baseline: sideJ(d.Base), DeltaUS: (d.Slow.Duration - d.Base.Duration).Microseconds(),
		Choice:  BaselineJSON{Reason: cl(b.Reason), MedianUS: b.Median.Microseconds(), Notes: []string{}, Considered: []CandidateJSON{}},
		Matched: d.Matched, OnlySlow: d.OnlySlow, OnlyBase: d.OnlyBase, Ranking: RankingRule, Rows: []DiffRowJSON{},
	}
	for _, n := range b.Notes {
		out.Choice.Notes = append(out.Choice.Notes, cl(n))
	}
	for _, c := range b.Considered {
		c.Reason = cl(c.Reason)
		c.Start = c.Start.UTC()
		out.Choice.Considered = append(out.Choice.Considered, CandidateJSON{Candidate: c, DurationUS: c.Duration.Microseconds()})
	}
	n := len(d.Rows)
	if limit > 0 && limit < n {
		n = limit
	}
	out.Omitted = len(d.Rows) - n
	sj := func(s DiffSide, present bool) *DiffSideJSON {
		if !present {
			return nil
		}
		return &DiffSideJSON{SpanID: s.SpanID, TotalUS: s.Total.Microseconds(), SelfUS: s.Self.Microseconds(), CriticalUS: s.Critical.Microseconds(), Error: s.Error}
	}
	for i, r := range d.Rows[:n] {
		out.Rows = append(out.Rows, DiffRowJSON{
			Rank: i + 1, Service: cl(r.Service), Operation: cl(r.Operation), Ordinal: r.Ordinal, Depth: r.Depth,
			Path: cl(d.Path(i)), Presence: r.Presence,
			Slow: sj(r.Slow, r.Presence != OnlyBase), Base: sj(r.Base, r.Presence != OnlySlow),
			TotalDeltaUS: r.TotalDelta.Microseconds(), SelfDeltaUS: r.SelfDelta.Microseconds(), CriticalDeltaUS: r.CriticalDelta.Microseconds(),
		})
	}
	return out
}
