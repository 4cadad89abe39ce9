//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// TestAlertsStatsAgainstRealPrometheus checks `reltui alerts stats` on the
// dev stack's Prometheus, whose DemoFlappingProbe rule (scripts/stack/
// noise-rules.yml) fires for 30s of every 2 minutes: it must come first,
// with fired and flap counts equal to those this test computes itself from
// the raw ALERTS samples of the same period.
func TestAlertsStatsAgainstRealPrometheus(t *testing.T) {
	t.Parallel() // reads only; waits for the probe beside the fault tests
	st := stacktest.Require(t)
	bin := buildBinary(t)
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}
	const period, flapWindow, every = 20 * time.Minute, 5 * time.Minute, 15 * time.Second
	type counts struct{ fired, flaps int }
	var (
		at   time.Time
		want map[string]counts
	)
	// On a stack that has just started the probe has fired only a few
	// times: wait (beside the other tests) until it has fired four times.
	eventually(t, 10*time.Minute, func() error {
		at = time.Now().Add(-5 * time.Second).Truncate(time.Second).UTC()
		// The raw samples, split into firings independently of alertnoise:
		// a firing ends when the next sample is more than one evaluation late.
		raw, _, err := pc.Query(context.Background(), fmt.Sprintf(`ALERTS{alertstate="firing"}[%ds]`, int(period.Seconds())), at)
		if err != nil {
			return err
		}
		want = map[string]counts{}
		for _, s := range raw {
			c := want[s.Labels["alertname"]]
			for i, p := range s.Samples {
				if i > 0 && p.Time.Sub(s.Samples[i-1].Time) <= every+every/2 {
					continue // the same firing, one evaluation later
				}
				c.fired++
				// A new firing; the previous one's last sample is just before.
				if i > 0 && p.Time.Sub(s.Samples[i-1].Time) <= flapWindow+every {
					c.flaps++
				}
			}
			want[s.Labels["alertname"]] = c
		}
		if w := want["DemoFlappingProbe"]; w.fired < 4 {
			return fmt.Errorf("DemoFlappingProbe fired %d times in the last %s (scripts/stack/noise-rules.yml fires it every 2 minutes; want 4)", w.fired, period)
		}
		return nil
	})

	code, out, errs := runBin(t, bin, "--config", st.ConfigPath, "alerts", "stats", "--output", "json", "--no-incidents",
		"--since", period.String(), "--flap-window", flapWindow.String(), "--at", at.Format(time.RFC3339))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Rules []struct {
			Rule           string   `json:"rule"`
			Fired          int      `json:"fired"`
			Flaps          int      `json:"flaps"`
			ActionableRate *float64 `json:"actionable_rate"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Rules) == 0 || rep.Rules[0].Rule != "DemoFlappingProbe" {
		t.Fatalf("the flapping rule is not ranked first:\n%s", out)
	}
	seen := map[string]bool{}
	for _, r := range rep.Rules {
		seen[r.Rule] = true
		w := want[r.Rule]
		if r.Fired != w.fired || r.Flaps != w.flaps {
			t.Errorf("%s: fired %d flaps %d, the raw series give fired %d flaps %d", r.Rule, r.Fired, r.Flaps, w.fired, w.flaps)
		}
		if r.ActionableRate != nil {
			t.Errorf("%s: an actionable rate without reading incidents", r.Rule)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s fired but is missing from the report", name)
		}
	}
	for _, name := range []string{"PaymentsErrorBurst", "ConsumerLagHigh"} {
		if !seen[name] {
			t.Errorf("the rules API's %s is missing from the report", name)
		}
	}

	code, text, errs := runBin(t, bin, "--config", st.ConfigPath, "alerts", "stats", "--no-incidents", "--since", period.String(), "--at", at.Format(time.RFC3339))
	if code != 0 || len(text) == 0 {
		t.Fatalf("text output: exit %d: %s", code, errs)
	}
}
