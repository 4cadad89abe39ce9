package prom

import (
	"context"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Rule is one alerting or recording rule with its evaluation health.
type Rule struct {
	Group string
	File  string
	// Interval is the group's evaluation interval.
	Interval time.Duration
	// Type is "alerting" or "recording".
	Type  string
	Name  string
	Query string
	// For is the pending duration of an alerting rule.
	For         time.Duration
	Labels      map[string]string
	Annotations map[string]string
	// Health is "ok", "err" or "unknown"; LastError says why when "err".
	Health         string
	LastError      string
	LastEvaluation time.Time
	EvaluationTime time.Duration
	// State is "inactive", "pending" or "firing" for alerting rules.
	State  string
	Alerts []sources.Alert
}

// Alerting reports whether r is an alerting rule.
func (r Rule) Alerting() bool { return r.Type == string(v1.RuleTypeAlerting) }

// Alerts returns the pending and firing alerts Prometheus itself holds,
// before any Alertmanager routing, silencing or inhibition.
func (c *Client) Alerts(ctx context.Context) ([]sources.Alert, error) {
	res, _, err := call(ctx, c, "alerts", func(ctx context.Context, a v1.API) (v1.AlertsResult, v1.Warnings, v1.Infos, error) {
		r, err := a.Alerts(ctx)
		return r, nil, nil, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]sources.Alert, 0, len(res.Alerts))
	for _, a := range res.Alerts {
		out = append(out, toAlert(a))
	}
	return out, nil
}

// Rules returns every rule group's rules in the server's order.
func (c *Client) Rules(ctx context.Context) ([]Rule, error) {
	res, _, err := call(ctx, c, "rules", func(ctx context.Context, a v1.API) (v1.RulesResult, v1.Warnings, v1.Infos, error) {
		r, err := a.Rules(ctx, nil)
		return r, nil, nil, err
	})
	if err != nil {
		return nil, err
	}
	return toRules(res), nil
}

func toRules(res v1.RulesResult) []Rule {
	var out []Rule
	for _, g := range res.Groups {
		group, file, every := sanitize.Line(g.Name), sanitize.Line(g.File), seconds(g.Interval)
		for _, r := range g.Rules {
			switch r := r.(type) {
			case v1.AlertingRule:
				rule := Rule{
					Group: group, File: file, Interval: every, Type: string(v1.RuleTypeAlerting),
					Name: sanitize.Line(r.Name), Query: sanitize.Line(r.Query),
					For:    seconds(r.Duration),
					Labels: labels(r.Labels), Annotations: labels(r.Annotations),
					Health: sanitize.Line(string(r.Health)), LastError: cleanText(r.LastError),
					LastEvaluation: r.LastEvaluation, EvaluationTime: seconds(r.EvaluationTime),
					State: sanitize.Line(r.State),
				}
				for _, a := range r.Alerts {
					if a != nil {
						rule.Alerts = append(rule.Alerts, toAlert(*a))
					}
				}
				out = append(out, rule)
			case v1.RecordingRule:
				out = append(out, Rule{
					Group: group, File: file, Interval: every, Type: string(v1.RuleTypeRecording),
					Name: sanitize.Line(r.Name), Query: sanitize.Line(r.Query),
					Labels: labels(r.Labels),
					Health: sanitize.Line(string(r.Health)), LastError: cleanText(r.LastError),
					LastEvaluation: r.LastEvaluation, EvaluationTime: seconds(r.EvaluationTime),
				})
			}
		}
	}
	return out
}

// seconds converts the API's float seconds, clamping nonsense (negative,
// NaN, absurdly large) to zero rather than overflowing.
func seconds(s float64) time.Duration {
	if !(s > 0) || s > 1e9 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// toAlert converts a Prometheus alert. The fingerprint is the same 64-bit
// label-set hash Alertmanager uses, computed on the raw labels, so an alert
// seen in both places can be joined when no external labels are added.
func toAlert(a v1.Alert) sources.Alert {
	return sources.Alert{
		Name:        sanitize.Line(string(a.Labels[model.AlertNameLabel])),
		State:       sanitize.Line(string(a.State)),
		Labels:      labels(a.Labels),
		Annotations: labels(a.Annotations),
		ActiveAt:    a.ActiveAt,
		Value:       sanitize.Line(a.Value),
		Fingerprint: a.Labels.Fingerprint().String(),
		Source:      "prometheus",
	}
}
