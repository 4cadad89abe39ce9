package incidents

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func TestConditionStart(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(s ...int) []time.Time {
		var out []time.Time
		for _, x := range s {
			out = append(out, t0.Add(time.Duration(x)*time.Second))
		}
		return out
	}
	step := 5 * time.Second
	cases := []struct {
		name  string
		held  []time.Time
		until int
		want  int
		ok    bool
	}{
		{"unbroken run", at(0, 5, 10, 15, 20), 20, 0, true},
		{"an earlier run is a different episode", at(0, 5, 40, 45, 50), 50, 40, true},
		{"one missed step is not a recovery", at(20, 25, 35, 40), 40, 20, true},
		{"not holding at until", at(0, 5), 30, 0, false},
		{"nothing", nil, 30, 0, false},
	}
	// Held only at until, answered rounded up to the millisecond (as
	// Prometheus does with an activeAt in microseconds).
	until := t0.Add(20*time.Second + 549825*time.Microsecond)
	if got, ok := ConditionStart([]time.Time{until.Round(time.Millisecond)}, step, until); !ok || !got.Equal(until.Round(time.Millisecond)) {
		t.Errorf("a point at until rounded to the millisecond: got %v %v", got, ok)
	}
	for _, c := range cases {
		got, ok := ConditionStart(c.held, step, t0.Add(time.Duration(c.until)*time.Second))
		if ok != c.ok || (ok && !got.Equal(t0.Add(time.Duration(c.want)*time.Second))) {
			t.Errorf("%s: got %v %v, want +%ds %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestMilestonesFromAlert(t *testing.T) {
	active := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	series := []sources.Series{{Samples: []sources.Sample{
		{Time: active.Add(-40 * time.Second), Value: 0.2},
		{Time: active.Add(-35 * time.Second), Value: math.NaN()},
		{Time: active.Add(-30 * time.Second), Value: 0.3},
		{Time: active.Add(-25 * time.Second), Value: 0.3},
		{Time: active, Value: 0.4},
	}}, {Samples: []sources.Sample{{Time: active.Add(-20 * time.Second), Value: 1}, {Time: active.Add(-15 * time.Second), Value: 1}, {Time: active.Add(-10 * time.Second), Value: 1}, {Time: active.Add(-5 * time.Second), Value: 1}}}}
	a := sources.Alert{Name: "X", ActiveAt: active, Source: "prometheus"}
	rule := AlertRule{Query: "ratio > 0.05", For: 2 * time.Minute, Interval: 15 * time.Second}
	m := MilestonesFromAlert(a, rule, HeldAt(series), nil, 5*time.Second, active.Add(-time.Hour), active.Add(10*time.Minute))
	if !m.Started.Equal(active.Add(-40*time.Second)) || !m.Detected.Equal(active.Add(2*time.Minute)) {
		t.Fatalf("started %v detected %v; want activeAt-40s and activeAt+for", m.Started, m.Detected)
	}
	if m.StartedSuggestion.Query != rule.Query || !strings.Contains(m.DetectedSuggestion.Method, "for (2m0s)") {
		t.Fatalf("suggestions %+v %+v", m.StartedSuggestion, m.DetectedSuggestion)
	}
	// Declared while the alert was still pending: the person detected it.
	m = MilestonesFromAlert(a, rule, HeldAt(series), nil, 5*time.Second, active.Add(-time.Hour), active.Add(time.Minute))
	if !m.Detected.Equal(active.Add(time.Minute)) || m.DetectedSuggestion.Method != "declared before the alert fired" {
		t.Fatalf("detected %v %+v", m.Detected, m.DetectedSuggestion)
	}
	// No data: started falls back to activeAt and says so.
	m = MilestonesFromAlert(a, rule, nil, nil, 5*time.Second, active.Add(-time.Hour), active.Add(time.Hour))
	if !m.Started.Equal(active) || !strings.Contains(m.StartedSuggestion.Method, "returned nothing") {
		t.Fatalf("no data: %v %+v", m.Started, m.StartedSuggestion)
	}
}

func TestSplitThreshold(t *testing.T) {
	th, ok := SplitThreshold("(sum(rate(e[1m])) / sum(rate(r[1m]))) > 0.05")
	if !ok || !th.Above || th.Value != 0.05 || !strings.Contains(th.Signal, "sum(rate(e[1m]))") {
		t.Fatalf("split %+v %v", th, ok)
	}
	if th, ok := SplitThreshold("up < 1"); !ok || th.Above || th.Signal != "up" {
		t.Fatalf("below: %+v %v", th, ok)
	}
	for _, bad := range []string{"up", "up > bool 1", "a > b", "rate(x[5m]"} {
		if _, ok := SplitThreshold(bad); ok {
			t.Errorf("SplitThreshold(%q) accepted", bad)
		}
	}
}

// TestSignalOnset: a ratio that sits at 1% and climbs from 12:00:30 to
// cross 5% at 12:00:50 began at 12:00:30, not at the crossing.
func TestSignalOnset(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var s sources.Series
	for i := -300; i <= 60; i += 5 {
		v := 0.01
		if i >= 30 {
			v = 0.01 + float64(i-25)*0.002 // 0.02 at +30s, 0.06 at +50s
		}
		s.Samples = append(s.Samples, sources.Sample{Time: t0.Add(time.Duration(i) * time.Second), Value: v})
	}
	th := Threshold{Signal: "ratio", Value: 0.05, Above: true}
	crossing := t0.Add(50 * time.Second)
	on, base, ok := SignalOnset([]sources.Series{s}, th, crossing, crossing.Add(-3*time.Minute))
	if !ok || !on.Equal(t0.Add(30*time.Second)) || base != 0.01 {
		t.Fatalf("onset %v base %v ok %v; want 12:00:30, 0.01", on, base, ok)
	}
	// A threshold below the baseline says nothing about an onset.
	if _, _, ok := SignalOnset([]sources.Series{s}, Threshold{Value: 0.001, Above: true}, crossing, crossing.Add(-3*time.Minute)); ok {
		t.Fatal("onset found for a threshold below the baseline")
	}
}

// TestSignalOnsetIgnoresNoise: a calm that wobbles up to 3% does not
// make a 3% wobble just before the rise look like the onset.
func TestSignalOnsetIgnoresNoise(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var s sources.Series
	for i := -600; i <= 60; i += 5 {
		v := 0.01
		switch {
		case i%60 == 0 && i < 0:
			v = 0.03 // the calm's wobble
		case i >= 30:
			v = 0.04 + float64(i-30)*0.002
		}
		s.Samples = append(s.Samples, sources.Sample{Time: t0.Add(time.Duration(i) * time.Second), Value: v})
	}
	on, _, ok := SignalOnset([]sources.Series{s}, Threshold{Value: 0.05, Above: true}, t0.Add(55*time.Second), t0.Add(-2*time.Minute))
	if !ok || !on.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("onset %v %v; want 12:00:30 (the wobble at 12:00:00 is noise)", on, ok)
	}
}

// FuzzSplitThreshold: rule expressions come from the server; whatever
// they hold, splitting never panics and a split's signal parses again.
func FuzzSplitThreshold(f *testing.F) {
	for _, s := range []string{"up > 1", "(a / b) >= 0.05", "rate(x[5m]) < bool 1", "sum by (x) (y) > 3", "a > b", "", ")(", "x > -Inf", "1 > 0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, ok := SplitThreshold(s)
		if !ok {
			return
		}
		if _, ok2 := SplitThreshold(th.Signal + " > 1"); !ok2 && th.Signal != "" {
			t.Fatalf("signal %q of %q does not parse again", th.Signal, s)
		}
	})
}
