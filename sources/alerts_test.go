package sources

import (
	"slices"
	"testing"
	"time"
)

func TestMergeAlertsJoinsByFingerprint(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	prom := []Alert{
		{Name: "HighErrorRate", State: "pending", Value: "0.2", Fingerprint: "a", Source: "prometheus", ActiveAt: t0},
		{Name: "NoFingerprint", State: "firing", Source: "prometheus"},
		{Name: "DiskFull", State: "firing", Fingerprint: "b", Source: "prometheus", ActiveAt: t0.Add(time.Minute)},
	}
	am := []Alert{
		{Name: "DiskFull", State: "suppressed", Fingerprint: "b", Source: "alertmanager"},
		{Name: "NoFingerprint", State: "active", Source: "alertmanager"},
		{Name: "HighErrorRate", State: "active", Fingerprint: "a", Source: "alertmanager"},
		{Name: "OnlyAM", State: "active", Fingerprint: "c", Source: "alertmanager"},
		{Name: "OnlyAM", State: "active", Fingerprint: "c", Source: "alertmanager"},
	}
	got := MergeAlerts([][]Alert{prom, am})
	type row struct {
		name, state, value string
		from               []string
		suppressed         bool
	}
	want := []row{
		{"HighErrorRate", "pending", "0.2", []string{"prometheus", "alertmanager"}, false},
		{"NoFingerprint", "firing", "", []string{"prometheus"}, false},
		{"DiskFull", "firing", "", []string{"prometheus", "alertmanager"}, true},
		{"NoFingerprint", "active", "", []string{"alertmanager"}, false},
		{"OnlyAM", "active", "", []string{"alertmanager"}, false},
	}
	if len(got) != len(want) {
		t.Fatalf("%d alerts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || g.State != w.state || g.Value != w.value || !slices.Equal(g.From, w.from) || g.Suppressed != w.suppressed {
			t.Errorf("alert %d = %s %s %q from %v suppressed %v; want %+v", i, g.Name, g.State, g.Value, g.From, g.Suppressed, w)
		}
	}
	// A suppressed first copy is suppressed too; a Prometheus state named
	// "suppressed" is not Alertmanager's word.
	got = MergeAlerts([][]Alert{{{Fingerprint: "x", State: "suppressed", Source: "prometheus"}}, {{Fingerprint: "y", State: "suppressed", Source: "alertmanager"}}})
	if got[0].Suppressed || !got[1].Suppressed {
		t.Errorf("suppressed: %+v", got)
	}
	if got := MergeAlerts(nil); len(got) != 0 {
		t.Errorf("no batches: %+v", got)
	}
}

func TestSortNewestFirstKeepsTiesInOrder(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	as := []Alert{
		{Name: "old", ActiveAt: t0},
		{Name: "tie-prom", ActiveAt: t0.Add(time.Hour), Source: "prometheus"},
		{Name: "never"},
		{Name: "new", ActiveAt: t0.Add(2 * time.Hour)},
		{Name: "tie-am", ActiveAt: t0.Add(time.Hour), Source: "alertmanager"},
	}
	SortNewestFirst(as)
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	if want := []string{"new", "tie-prom", "tie-am", "old", "never"}; !slices.Equal(names, want) {
		t.Errorf("order %v, want %v", names, want)
	}
}
