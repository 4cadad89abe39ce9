package demo

import (
	"testing"
	"time"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/demo/shop"
)

// Each scheduled latency fault follows a payments deploy by DeployLead,
// and payments changes version at no other time.
func TestLatencyFaultFollowsAPaymentsDeploy(t *testing.T) {
	origin := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	s := fault.DefaultSchedule(origin, 7)
	var latency []fault.Window
	for _, w := range s.Between(origin, origin.Add(3*s.Period)) {
		if w.Kind == fault.Latency {
			latency = append(latency, w)
		}
	}
	if len(latency) < 2 {
		t.Fatalf("only %d latency windows in three periods", len(latency))
	}
	changes := 0
	prev := versionsAt(&s, origin)[shop.Payments]
	for at := origin; at.Before(origin.Add(3 * s.Period)); at = at.Add(time.Second) {
		v := versionsAt(&s, at)[shop.Payments]
		if v == prev {
			continue
		}
		if changes >= len(latency) || !at.Equal(latency[changes].Start.Add(-DeployLead)) {
			t.Fatalf("payments went %s → %s at %s, not %s before a latency fault", prev, v, at, DeployLead)
		}
		changes++
		prev = v
	}
	if changes != len(latency) {
		t.Fatalf("%d payments deploys for %d latency faults", changes, len(latency))
	}
	if versionsAt(nil, origin.Add(time.Hour))[shop.Payments] != "1.4.0" {
		t.Error("without a schedule nothing is deployed")
	}
}

// After a deploy only the new version's build-info series is pushed.
func TestBuildInfoSeriesFollowTheVersion(t *testing.T) {
	origin := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	s := fault.DefaultSchedule(origin, 7)
	first := s.Between(origin, origin.Add(s.Period))[0]
	reg := meter.New(nil)
	r := newReleases(&s)
	r.update(reg, first.Start.Add(-DeployLead-time.Second))
	r.update(reg, first.Start.Add(-DeployLead))
	var versions []string
	for _, ts := range reg.Snapshot(0) {
		if labelOf(ts, "__name__") == MetricBuildInfo && labelOf(ts, "service") == shop.Payments {
			versions = append(versions, labelOf(ts, "version"))
		}
	}
	if len(versions) != 1 || versions[0] != "1.4.1" {
		t.Fatalf("payments build-info series after the deploy: %v", versions)
	}
}

// labelOf is the value of the series' label called name, or "".
func labelOf(ts promwrite.TimeSeries, name string) string {
	for _, l := range ts.Labels {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}
