//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// expectedRatio is the error ratio of each event SLO the dev stack's
// config declares (scripts/stack/slos.yaml), written out by hand,
// independently of the slo package's query builder; W is the window.
var expectedRatio = map[string]string{
	"payments-availability": `sum(rate(http_requests_total{service="payments",code=~"5.."}[W])) / sum(rate(http_requests_total{service="payments"}[W]))`,
	"checkout-availability": `sum(rate(http_requests_total{service="checkout",code=~"5.."}[W])) / sum(rate(http_requests_total{service="checkout"}[W]))`,
	"payments-latency":      `1 - sum(rate(http_request_duration_seconds_bucket{service="payments",le="1"}[W])) / sum(rate(http_request_duration_seconds_count{service="payments"}[W]))`,
}

var expectedObjective = map[string]float64{
	"payments-availability": 0.999, "checkout-availability": 0.999, "payments-latency": 0.99,
}

type sloReport struct {
	Name            string   `json:"name"`
	Objective       float64  `json:"objective"`
	Window          string   `json:"window"`
	Status          string   `json:"status"`
	BudgetRemaining *float64 `json:"budget_remaining"`
	BurnRates       []struct {
		Long      string   `json:"long"`
		Short     string   `json:"short"`
		Factor    float64  `json:"factor"`
		LongRate  *float64 `json:"long_rate"`
		ShortRate *float64 `json:"short_rate"`
		Firing    bool     `json:"firing"`
		Severity  string   `json:"severity"`
	} `json:"burn_rates"`
}

