package correlate

import (
	"time"

	"github.com/reltui/reltui/sources/sanitize"
)

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
