package slo_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/slotest"
	"github.com/reltui/reltui/sources/prom"
)

func ruleFile(t testing.TB, path string) []prom.Rule {
	t.Helper()
	rules, err := slotest.ReadRuleFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func parseRuleFile(t testing.TB, data []byte) []prom.Rule {
	t.Helper()
	rules, err := slotest.ParseRules(data)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// stackRules are the rule files the dev stack loads into its Prometheus,
// written in the shapes Sloth and Pyrra generate.
func stackRules(t testing.TB) []prom.Rule {
	return append(ruleFile(t, "../scripts/stack/rules/sloth-checkout.yml"), ruleFile(t, "../scripts/stack/rules/pyrra-frontend.yml")...)
}

func wantTable(t *testing.T, name string, got []slo.AlertWindow, want []slo.AlertWindow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d alert rows, want %d: %+v", name, len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Severity != w.Severity || g.Long != w.Long || g.Short != w.Short || !near(g.Factor, w.Factor) {
			t.Errorf("%s row %d = %s %s/%s %v, want %s %s/%s %v", name, i, g.Severity, g.Long, g.Short, g.Factor, w.Severity, w.Long, w.Short, w.Factor)
		}
	}
}

func TestFromRulesSlothAndPyrra(t *testing.T) {
	slos, notes := slo.FromRules(stackRules(t))
	if len(notes) != 0 {
		t.Errorf("notes: %v", notes)
	}
	byName := map[string]slo.SLO{}
	for _, s := range slos {
		byName[s.Name] = s
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
	if len(slos) != 2 {
		t.Fatalf("got %d SLOs, want 2: %+v", len(slos), slos)
	}

	s, ok := byName["checkout-requests-availability"]
	if !ok {
		t.Fatalf("no Sloth slo.SLO: %v", byName)
	}
	if s.Source != slo.SourceSloth || s.Service != "checkout" || s.Objective != 0.995 || s.Window != 30*slo.Day {
		t.Errorf("Sloth slo.SLO = source %q service %q objective %v window %v", s.Source, s.Service, s.Objective, s.Window)
	}
	// Sloth's default alert windows for 30 days, as its alert rules say.
	wantTable(t, s.Name, s.Table(), []slo.AlertWindow{
		{Severity: slo.SeverityPage, Long: time.Hour, Short: 5 * time.Minute, Factor: 14.4},
		{Severity: slo.SeverityPage, Long: 6 * time.Hour, Short: 30 * time.Minute, Factor: 6},
		{Severity: slo.SeverityTicket, Long: slo.Day, Short: 2 * time.Hour, Factor: 3},
		{Severity: slo.SeverityTicket, Long: 3 * slo.Day, Short: 6 * time.Hour, Factor: 1},
	})
	q, err := slo.ErrorRatioQuery(s, time.Hour)
	if err != nil || q != `slo:sli_error:ratio_rate1h{sloth_id="checkout-requests-availability"}` {
		t.Errorf("1h ratio query = %q, %v", q, err)
	}
	if q, _ := slo.ErrorRatioQuery(s, 30*slo.Day); q != `slo:sli_error:ratio_rate30d{sloth_id="checkout-requests-availability"}` {
		t.Errorf("30d ratio query = %q", q)
	}
	if _, ok := slo.EventsQuery(s, time.Hour); ok {
		t.Error("a recorded ratio cannot count events")
	}

	p, ok := byName["frontend-errors"]
	if !ok {
		t.Fatalf("no Pyrra slo.SLO: %v", byName)
	}
	if p.Source != slo.SourcePyrra || p.Objective != 0.99 || p.Window != 28*slo.Day || p.Service != "frontend" {
		t.Errorf("Pyrra slo.SLO = source %q service %q objective %v window %v", p.Source, p.Service, p.Objective, p.Window)
	}
	// Pyrra's windows for 28 days: factors 14, 7, 2, 1 and a 4d long window.
	wantTable(t, p.Name, p.Table(), []slo.AlertWindow{
		{Severity: slo.SeverityPage, Long: time.Hour, Short: 5 * time.Minute, Factor: 14},
		{Severity: slo.SeverityPage, Long: 6 * time.Hour, Short: 30 * time.Minute, Factor: 7},
		{Severity: slo.SeverityTicket, Long: slo.Day, Short: 2 * time.Hour, Factor: 2},
		{Severity: slo.SeverityTicket, Long: 4 * slo.Day, Short: 6 * time.Hour, Factor: 1},
	})
	if q, _ := slo.ErrorRatioQuery(p, 28*slo.Day); q != `avg_over_time(http_requests:burnrate5m{slo="frontend-errors"}[28d])` {
		t.Errorf("Pyrra window ratio query = %q", q)
	}
	ws := slo.RequiredWindows(p)
	if ws[len(ws)-1] != 28*slo.Day || ws[0] != 5*time.Minute {
		t.Errorf("required windows = %v", ws)
	}
}

func TestFromRulesPyrraGenericRules(t *testing.T) {
	// Pyrra with alerting disabled but --generic-rules on: the objective
	// and window come from pyrra_objective and pyrra_window, and without
	// alert rules there is no table to judge by, which the note says.
	rules := parseRuleFile(t, []byte(`
groups:
- name: api-latency
  rules:
  - record: http_request_duration_seconds:burnrate5m
    expr: (sum(rate(x_count[5m])) - sum(rate(x_bucket{le="0.5"}[5m]))) / sum(rate(x_count[5m]))
    labels: {slo: api-latency}
  - record: pyrra_objective
    expr: "0.95"
    labels: {slo: api-latency}
  - record: pyrra_window
    expr: "604800"
    labels: {slo: api-latency}
`))
	slos, notes := slo.FromRules(rules)
	if len(slos) != 0 || len(notes) != 1 || !strings.Contains(notes[0], "api-latency") || !strings.Contains(notes[0], "no burn-rate alerts") {
		t.Errorf("slos %v notes %q", slos, notes)
	}
}

func TestFromRulesIgnoresOtherRules(t *testing.T) {
	rules := parseRuleFile(t, []byte(`
groups:
- name: team
  rules:
  - record: job:http_requests:rate5m
    expr: sum by (job) (rate(http_requests_total[5m]))
  - record: slo_like:burnrate5m
    expr: vector(1)
    labels: {team: a}
  - alert: High
    expr: job:http_requests:rate5m > (2 * 3) and up > (1 * 1)
`))
	if slos, notes := slo.FromRules(rules); len(slos) != 0 || len(notes) != 0 {
		t.Errorf("slos %v notes %v from rules no generator wrote", slos, notes)
	}
}

func TestFromRulesSlothWithoutObjective(t *testing.T) {
	var keep []prom.Rule
	for _, r := range ruleFile(t, "../scripts/stack/rules/sloth-checkout.yml") {
		if r.Name != "slo:objective:ratio" && r.Name != "sloth_slo_info" {
			keep = append(keep, r)
		}
	}
	slos, notes := slo.FromRules(keep)
	if len(slos) != 0 || len(notes) != 1 || !strings.Contains(notes[0], "no objective") {
		t.Errorf("slos %v notes %q", slos, notes)
	}
}

func TestExclusionsFromPlannedWork(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	ws := []slo.PlannedWork{
		{Kind: "maintenance", Title: "db failover", Services: []string{"payments"}, From: now.Add(-3 * time.Hour), To: now.Add(-2 * time.Hour)},
		{Kind: "drill", Title: "game day", From: now.Add(-30 * time.Minute)}, // still open: runs until now
		{Kind: "incident", Title: "real outage", From: now.Add(-5 * time.Hour), To: now.Add(-4 * time.Hour)},
	}
	ex := slo.FromPlannedWork(ws, now)
	if len(ex) != 2 || ex[0].Kind != "maintenance" || ex[1].Kind != "drill" || !ex[1].To.Equal(now) {
		t.Fatalf("exclusions: %+v", ex)
	}
	slos := slo.ApplyExclusions([]slo.SLO{{Name: "pay", Service: "payments"}, {Name: "chk", Service: "checkout"}}, ex)
	if len(slos[0].Exclusions) != 2 || len(slos[1].Exclusions) != 1 || slos[1].Exclusions[0].Reason != "game day" {
		t.Errorf("payments gets the maintenance and the drill, checkout only the drill: %+v / %+v", slos[0].Exclusions, slos[1].Exclusions)
	}
}
