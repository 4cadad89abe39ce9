//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// drillConfig is isolatedConfig with the demo's drill scenario added to
// the dev context: the demo's own fault injection over its control API.
func drillConfig(t *testing.T, st stacktest.Stack) string {
	t.Helper()
	cfg := isolatedConfig(t, st)
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	drills := fmt.Sprintf(`    drills:
      - name: payments-errors
        description: payments answers 5xx for two minutes
        inject:
          http: {method: POST, url: "http://%s/faults/errors?for=2m"}
        alert: PaymentsErrorBurst
        runbook: PaymentsErrorBurst.md
        services: [payments]
        timeout: 4m
`, st.DemoControl)
	if strings.Contains(string(b), "\n    drills:\n") {
		// A stack started since scripts/stack/up.sh names the scenario.
		return cfg
	}
	body := strings.Replace(string(b), "\nincidents:\n", "\n"+drills+"incidents:\n", 1)
	if body == string(b) {
		t.Fatal("could not place the drills block")
	}
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// endDrillFaults ends the errors windows injected since from (the drill's
// own, through the binary), leaving everyone else's.
func endDrillFaults(t *testing.T, ctl *demo.Control, from time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := ctl.Status(ctx)
	if err != nil {
		t.Logf("demo status: %v", err)
		return
	}
	for _, w := range s.Manual {
		if w.Kind == fault.Errors && !w.Start.Before(from) && w.End.After(s.Now) {
			if _, err := ctl.End(ctx, w); err != nil {
				t.Logf("end drill fault %s: %v", w.ID, err)
			}
		}
	}
}

// TestE2EDrillStartDetectsFromRealAlert runs `reltui drill start` on the
// demo scenario against the real Prometheus and demo workload: started is
// the injection time, detected is the firing time of the expected alert
// (equal to its activeAt, the rule having for: 0m, and within one
// evaluation interval of the first firing ALERTS sample Prometheus wrote),
// the drill is left out of `incident stats` and reported by --kind drill.
func TestE2EDrillStartDetectsFromRealAlert(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	cfg := drillConfig(t, st)
	ctl, err := demo.NewControl(st.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitCalmPayments(t, st, bin, cfg)
	before := time.Now()
	t.Cleanup(func() { endDrillFaults(t, ctl, before.Add(-time.Second)) })
	code, out, errOut := runBin(t, bin, "--config", cfg, "drill", "start", "payments-errors", "--as", "gameday", "-o", "json")
	if code != 0 {
		t.Fatalf("drill start: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	after := time.Now()
	var v incidents.View
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if v.Kind != incidents.KindDrill || v.Milestones.Started == nil || v.Milestones.Detected == nil {
		t.Fatalf("kind %s, started %v, detected %v", v.Kind, v.Milestones.Started, v.Milestones.Detected)
	}
	started, detected := *v.Milestones.Started, *v.Milestones.Detected
	if started.Before(before.Add(-time.Millisecond)) || started.After(after) {
		t.Fatalf("started %s is not the injection time (between %s and %s)", started, before, after)
	}
	// The injected window, as the demo reports it, began at the
	// injection.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := ctl.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var win *fault.Window
	for i, w := range s.Manual {
		if w.Kind == fault.Errors && !w.Start.Before(before.Add(-time.Second)) {
			win = &s.Manual[i]
		}
	}
	if win == nil || win.Start.Sub(started) > 2*time.Second || win.Start.Before(started.Add(-time.Second)) {
		t.Fatalf("the demo's errors window %+v does not start at the drill's started %s", win, started)
	}

	// The alert as Prometheus holds it: detected is its activeAt.
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := pc.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var active time.Time
	for _, a := range alerts {
		if a.Name == "PaymentsErrorBurst" && !a.ActiveAt.Before(started) {
			active = incidents.Normalize(a.ActiveAt)
		}
	}
	if active.IsZero() || !detected.Equal(active) {
		t.Fatalf("detected %s; PaymentsErrorBurst's activeAt since the injection is %s", detected, active)
	}
	// And within one evaluation interval of the first firing sample of
	// ALERTS after the injection (every 15s for the demo's group).
	const evalInterval = 15 * time.Second
	series, _, err := pc.QueryRange(ctx, `ALERTS{alertname="PaymentsErrorBurst",alertstate="firing"}`, started, time.Now(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var first time.Time
	for _, sr := range series {
		if len(sr.Samples) > 0 && (first.IsZero() || sr.Samples[0].Time.Before(first)) {
			first = sr.Samples[0].Time
		}
	}
	if first.IsZero() || absDur(first.Sub(detected)) > evalInterval {
		t.Fatalf("detected %s; the first firing ALERTS sample since the injection is at %s (want within %s)", detected, first, evalInterval)
	}
	t.Logf("injected %s, window %s, alert fired %s (first ALERTS firing sample %s): MTTD %s",
		started.Format(time.RFC3339Nano), win.Start.Format(time.RFC3339Nano), detected.Format(time.RFC3339Nano), first.Format(time.RFC3339Nano), detected.Sub(started))
	if v.MTTDSeconds == nil || absDur(time.Duration(*v.MTTDSeconds*float64(time.Second))-detected.Sub(started)) > time.Microsecond {
		t.Fatalf("MTTD %v; want %s", v.MTTDSeconds, detected.Sub(started))
	}
	var runbook, injected, evidence bool
	for _, e := range v.Events {
		runbook = runbook || strings.Contains(e.Text, "drill runbook: PaymentsErrorBurst.md")
		injected = injected || strings.HasPrefix(e.Text, "drill fault injected: POST http://"+st.DemoControl)
		evidence = evidence || (e.Evidence != nil && strings.Contains(e.Evidence.Query, `alertname="PaymentsErrorBurst"`))
	}
	if !runbook || !injected || !evidence {
		t.Fatalf("timeline lacks the runbook (%v), the injection (%v) or the alert evidence (%v): %+v", runbook, injected, evidence, v.Events)
	}

	// Left out of incident stats, reported by --kind drill.
	type stats struct {
		Count    int            `json:"count"`
		Excluded map[string]int `json:"excluded_by_kind"`
		MTTD     struct {
			Count int      `json:"count"`
			Mean  *float64 `json:"mean"`
		} `json:"mttd_seconds"`
	}
	read := func(args ...string) stats {
		code, out, errOut := runBin(t, bin, append([]string{"--config", cfg, "incident", "stats", "--since", "1h", "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("incident stats %v: exit %d: %s", args, code, errOut)
		}
		var s stats
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return s
	}
	if s := read(); s.Count != 0 || s.Excluded["drill"] != 1 {
		t.Fatalf("incident stats counts %d incidents, %d drills left out; want 0 and 1", s.Count, s.Excluded["drill"])
	}
	s2 := read("--kind", "drill")
	if s2.Count != 1 || s2.MTTD.Count != 1 || s2.MTTD.Mean == nil || math.Abs(*s2.MTTD.Mean-*v.MTTDSeconds) > 1e-6 {
		t.Fatalf("stats --kind drill: %+v; want the one drill with MTTD %v", s2, *v.MTTDSeconds)
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
