package alertnoise

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

// samplesAt returns one sample per 15s evaluation for each [from, to)
// offset range, in seconds after t0.
func samplesAt(spans ...[2]int) []sources.Sample {
	var out []sources.Sample
	for _, sp := range spans {
		for s := sp[0]; s < sp[1]; s += 15 {
			out = append(out, sources.Sample{Time: t0.Add(time.Duration(s) * time.Second), Value: 1})
		}
	}
	return out
}

func TestEpisodesSplitsOnGapsAndMarksOpen(t *testing.T) {
	ls := map[string]string{"alertname": "A"}
	fs := Episodes(ls, samplesAt([2]int{0, 30}, [2]int{60, 75}, [2]int{300, 360}), 15*time.Second, t0.Add(360*time.Second))
	if len(fs) != 3 {
		t.Fatalf("got %d firings, want 3: %+v", len(fs), fs)
	}
	if got := fs[0].Duration(15 * time.Second); got != 30*time.Second {
		t.Errorf("first firing lasted %s, want 30s", got)
	}
	if fs[0].Open || fs[1].Open || !fs[2].Open {
		t.Errorf("open flags = %v %v %v, want only the last open", fs[0].Open, fs[1].Open, fs[2].Open)
	}
	// A 15s gap between evaluations is one firing, not two.
	if n := len(Episodes(ls, samplesAt([2]int{0, 300}), 15*time.Second, time.Time{})); n != 1 {
		t.Errorf("continuous samples gave %d firings", n)
	}
}

func TestComputeCountsFlapsSelfResolveAndActionable(t *testing.T) {
	flappy := sources.Series{Labels: map[string]string{"alertname": "Flappy", "alertstate": "firing", "service": "checkout"},
		Samples: samplesAt([2]int{0, 30}, [2]int{120, 150}, [2]int{240, 270}, [2]int{3600, 3630})}
	real := sources.Series{Labels: map[string]string{"alertname": "Real", "alertstate": "firing", "service": "payments"},
		Samples: samplesAt([2]int{0, 600})}
	inc := incidents.Incident{ID: 1, Milestones: incidents.Milestones{Started: t0.Add(60 * time.Second), Resolved: t0.Add(20 * time.Minute)},
		Events: []incidents.Event{{Kind: incidents.KindEvidence, Evidence: &incidents.Evidence{Query: `ALERTS{alertname="Real", service="payments"}`}}}}
	rules := []Rule{{Name: "Flappy", Interval: 15 * time.Second}, {Name: "Real", Interval: 15 * time.Second}, {Name: "Quiet", Interval: 15 * time.Second}}
	got := Compute([]sources.Series{real, flappy}, rules, []incidents.Incident{inc}, Options{From: t0, To: t0.Add(2 * time.Hour), FlapWindow: 5 * time.Minute})
	if len(got) != 3 || got[0].Rule != "Flappy" || got[1].Rule != "Real" || got[2].Rule != "Quiet" {
		t.Fatalf("order = %+v, want Flappy, Real, Quiet", got)
	}
	f := got[0]
	// The fourth firing is an hour after the third: not a flap.
	if f.Fired != 4 || f.Flaps != 2 || f.SelfResolved != 4 || f.Actionable != 0 || f.ActionableRate != 0 {
		t.Errorf("Flappy = %+v", f)
	}
	if f.Firing != 2*time.Minute || f.MedianSelfResolve != 30*time.Second {
		t.Errorf("Flappy firing %s median %s, want 2m and 30s", f.Firing, f.MedianSelfResolve)
	}
	r := got[1]
	if r.Fired != 1 || r.Actionable != 1 || r.ActionableRate != 1 || r.SelfResolved != 0 {
		t.Errorf("Real = %+v", r)
	}
	if q := got[2]; q.Fired != 0 || q.ActionableRate != -1 {
		t.Errorf("Quiet = %+v", q)
	}
}

func TestIncidentForAnotherSeriesIsNotActionable(t *testing.T) {
	s := sources.Series{Labels: map[string]string{"alertname": "A", "alertstate": "firing", "service": "x"}, Samples: samplesAt([2]int{0, 60})}
	inc := incidents.Incident{Milestones: incidents.Milestones{Started: t0},
		Events: []incidents.Event{{Kind: incidents.KindEvidence, Evidence: &incidents.Evidence{Query: `ALERTS{alertname="A", service="y"}`}}}}
	got := Compute([]sources.Series{s}, nil, []incidents.Incident{inc}, Options{From: t0, To: t0.Add(time.Hour)})
	if got[0].Actionable != 0 {
		t.Errorf("an incident about service y made service x's firing actionable: %+v", got[0])
	}
}

func TestParseAlertsQuery(t *testing.T) {
	ls, ok := ParseAlertsQuery(`ALERTS{alertname="PaymentsErrorBurst", service="pay\"ments", severity="page"}`)
	if !ok || ls["alertname"] != "PaymentsErrorBurst" || ls["service"] != `pay"ments` || len(ls) != 3 {
		t.Errorf("got %v %v", ls, ok)
	}
	for _, q := range []string{`up{job="x"}`, `ALERTS{alertname=~"A"}`, `ALERTS{service="x"}`, `ALERTS{alertname="A"`, `ALERTS{alertname="A" x="y"}`} {
		if _, ok := ParseAlertsQuery(q); ok {
			t.Errorf("%q parsed as an alert reference", q)
		}
	}
}

func FuzzParseAlertsQuery(f *testing.F) {
	for _, s := range []string{`ALERTS{alertname="A"}`, `ALERTS{alertname="A", b="c\"d"}`, `ALERTS{}`, `ALERTS{a=}`, "ALERTS{alertname=\"\x1b[31m\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		ls, ok := ParseAlertsQuery(q)
		if ok && ls["alertname"] == "" {
			t.Fatalf("accepted %q without an alertname", q)
		}
	})
}

func TestReportTextAndJSON(t *testing.T) {
	stats := []Stats{{Rule: "A\x1b[31m", Fired: 3, Firing: time.Minute, Flaps: 2, SelfResolved: 3, MedianSelfResolve: 20 * time.Second, ActionableRate: 0}}
	r := NewReport(stats, Options{From: t0, To: t0.Add(time.Hour)}, true)
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), "0%") {
		t.Errorf("text:\n%s", b.String())
	}
	js, _ := json.Marshal(r)
	var back Report
	if err := json.Unmarshal(js, &back); err != nil || back.Rules[0].Flaps != 2 || *back.Rules[0].ActionableRate != 0 || *back.Rules[0].MedianSelfResolveSecs != 20 {
		t.Errorf("json round trip: %s %v", js, err)
	}
	if NewReport(stats, Options{From: t0, To: t0.Add(time.Hour)}, false).Rules[0].ActionableRate != nil {
		t.Error("a rate was reported without reading incidents")
	}
}
