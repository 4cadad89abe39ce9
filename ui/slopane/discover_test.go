package slopane

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/slotest"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fakeRules serves a rules API answer.
type fakeRules struct {
	rules []prom.Rule
	err   error
}

func (f fakeRules) Rules(context.Context) ([]prom.Rule, error) { return f.rules, f.err }

// stackRules reads the dev stack's Sloth-shaped rule file.
func stackRules(t *testing.T) []prom.Rule {
	t.Helper()
	rules, err := slotest.ReadRuleFile("../../scripts/stack/rules/sloth-checkout.yml")
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func discoveryModel(t *testing.T, rl slo.RuleLister, w, h int, configured []slo.SLO) *Model {
	t.Helper()
	return newModel(t, plain(w, h), panetest.NewClock(fixedNow), Config{Source: burning(), Rules: rl, SLOs: configured,
		Searched: slo.Searched{ConfigFile: "/etc/reltui/config.yaml", Context: "prod", Rules: "http://prom:9090"}})
}

// plain is a w×h shot without colour.
func plain(w, h int) panetest.Shot {
	s := panetest.Plain()
	s.W, s.H = w, h
	return s
}

func TestNoSLOsAnywhereSaysSoAndHow(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		m := discoveryModel(t, fakeRules{}, sz[0], sz[1], nil)
		if v := m.View(); !strings.Contains(v, "Looking for SLOs") {
			t.Errorf("before the search:\n%s", v)
		}
		settle(m, m.Init())
		v := m.View()
		for _, want := range []string{"No SLOs found", `context "prod"`, "/etc/reltui/config.yaml", "Prometheus rules at http://prom:9090", "Sloth", "Pyrra", "To add one"} {
			if !strings.Contains(v, want) {
				t.Errorf("%v: view lacks %q:\n%s", sz, want, v)
			}
		}
		panetest.CheckFrame(t, "none found", v, sz[0])
	}
}

func TestRulesAPIErrorIsSaid(t *testing.T) {
	m := discoveryModel(t, fakeRules{err: errors.New("403 forbidden")}, 200, 50, nil)
	settle(m, m.Init())
	if v := m.View(); !strings.Contains(v, "could not be read: 403 forbidden") {
		t.Errorf("view:\n%s", v)
	}
}

func TestDiscoveredSLOsJoinTheConfiguredOnes(t *testing.T) {
	m := discoveryModel(t, fakeRules{rules: stackRules(t)}, 200, 50, testSLOs()[:1])
	settle(m, m.Init())
	if len(m.items) != 2 || m.items[0].s.Name != "payments-availability" || m.items[1].s.Name != "checkout-requests-availability" {
		t.Fatalf("items: %v", m.items)
	}
	panetest.Press(m, "down")
	v := m.View()
	if !strings.Contains(v, "from Sloth rules") || !strings.Contains(v, "14.4×") {
		t.Errorf("the discovered SLO's detail lacks its source or Sloth's factor:\n%s", v)
	}
}

func TestExcludedPeriodShowsOnChartAndBudget(t *testing.T) {
	s := testSLOs()[0]
	s.Exclusions = []slo.Exclusion{{From: fixedNow.Add(-3 * time.Hour), To: fixedNow.Add(-2 * time.Hour), Kind: "maintenance"}}
	m := discoveryModel(t, nil, 120, 40, []slo.SLO{s})
	settle(m, m.Init())
	v := m.View()
	if !strings.Contains(v, "░") || !strings.Contains(v, "excluded") {
		t.Errorf("chart does not mark the excluded hour:\n%s", v)
	}
	if !strings.Contains(v, "1 maintenance period left out of the budget") {
		t.Errorf("sentence does not say what was excluded:\n%s", v)
	}
	panetest.CheckFrame(t, "exclusion", v, 120)
}

// fakeIncidents serves a list of incidents.
type fakeIncidents []incidents.Incident

func (f fakeIncidents) List(context.Context, incidents.Filter) ([]incidents.Incident, error) {
	return f, nil
}

func TestMaintenanceIncidentIsLeftOutOfItsServicesBudgets(t *testing.T) {
	m := newModel(t, plain(200, 50), panetest.NewClock(fixedNow), Config{Source: burning(), SLOs: testSLOs(), Incidents: fakeIncidents{
		{Title: "db failover", Kind: incidents.KindMaintenance, Services: []string{"payments"},
			Milestones: incidents.Milestones{Started: fixedNow.Add(-3 * time.Hour), Resolved: fixedNow.Add(-2 * time.Hour)}},
		{Title: "outage", Kind: incidents.KindIncident, Milestones: incidents.Milestones{Started: fixedNow.Add(-time.Hour)}},
	}})
	settle(m, m.Init())
	for _, it := range m.items {
		want := 0
		if it.s.Service == "payments" {
			want = 1
		}
		if len(it.eval.Excluded) != want {
			t.Errorf("%s: %d excluded periods, want %d", it.s.Name, len(it.eval.Excluded), want)
		}
	}
	if v := m.View(); !strings.Contains(v, "1 maintenance period left out of the budget") {
		t.Errorf("view:\n%s", v)
	}
}