func TestSLOAndLagAgainstRealStack(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	cfg := []string{"--config", st.ConfigPath}
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}

	// Every burn rate of every SLO, long and short window, against the same
	// PromQL evaluated directly at the same instant (--at), so the numbers
	// cannot drift apart while faults come and go. Both sides run on the
	// stack's Prometheus 2.42, so its range semantics (a range includes a
	// sample exactly at its start, unlike Prometheus 3) apply to both.
	t.Run("slo json burn rates match PromQL at every window", func(t *testing.T) {
		eventually(t, 60*time.Second, func() error {
			at := time.Now().Add(-30 * time.Second).Truncate(time.Second).UTC()
			code, out, errs := runBin(t, bin, append([]string{"slo", "--output", "json", "--at", at.Format(time.RFC3339)}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var reports []sloReport
			if err := json.Unmarshal([]byte(out), &reports); err != nil {
				return fmt.Errorf("%v\n%s", err, out)
			}
			seen := 0
			for _, r := range reports {
				if _, ok := expectedRatio[r.Name]; ok {
					seen++
				}
			}
			if seen != len(expectedRatio) {
				return fmt.Errorf("got %d of the %d configured event SLOs:\n%s", seen, len(expectedRatio), out)
			}
			direct := func(tpl, w string) (float64, error) {
				series, _, err := pc.Query(context.Background(), strings.ReplaceAll(tpl, "[W]", "["+w+"]"), at)
				if err != nil {
					return 0, err
				}
				if len(series) != 1 || len(series[0].Samples) != 1 {
					return math.NaN(), nil
				}
				return series[0].Samples[0].Value, nil
			}
			checked := 0
			for _, r := range reports {
				tpl, ok := expectedRatio[r.Name]
				if !ok {
					continue // the lag SLO and the discovered ones have their own tests
				}
				if r.Objective != expectedObjective[r.Name] || r.Window != "30d" {
					return fmt.Errorf("%s: objective %v window %s", r.Name, r.Objective, r.Window)
				}
				switch r.Status {
				case "page", "ticket", "ok", "no-data", "insufficient traffic":
				default:
					return fmt.Errorf("%s: status %q", r.Name, r.Status)
				}
				if r.BudgetRemaining == nil {
					return fmt.Errorf("%s: no budget_remaining though 30 days are backfilled", r.Name)
				}
				if len(r.BurnRates) != 4 {
					return fmt.Errorf("%s: %d burn rates", r.Name, len(r.BurnRates))
				}
				for _, b := range r.BurnRates {
					for _, side := range []struct {
						w   string
						got *float64
					}{{b.Long, b.LongRate}, {b.Short, b.ShortRate}} {
						ratio, err := direct(tpl, side.w)
						if err != nil {
							return err
						}
						if math.IsNaN(ratio) {
							if side.got != nil {
								return fmt.Errorf("%s %s: reltui says %v, PromQL has no value", r.Name, side.w, *side.got)
							}
							continue
						}
						want := ratio / (1 - r.Objective)
						if side.got == nil {
							return fmt.Errorf("%s %s: reltui has no rate, PromQL says %v", r.Name, side.w, want)
						}
						if d := math.Abs(*side.got - want); d > 0.01*math.Abs(want) && d > 1e-9 {
							return fmt.Errorf("%s %s: burn %v, PromQL says %v", r.Name, side.w, *side.got, want)
						}
						checked++
					}
				}
				t.Logf("%s: status %s, 1h burn %s", r.Name, r.Status, fmtRate(r.BurnRates[0].LongRate))
			}
			if checked < len(expectedRatio)*8 {
				return fmt.Errorf("only %d of %d burn rates had a value to compare", checked, len(expectedRatio)*8)
			}
			return nil
		})
	})

	t.Run("slo text and unknown name", func(t *testing.T) {
		code, out, errs := runBin(t, bin, append([]string{"slo", "payments-availability"}, cfg...)...)
		if code != 0 || len(out) == 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		code, _, errs = runBin(t, bin, append([]string{"slo", "no-such-slo"}, cfg...)...)
		if code != 1 || len(errs) == 0 {
			t.Fatalf("unknown name: exit %d: %s", code, errs)
		}
	})

	t.Run("lag json has the three orders-consumer partitions", func(t *testing.T) {
		eventually(t, 60*time.Second, func() error {
			code, out, errs := runBin(t, bin, append([]string{"lag", "--group", "orders-consumer", "--output", "json"}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var rows []struct {
				Group     string   `json:"group"`
				Topic     string   `json:"topic"`
				Partition int      `json:"partition"`
				LagMsgs   *float64 `json:"lag_messages"`
				LagSecs   *float64 `json:"lag_seconds"`
				Method    string   `json:"lag_seconds_method"`
				Status    string   `json:"status"`
			}
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				return fmt.Errorf("%v\n%s", err, out)
			}
			if len(rows) != 3 {
				return fmt.Errorf("want 3 partitions, got %d:\n%s", len(rows), out)
			}
			for i, r := range rows {
				if r.Group != "orders-consumer" || r.Partition != i || r.Topic == "" || r.LagMsgs == nil {
					return fmt.Errorf("row %d: %+v", i, r)
				}
				if r.Method != "interpolated" && r.Method != "rate" && r.Method != "unknown" {
					return fmt.Errorf("row %d: lag_seconds_method %q", i, r.Method)
				}
				if r.Status == "" {
					return fmt.Errorf("row %d: no status", i)
				}
			}
			return nil
		})
	})
}

func fmtRate(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *v)
}

// The demo's error fault (payments answers 5xx to ~30% of charges) turns
// payments-availability to page. Other tests may inject faults at the same
// time, so the test only asks for what its own burst must cause: page,
// with the 1h/5m condition firing, within a deadline.
func TestErrorBurstPagesPaymentsAvailability(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	ctl, err := demo.NewControl(st.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	injectOwnFault(t, ctl, fault.Errors, 8*time.Minute)
	var last string
	deadline := time.Now().Add(8 * time.Minute)
	for time.Now().Before(deadline) {
		code, out, errs := runBin(t, bin, "slo", "payments-availability", "--output", "json", "--config", st.ConfigPath)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var rs []sloReport
		if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) != 1 {
			t.Fatalf("%v\n%s", err, out)
		}
		r := rs[0]
		last = fmt.Sprintf("status %s, 1h %s, 5m %s", r.Status, fmtRate(r.BurnRates[0].LongRate), fmtRate(r.BurnRates[0].ShortRate))
		// An earlier burst (another test's) may already page through a
		// longer row; this burst must make the 1h/5m row fire.
		if c := r.BurnRates[0]; r.Status == "page" && c.Firing {
			if c.LongRate == nil || *c.LongRate < 14.4 || c.ShortRate == nil || *c.ShortRate < 14.4 {
				t.Fatalf("the 1h/5m row fires below 14.4×: %+v", c)
			}
			t.Logf("paged: %s", last)
			return
		}
		time.Sleep(15 * time.Second)
	}
	t.Fatalf("payments-availability did not page within 8 minutes of the error burst; last: %s", last)
}
