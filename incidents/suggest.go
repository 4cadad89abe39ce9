package incidents

import (
	"fmt"
	"math"
	"sort"
	"time"

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
func MilestonesFromAlert(a sources.Alert, rule AlertRule, held []time.Time, step time.Duration, windowStart, declaredAt time.Time) AlertMilestones {
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
