//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// expectedRatio1h is the 1h error ratio of each default SLO written out by
// hand, independently of the slo package's query builder.
var expectedRatio1h = map[string]string{
	"payments-availability": `sum(rate(http_requests_total{service="payments",code=~"5.."}[1h])) / sum(rate(http_requests_total{service="payments"}[1h]))`,
	"checkout-availability": `sum(rate(http_requests_total{service="checkout",code=~"5.."}[1h])) / sum(rate(http_requests_total{service="checkout"}[1h]))`,
	"frontend-availability": `sum(rate(http_requests_total{service="frontend",code=~"5.."}[1h])) / sum(rate(http_requests_total{service="frontend"}[1h]))`,
	"payments-latency":      `1 - sum(rate(http_request_duration_seconds_bucket{service="payments",le="1"}[1h])) / sum(rate(http_request_duration_seconds_count{service="payments"}[1h]))`,
}

var expectedObjective = map[string]float64{
	"payments-availability": 0.999, "checkout-availability": 0.999, "frontend-availability": 0.999, "payments-latency": 0.99,
}

type sloReport struct {
	Name            string   `json:"name"`
	Objective       float64  `json:"objective"`
	Window          string   `json:"window"`
	Status          string   `json:"status"`
	BudgetRemaining *float64 `json:"budget_remaining"`
	BurnRates       []struct {
		Long     string   `json:"long"`
		Short    string   `json:"short"`
		Factor   float64  `json:"factor"`
		LongRate *float64 `json:"long_rate"`
		Severity string   `json:"severity"`
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

	t.Run("slo json burn rates match PromQL", func(t *testing.T) {
		eventually(t, 60*time.Second, func() error {
			code, out, errs := runBin(t, bin, append([]string{"slo", "--output", "json"}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var reports []sloReport
			if err := json.Unmarshal([]byte(out), &reports); err != nil {
				return fmt.Errorf("%v\n%s", err, out)
			}
			if len(reports) != len(expectedRatio1h) {
				return fmt.Errorf("got %d SLOs, want %d:\n%s", len(reports), len(expectedRatio1h), out)
			}
			for _, r := range reports {
				q, ok := expectedRatio1h[r.Name]
				if !ok {
					return fmt.Errorf("unexpected SLO %q", r.Name)
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
				var got *float64
				for _, b := range r.BurnRates {
					if b.Long == "1h" {
						got = b.LongRate
					}
				}
				if got == nil {
					return fmt.Errorf("%s: no 1h long_rate", r.Name)
				}
				series, _, err := pc.Query(context.Background(), q, time.Now())
				if err != nil {
					return err
				}
				if len(series) != 1 || len(series[0].Samples) != 1 {
					return fmt.Errorf("%s: direct query gave %d series", r.Name, len(series))
				}
				want := series[0].Samples[0].Value / (1 - r.Objective)
				if math.IsNaN(want) {
					return fmt.Errorf("%s: direct query is NaN", r.Name)
				}
				if math.Abs(*got-want) > 0.01*math.Abs(want) && math.Abs(*got-want) > 1e-9 {
					return fmt.Errorf("%s: 1h long_rate %v, PromQL says %v", r.Name, *got, want)
				}
				t.Logf("%s: status %s, 1h burn %.3f (direct %.3f)", r.Name, r.Status, *got, want)
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
