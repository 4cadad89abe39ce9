package incidents

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/reltui/reltui/sources"
)

// AlertRule is what the rules API says about the rule behind an alert.
type AlertRule struct {
	// Query is the rule's expression, threshold included.
	Query string
	// For is how long the expression must hold before the alert fires.
	For time.Duration
	// Interval is the rule group's evaluation interval.
	Interval time.Duration
}

// Threshold is an alert expression split at its top-level comparison
// with a number: Signal > Value (Above) or Signal < Value.
type Threshold struct {
	Signal string
	Value  float64
	Above  bool
}

// SplitThreshold splits expr ("ratio > 0.05") into its signal and
// threshold; ok is false for any other shape (bool comparisons, two
// vectors, no comparison).
func SplitThreshold(expr string) (Threshold, bool) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return Threshold{}, false
	}
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			break
		}
		e = p.Expr
	}
	b, ok := e.(*parser.BinaryExpr)
	if !ok || b.ReturnBool {
		return Threshold{}, false
	}
	n, ok := b.RHS.(*parser.NumberLiteral)
	if !ok {
		return Threshold{}, false
	}
	switch b.Op {
	case parser.GTR, parser.GTE:
		return Threshold{Signal: b.LHS.String(), Value: n.Val, Above: true}, true
	case parser.LSS, parser.LTE:
		return Threshold{Signal: b.LHS.String(), Value: n.Val}, true
	}
	return Threshold{}, false
}

// SignalOnset refines a threshold crossing: a rate over a window crosses
// its threshold only after enough bad samples piled up, so impact began
// when the signal left its baseline on the way to the crossing. The
// baseline is the median of the signal before settle (the crossing minus
// a settling time); the onset is the first instant of the unbroken run,
// ending at the crossing, in which the signal was beyond both a tenth of
// the way from the baseline to the threshold and the 95th percentile of
// the calm before (at most half way). ok is false when there is
// too little history or the threshold is not beyond the baseline.
func SignalOnset(signal []sources.Series, th Threshold, crossing, settle time.Time) (time.Time, float64, bool) {
	type pt struct {
		t time.Time
		v float64
	}
	byT := map[int64]float64{}
	for _, s := range signal {
		for _, p := range s.Samples {
			if math.IsNaN(p.Value) {
				continue
			}
			k := p.Time.UnixMilli()
			if cur, ok := byT[k]; !ok || (th.Above && p.Value > cur) || (!th.Above && p.Value < cur) {
				byT[k] = p.Value
			}
		}
	}
	var pts []pt
	var before []float64
	for k, v := range byT {
		t := time.UnixMilli(k).UTC()
		if t.After(crossing) {
			continue
		}
		pts = append(pts, pt{t, v})
		if t.Before(settle) {
			before = append(before, v)
		}
	}
	if len(before) < 10 || len(pts) == 0 {
		return time.Time{}, 0, false
	}
	sort.Float64s(before)
	base := before[len(before)/2]
	if (th.Above && th.Value <= base) || (!th.Above && th.Value >= base) {
		return time.Time{}, base, false
	}
	// A tenth of the way to the threshold, raised to the calm's own 95th
	// percentile so that its noise is not taken for an onset, but never
	// past half way.
	level := base + (th.Value-base)/10
	if p95 := before[min(len(before)-1, len(before)*95/100)]; (th.Above && p95 > level) || (!th.Above && p95 < level) {
		level = p95
	}
	if half := base + (th.Value-base)/2; (th.Above && level > half) || (!th.Above && level < half) {
		level = half
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].t.Before(pts[j].t) })
	i := len(pts) - 1
	out := func(v float64) bool { return (th.Above && v > level) || (!th.Above && v < level) }
	if !out(pts[i].v) {
		return time.Time{}, base, false
	}
	for i > 0 && out(pts[i-1].v) {
		i--
	}
	return pts[i].t, base, true
}

