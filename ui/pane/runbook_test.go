package pane

import "testing"

func TestRunbookPivotRoundTrip(t *testing.T) {
	p := RunbookPivot("PaymentsErrorBurst", "payments", 7)
	if p.Target != TargetAlerts {
		t.Fatalf("target %q", p.Target)
	}
	name, svc, id, ok := p.Runbook()
	if !ok || name != "PaymentsErrorBurst" || svc != "payments" || id != 7 {
		t.Fatalf("Runbook() = %q %q %d %v", name, svc, id, ok)
	}
	for _, other := range []PivotMsg{
		{Target: TargetAlerts, Query: "PaymentsErrorBurst"},
		{Target: TargetLogs, Query: p.Query},
		{Target: TargetAlerts, Query: "runbook: incident:3"},
		{Target: TargetAlerts, Query: "runbook:X incident:-1"},
		{Target: TargetAlerts, Query: "runbook:X incident:two"},
	} {
		if _, _, _, ok := other.Runbook(); ok {
			t.Errorf("%+v read as a runbook pivot", other)
		}
	}
}

func TestIncidentPivot(t *testing.T) {
	if p := IncidentPivot(42); p.Target != TargetIncidents || p.Query != "incident:42" {
		t.Fatalf("IncidentPivot(42) = %+v", p)
	}
}
