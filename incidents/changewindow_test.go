package incidents_test

import (
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

func TestChangeWindow(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	st := now.Add(-30 * time.Minute)
	with := func(started, resolved time.Time) incidents.Incident {
		var inc incidents.Incident
		inc.Milestones.Started, inc.Milestones.Resolved = started, resolved
		return inc
	}
	if _, _, ok := incidents.ChangeWindow(with(time.Time{}, time.Time{}), now); ok {
		t.Error("an incident with no start has a window")
	}
	from, to, ok := incidents.ChangeWindow(with(st, now.Add(time.Hour)), now)
	if !ok || !from.Equal(st.Add(-incidents.ChangeLead)) || !to.Equal(now) {
		t.Errorf("a resolution in the future: %s – %s %v, want it cut at now", from, to, ok)
	}
	from, to, ok = incidents.ChangeWindow(with(st, st.Add(10*time.Minute)), now)
	if !ok || !from.Equal(st.Add(-incidents.ChangeLead)) || !to.Equal(st.Add(10*time.Minute)) {
		t.Errorf("a resolved incident: %s – %s %v, want it to end at its resolution", from, to, ok)
	}
	if _, _, ok := incidents.ChangeWindow(with(now.Add(2*time.Hour), time.Time{}), now); ok {
		t.Error("an incident starting after now+lead has a window that ends before it begins")
	}
}
