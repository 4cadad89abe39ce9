package main

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

// alertLookback is how far before an alert's activeAt its expression is
// evaluated backwards to find when impact began.
const alertLookback = time.Hour

// alertMilestones replaces the alert-prefilled started and detected with
// honest suggestions: the rule's expression evaluated backwards for
// started, activeAt + the rule's for (or now, if sooner) for detected. The
// evaluation is pinned as chart evidence so the reader can check it.
func alertMilestones(ctx context.Context, g *globals, c *prom.Client, a sources.Alert, d *incidents.Declaration, now time.Time, graf incidents.Grafana) error {
	if a.ActiveAt.IsZero() {
		return fmt.Errorf("alert %s has no activeAt", a.Fingerprint)
	}
	rules, err := c.Rules(ctx)
	if err != nil {
		return fmt.Errorf("read the alert's rule: %w", err)
	}
	rule, ok := ruleFor(rules, a)
	if !ok {
		return fmt.Errorf("no alerting rule named %s", a.Name)
	}
	ar := incidents.AlertRule{Query: rule.Query, For: rule.For, Interval: rule.Interval}
	from := a.ActiveAt.Add(-alertLookback)
	// A one-second step finds the crossing well inside one evaluation
	// interval; 3,600 points of one series is a small query.
	step := time.Second
	series, _, err := c.QueryRange(ctx, rule.Query, from, a.ActiveAt, step)
	if err != nil {
		return fmt.Errorf("evaluate the alert's expression backwards: %w", err)
	}
	// The signal without its threshold shows where the rise began; a
	// failure here only costs that refinement.
	var signal []sources.Series
	if th, ok := incidents.SplitThreshold(rule.Query); ok {
		if signal, _, err = c.QueryRange(ctx, th.Signal, from, a.ActiveAt, step); err != nil {
			fmt.Fprintln(g.stderr, "reltui: warning: evaluate the alert's signal backwards: "+sanitize.Line(err.Error()))
			signal = nil
		}
	}
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
	fmt.Fprintf(g.stderr, "reltui: suggested started %s (%s) and detected %s (%s); declaring confirms them, --started/--detected override\n",
		incidents.FormatTime(m.Started), m.StartedSuggestion.Method, incidents.FormatTime(m.Detected), m.DetectedSuggestion.Method)
	return nil
}

// ruleFor finds the alerting rule behind a: the one whose alerts include
// a's fingerprint, else the first alerting rule with a's name.
func ruleFor(rules []prom.Rule, a sources.Alert) (prom.Rule, bool) {
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