// HeldAt returns the instants at which an alert expression's range query
// returned a value: for a thresholded expression, when the condition held.
func HeldAt(series []sources.Series) []time.Time {
	seen := map[int64]bool{}
	var out []time.Time
	for _, s := range series {
		for _, p := range s.Samples {
			if math.IsNaN(p.Value) || seen[p.Time.UnixMilli()] {
				continue
			}
			seen[p.Time.UnixMilli()] = true
			out = append(out, p.Time)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// ConditionStart walks back from until through held (sorted instants,
// evaluated every step) and returns the first instant of the unbroken run
// that reaches until. A gap of more than two steps ends the run: one
// missed scrape is not a recovery. ok is false when the condition did not
// hold within two steps of until.
func ConditionStart(held []time.Time, step time.Duration, until time.Time) (time.Time, bool) {
	// Prometheus answers range queries in whole milliseconds, so the
	// point evaluated at until (an activeAt in microseconds) may come back
	// up to a millisecond after it; it is still until's evaluation. Without
	// this, a rule that held at only its last evaluation (for: 0m, the
	// scrape just before) read as never held.
	until = until.Add(time.Millisecond)
	i := sort.Search(len(held), func(i int) bool { return held[i].After(until) }) - 1
	if i < 0 || until.Sub(held[i]) > 2*step {
		return time.Time{}, false
	}
	for i > 0 && held[i].Sub(held[i-1]) <= 2*step {
		i--
	}
	return held[i], true
}

// AlertMilestones is the honest started/detected pair for an alert.
type AlertMilestones struct {
	Started, Detected                     time.Time
	StartedSuggestion, DetectedSuggestion *Suggestion
}

// MilestonesFromAlert works out when impact began and when it was
// detected for a declaration from alert a:
//
//   - detected is when the alert fired (ActiveAt + the rule's for, from
//     Prometheus; Alertmanager's startsAt already is the firing time) or
//     declaredAt, whichever came first;
//   - started is the first instant of the run in which the rule's own
//     expression held, evaluated backwards (held, at step, over a window
//     starting at windowStart), or ActiveAt when there is no such run.
//
// Both come back as suggestions: the person who declares confirms them.
//
// When signal (the expression's left side, evaluated over the same window)
// is given, started moves back to where that signal left its baseline
// (SignalOnset).
func MilestonesFromAlert(a sources.Alert, rule AlertRule, held []time.Time, signal []sources.Series, step time.Duration, windowStart, declaredAt time.Time) AlertMilestones {
	var m AlertMilestones
	fired, how := a.ActiveAt, "alert activeAt"
	if a.Source != "alertmanager" && rule.For > 0 {
		fired, how = a.ActiveAt.Add(rule.For), fmt.Sprintf("alert activeAt + for (%s)", rule.For)
	}
	if a.Source == "alertmanager" {
		how = "Alertmanager startsAt (when the alert fired)"
	}
	m.Detected = fired
	if !declaredAt.IsZero() && declaredAt.Before(fired) {
		m.Detected, how = declaredAt, "declared before the alert fired"
	}
	m.DetectedSuggestion = &Suggestion{At: Normalize(m.Detected), Method: how}
	m.Started = a.ActiveAt
	method := "alert activeAt (its expression returned nothing to evaluate backwards)"
	if rule.Query != "" {
		if st, ok := ConditionStart(held, step, a.ActiveAt); ok {
			m.Started = st
			method = fmt.Sprintf("earliest the alert's expression held, evaluated backwards every %s", step)
			if !st.After(windowStart) {
				method += fmt.Sprintf(" (it held since the window began at %s; impact may be older)", FormatTime(windowStart))
			} else if th, ok := SplitThreshold(rule.Query); ok && signal != nil {
				// A range selector lags: settle a few minutes before the
				// crossing so the baseline is the calm before it.
				if on, base, ok := SignalOnset(signal, th, st, st.Add(-3*time.Minute)); ok && on.Before(st) {
					method = fmt.Sprintf("the alert's signal left its baseline (%.4g) on the way to crossing %g at %s; evaluated backwards every %s",
						base, th.Value, FormatTime(st), step)
					m.Started = on
				}
			}
		}
	}
	if m.Started.After(m.Detected) {
		m.Started = m.Detected
	}
	m.StartedSuggestion = &Suggestion{At: Normalize(m.Started), Method: method, Query: rule.Query}
	return m
}

// Apply puts m into d as its confirmed-by-declaring milestones.
func (m AlertMilestones) Apply(d *Declaration) {
	d.Started, d.Detected = m.Started, m.Detected
	d.StartedSuggestion, d.DetectedSuggestion = m.StartedSuggestion, m.DetectedSuggestion
}
