package slo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Exclusion is a period left out of an SLO's budget: planned maintenance
// or a drill, whose errors the team chose to spend on purpose.
type Exclusion struct {
	// SLO names the SLO it applies to; empty means every SLO.
	SLO string
	// Services, when set, limits it to the SLOs of those services (an
	// incident of kind maintenance names the services it touched).
	Services []string
	From, To time.Time
	// Kind is "maintenance", "drill" or "" (a config entry that says none).
	Kind   string
	Reason string
}

// ApplyExclusions gives each SLO the exclusions that name it or name none.
// It returns a new slice and leaves slos' own Exclusions untouched.
func ApplyExclusions(slos []SLO, ex []Exclusion) []SLO {
	out := make([]SLO, len(slos))
	for i, s := range slos {
		var mine []Exclusion
		for _, e := range ex {
			if (e.SLO == "" || e.SLO == s.Name) && (len(e.Services) == 0 || slices.Contains(e.Services, s.Service)) && e.To.After(e.From) {
				mine = append(mine, e)
			}
		}
		s.Exclusions = append(append([]Exclusion(nil), s.Exclusions...), mine...)
		out[i] = s
	}
	return out
}

// PlannedWork is an incident as SLO budgets see it: its kind (drill,
// maintenance or incident), the services it touched and when its impact
// began and ended (To zero while it is still open). The incidents package
// is not imported here; callers convert their incidents.
type PlannedWork struct {
	Kind     string
	Title    string
	Services []string
	From, To time.Time
}

// FromPlannedWork turns the drills and maintenance among ws into
// exclusions for the SLOs of the services they name (every SLO when they
// name none). One still open runs until now.
func FromPlannedWork(ws []PlannedWork, now time.Time) []Exclusion {
	var out []Exclusion
	for _, w := range ws {
		k := strings.ToLower(w.Kind)
		if (k != "drill" && k != "maintenance") || w.From.IsZero() {
			continue
		}
		to := w.To
		if to.IsZero() || to.After(now) {
			to = now
		}
		if !to.After(w.From) {
			continue
		}
		out = append(out, Exclusion{Services: w.Services, From: w.From, To: to, Kind: k, Reason: w.Title})
	}
	return out
}

// Overlapping returns the exclusions that overlap the SLO window ending at
// at, clipped to it.
func (s SLO) Overlapping(at time.Time) []Exclusion {
	from := at.Add(-s.BudgetSpan(at))
	var out []Exclusion
	for _, e := range s.Exclusions {
		if !e.To.After(from) || !e.From.Before(at) {
			continue
		}
		if e.From.Before(from) {
			e.From = from
		}
		if e.To.After(at) {
			e.To = at
		}
		out = append(out, e)
	}
	return out
}

// ExclusionStep is the resolution at which a budget with exclusions is
// computed: the SLI's error ratio over each 5 minutes, averaged over the
// window's 5-minute steps outside every exclusion (Sloth computes its
// period ratio the same way, without the exclusions).
const ExclusionStep = 5 * time.Minute

// BudgetQueries returns PromQL for the SLO window's error ratio at at,
// both ways: with the overlapping exclusions left out, and without leaving
// anything out, computed the same way so that the two differ only by what
// was excluded. ok is false when no exclusion overlaps the window.
func BudgetQueries(s SLO, at time.Time) (excluded, all string, ok bool, err error) {
	ex := s.Overlapping(at)
	if len(ex) == 0 {
		return "", "", false, nil
	}
	step, err := ErrorRatioQuery(s, ExclusionStep)
	if err != nil {
		return "", "", false, err
	}
	// >= 0 drops NaN steps (0/0 when there was no traffic), which would
	// otherwise make the whole mean NaN.
	base := fmt.Sprintf("(%s) >= 0", step)
	var masks []string
	for _, e := range ex {
		masks = append(masks, fmt.Sprintf("(vector(time()) < %d or vector(time()) >= %d)", e.From.Unix(), e.To.Unix()))
	}
	w, st := FormatPromDuration(s.BudgetSpan(at)), FormatPromDuration(ExclusionStep)
	excluded = fmt.Sprintf("max(avg_over_time(((%s) and on() %s)[%s:%s]))", base, strings.Join(masks, " and on() "), w, st)
	all = fmt.Sprintf("max(avg_over_time((%s)[%s:%s]))", base, w, st)
	return excluded, all, true, nil
}

// measureExclusions runs BudgetQueries and puts both budgets into e.
func measureExclusions(ctx context.Context, q Querier, s SLO, at time.Time, e *Evaluation) ([]string, error) {
	exQ, allQ, ok, err := BudgetQueries(s, at)
	if !ok || err != nil {
		return nil, err
	}
	exS, w1, err := q.Query(ctx, exQ, at)
	if err != nil {
		return w1, err
	}
	allS, w2, err := q.Query(ctx, allQ, at)
	if err != nil {
		return append(w1, w2...), err
	}
	e.ApplyExclusions(s.Overlapping(at), ScalarValue(exS), ScalarValue(allS))
	return append(w1, w2...), nil
}

// ApplyExclusions records the budget with the excluded periods left out
// (which becomes BudgetRemaining, the one the sentence and the time to
// exhaustion use) and without (BudgetWithoutExclusions). Ratios that are
// NaN leave the budget unknown.
func (e *Evaluation) ApplyExclusions(ex []Exclusion, excludedRatio, allRatio float64) {
	budget := e.SLO.ErrorBudget()
	e.Excluded = ex
	e.BudgetWithoutExclusions = math.NaN()
	if !math.IsNaN(allRatio) {
		e.BudgetWithoutExclusions = 1 - math.Max(allRatio, 0)/budget
	}
	e.BudgetKnown = !math.IsNaN(excludedRatio)
	e.BudgetRemaining = math.NaN()
	if e.BudgetKnown {
		e.BudgetRemaining = 1 - math.Max(excludedRatio, 0)/budget
	}
	e.project()
	e.Status = e.status()
}
