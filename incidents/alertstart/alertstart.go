// Package alertstart prefills a declaration from an alert with honest
// milestones: started where the rule's expression (and, before it, the
// signal under its threshold) began to hold, evaluated backwards from the
// alert's activeAt, and detected when the alert fired (activeAt + the
// rule's for). The evaluation is attached as chart evidence so the reader
// can check it. Both `reltui incident declare --from-alert` and the
// Alerts pane's declare use it, through the consumer-side Querier.
package alertstart

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/sanitize"
)

// Lookback is how far before an alert's activeAt its expression is
// evaluated backwards to find when impact began.
const Lookback = time.Hour

// step is the backwards evaluation's resolution: one second finds the
// crossing well inside one evaluation interval, and 3,600 points of one
// series is a small query.
const step = time.Second

// Querier is what the backwards evaluation needs from Prometheus.
type Querier interface {
	Rules(ctx context.Context) ([]prom.Rule, error)
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
}

// Result is a declaration prefilled from an alert and what the person
// should be told about it.
type Result struct {
	Declaration incidents.Declaration
	// Said is the one-line account of the suggested milestones, "" when
	// the alert's own times were kept.
	Said string
	// Warnings say what could not be worked out (the declaration then
	// keeps the alert's activeAt for started and detected, or a plain
	// started when only the signal's refinement failed).
	Warnings []string
}

// Declare prefills a declaration from a with honest started and detected
// from q (nil q: the alert's own times, with a warning). It never fails:
// a failure costs only the suggestion and is a warning.
func Declare(ctx context.Context, q Querier, a sources.Alert, now time.Time, graf incidents.Grafana) Result {
	r := Result{Declaration: incidents.FromAlertLinked(a, now, graf)}
	if q == nil {
		r.Warnings = append(r.Warnings, "no Prometheus to evaluate the alert's rule; started and detected are the alert's activeAt")
		return r
	}
	if err := r.suggest(ctx, q, a, now, graf); err != nil {
		r.Warnings = append(r.Warnings, sanitize.Line(err.Error())+"; started and detected are the alert's activeAt")
	}
	return r
}

func (r *Result) suggest(ctx context.Context, q Querier, a sources.Alert, now time.Time, graf incidents.Grafana) error {
	if a.ActiveAt.IsZero() {
		return fmt.Errorf("alert %s has no activeAt", a.Fingerprint)
	}
	rules, err := q.Rules(ctx)
	if err != nil {
		return fmt.Errorf("read the alert's rule: %w", err)
	}
	rule, ok := RuleFor(rules, a)
	if !ok {
		return fmt.Errorf("no alerting rule named %s", a.Name)
	}
	ar := incidents.AlertRule{Query: rule.Query, For: rule.For, Interval: rule.Interval}
	from := a.ActiveAt.Add(-Lookback)
	series, _, err := q.QueryRange(ctx, rule.Query, from, a.ActiveAt, step)
	if err != nil {
		return fmt.Errorf("evaluate the alert's expression backwards: %w", err)
	}
	// The signal without its threshold shows where the rise began; a
	// failure here only costs that refinement.
	var signal []sources.Series
	if th, ok := incidents.SplitThreshold(rule.Query); ok {
		if signal, _, err = q.QueryRange(ctx, th.Signal, from, a.ActiveAt, step); err != nil {
			r.Warnings = append(r.Warnings, "evaluate the alert's signal backwards: "+sanitize.Line(err.Error()))
			signal = nil
		}
	}
	d := &r.Declaration
	m := incidents.MilestonesFromAlert(a, ar, incidents.HeldAt(series), signal, step, from, now)
	m.Apply(d)
	ev := incidents.Evidence{
		Kind: incidents.EvidenceChart, Source: "prometheus", Query: rule.Query,
		From: m.Started.Add(-10 * time.Minute), To: now,
		Snapshot: fmt.Sprintf("%s evaluated backwards from %s every %s: held from %s; fired (detected) %s; rule for %s, evaluated every %s",
			a.Name, incidents.FormatTime(a.ActiveAt), step, incidents.FormatTime(m.Started), incidents.FormatTime(m.Detected), rule.For, rule.Interval),
	}
	ev.Link = incidents.ExploreLink(graf.URL, graf.OrgID, graf.Datasource, ev)
	d.Evidence = append(d.Evidence, ev)
	r.Said = fmt.Sprintf("suggested started %s (%s) and detected %s (%s)",
		incidents.FormatTime(m.Started), m.StartedSuggestion.Method, incidents.FormatTime(m.Detected), m.DetectedSuggestion.Method)
	return nil
}

// RuleFor finds the alerting rule behind a: the one whose alerts include
// a's fingerprint, else the first alerting rule with a's name.
func RuleFor(rules []prom.Rule, a sources.Alert) (prom.Rule, bool) {
	var byName *prom.Rule
	for i, r := range rules {
		if !r.Alerting() || r.Name != a.Name {
			continue
		}
		for _, x := range r.Alerts {
			if strings.EqualFold(x.Fingerprint, a.Fingerprint) {
				return r, true
			}
		}
		if byName == nil {
			byName = &rules[i]
		}
	}
	if byName == nil {
		return prom.Rule{}, false
	}
	return *byName, true
}
