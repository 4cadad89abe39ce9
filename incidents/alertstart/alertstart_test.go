package alertstart

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// fakeProm answers the rule and a series that holds from t0-3m on.
type fakeProm struct {
	rulesErr error
	queries  []string
}

func (f *fakeProm) Rules(context.Context) ([]prom.Rule, error) {
	if f.rulesErr != nil {
		return nil, f.rulesErr
	}
	return []prom.Rule{
		{Type: "alerting", Name: "Burst", Query: "other > 1"},
		{Type: "alerting", Name: "Burst", Query: "errs > 0.05", For: time.Minute, Interval: 15 * time.Second,
			Alerts: []sources.Alert{{Fingerprint: "ABC"}}},
	}, nil
}

func (f *fakeProm) QueryRange(_ context.Context, q string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	f.queries = append(f.queries, q)
	if q != "errs > 0.05" {
		return nil, nil, errors.New("signal unavailable")
	}
	var s sources.Series
	for t := from; !t.After(to); t = t.Add(step) {
		if !t.Before(t0.Add(-3 * time.Minute)) {
			s.Samples = append(s.Samples, sources.Sample{Time: t, Value: 0.2})
		}
	}
	return []sources.Series{s}, nil, nil
}

func TestDeclareSuggestsFromTheRule(t *testing.T) {
	a := sources.Alert{Name: "Burst", Fingerprint: "abc", State: "firing", ActiveAt: t0.Add(-2 * time.Minute), Source: "prometheus"}
	f := &fakeProm{}
	r := Declare(context.Background(), f, a, t0, incidents.Grafana{})
	d := r.Declaration
	if !d.Detected.Equal(a.ActiveAt.Add(time.Minute)) {
		t.Errorf("detected %s; want activeAt + for", d.Detected)
	}
	if !d.Started.Equal(t0.Add(-3*time.Minute)) || d.StartedSuggestion == nil {
		t.Errorf("started %s (%+v); want where the expression began to hold", d.Started, d.StartedSuggestion)
	}
	if len(f.queries) != 2 || f.queries[1] != "errs" {
		t.Errorf("queries %q; want the rule (by fingerprint) and its signal", f.queries)
	}
	if len(d.Evidence) != 2 || !strings.Contains(d.Evidence[1].Snapshot, "evaluated backwards") {
		t.Errorf("evidence %+v", d.Evidence)
	}
	if !strings.HasPrefix(r.Said, "suggested started") || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "signal unavailable") {
		t.Errorf("said %q, warnings %q", r.Said, r.Warnings)
	}
}

func TestDeclareFallsBackToTheAlertsTimes(t *testing.T) {
	a := sources.Alert{Name: "Burst", Fingerprint: "abc", ActiveAt: t0.Add(-2 * time.Minute)}
	for name, q := range map[string]Querier{"no prometheus": nil, "rules fail": &fakeProm{rulesErr: errors.New("down")}} {
		r := Declare(context.Background(), q, a, t0, incidents.Grafana{})
		if !r.Declaration.Started.Equal(a.ActiveAt) || !r.Declaration.Detected.Equal(a.ActiveAt) || r.Said != "" || len(r.Warnings) != 1 {
			t.Errorf("%s: %+v", name, r)
		}
	}
	r := Declare(context.Background(), &fakeProm{}, sources.Alert{Name: "Nope", ActiveAt: t0}, t0, incidents.Grafana{})
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "no alerting rule named Nope") {
		t.Errorf("unknown rule: %+v", r.Warnings)
	}
}
