package correlate

// The healthy baseline a slow trace is compared with: where to search for
// candidates, which one to take and why the others were not.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
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
