package slo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/promqltest"
)

// evalAt runs an instant query with the real PromQL engine over series
// loaded in promqltest's notation, so the PromQL the builders return is
// checked by evaluation, not by string comparison.
func evalAt(t *testing.T, load, query string, at time.Duration) float64 {
	t.Helper()
	stor := promqltest.LoadedStorage(t, load)
	t.Cleanup(func() { _ = stor.Close() })
	eng := promqltest.NewTestEngine(t, false, 0, 1e7)
	q, err := eng.NewInstantQuery(context.Background(), stor, nil, query, time.Unix(0, 0).Add(at))
	if err != nil {
		t.Fatalf("query %s: %v", query, err)
	}
	defer q.Close()
	res := q.Exec(context.Background())
	if res.Err != nil {
		t.Fatalf("query %s: %v", query, res.Err)
	}
	v, err := res.Vector()
	if err != nil {
		if s, serr := res.Scalar(); serr == nil {
			return s.V
		}
		t.Fatalf("query %s: %v", query, err)
	}
	if len(v) != 1 {
		t.Fatalf("query %s: %d series, want 1: %v", query, len(v), v)
	}
	return v[0].F
}

// Two hours of one request per second-ish: 99 good and 1 bad per minute.
const requestsLoad = `
load 1m
	http_requests_total{service="payments",code="200"} 0+99x120
	http_requests_total{service="payments",code="500"} 0+1x120
`

func TestErrorRatioQueryEvaluates(t *testing.T) {
	s := availability()
	s.SLI.Events.Bad = `sum(rate(http_requests_total{service="payments",code=~"5.."}[{{.window}}]))`
	s.SLI.Events.Total = `sum(rate(http_requests_total{service="payments"}[{{.window}}]))`
	q, err := ErrorRatioQuery(s, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "[1h]") || strings.Contains(q, "{{") {
		t.Errorf("window not substituted: %s", q)
	}
	// 1 bad in 100 per minute.
	if got := evalAt(t, requestsLoad, q, 120*time.Minute); !near(got, 0.01) {
		t.Errorf("error ratio %v, want 0.01", got)
	}
	// 100 requests a minute for 60 minutes.
	eq, ok := EventsQuery(s, time.Hour)
	if !ok {
		t.Fatal("no events query")
	}
	if got := evalAt(t, requestsLoad, eq, 120*time.Minute); !near(got, 6000) {
		t.Errorf("events %v, want 6000 (%s)", got, eq)
	}

	// The good/total form gives the same ratio.
	s.SLI.Events.Bad = ""
	s.SLI.Events.Good = `sum(rate(http_requests_total{service="payments",code!~"5.."}[{{.window}}]))`
	q, _ = ErrorRatioQuery(s, time.Hour)
	if got := evalAt(t, requestsLoad, q, 120*time.Minute); !near(got, 0.01) {
		t.Errorf("good/total error ratio %v, want 0.01", got)
	}
}

func TestLatencyQueryEvaluates(t *testing.T) {
	s := SLO{Name: "lat", Objective: 0.99, Window: 30 * Day, SLI: SLI{Kind: KindLatency, Latency: &LatencySLI{
		Metric: "http_request_duration_seconds", Matchers: `service="payments"`, LE: "0.3",
	}}}
	load := `
load 1m
	http_request_duration_seconds_bucket{service="payments",le="0.3"} 0+90x120
	http_request_duration_seconds_bucket{service="payments",le="+Inf"} 0+100x120
	http_request_duration_seconds_count{service="payments"} 0+100x120
	http_request_duration_seconds_count{service="other"} 0+7x120
`
	q, _ := ErrorRatioQuery(s, time.Hour)
	// 90 of every 100 requests within 300ms: 10% too slow.
	if got := evalAt(t, load, q, 120*time.Minute); !near(got, 0.1) {
		t.Errorf("latency error ratio %v, want 0.1 (%s)", got, q)
	}
	eq, _ := EventsQuery(s, time.Hour)
	if got := evalAt(t, load, eq, 120*time.Minute); !near(got, 6000) {
		t.Errorf("events %v, want 6000 (%s)", got, eq)
	}
}

func TestLagQueryEvaluates(t *testing.T) {
	s := SLO{Name: "lag", Objective: 0.99, Window: 7 * Day, SLI: SLI{Kind: KindLag, Lag: &LagSLI{
		Query: `max(kafka_consumergroup_group_lag_seconds{group="billing"})`, MaxSeconds: 30,
	}}}
	// 10s of lag for the first 90 minutes (0m..89m), 50s for the last 30 (90m..119m).
	load := `
load 1m
	kafka_consumergroup_group_lag_seconds{group="billing",partition="0"} 10x89 50x29
`
	q, _ := ErrorRatioQuery(s, time.Hour)
	// At 119m the hour holds the minutes 60..119 (Prometheus 3 ranges are
	// open at the start): 30 of 60 above 30s.
	if got := evalAt(t, load, q, 119*time.Minute); !near(got, 0.5) {
		t.Errorf("lag error ratio %v, want 0.5 (%s)", got, q)
	}
	eq, _ := EventsQuery(s, time.Hour)
	if got := evalAt(t, load, eq, 119*time.Minute); got != 60 {
		t.Errorf("samples %v, want 60 (%s)", got, eq)
	}
}

func TestRawQuery(t *testing.T) {
	s := SLO{Name: "raw", Objective: 0.99, Window: 30 * Day, SLI: SLI{Kind: KindRawRatio, Raw: &RawRatioSLI{Query: "slo:sli_error:ratio_rate{{.window}}"}}}
	if q, _ := ErrorRatioQuery(s, 5*time.Minute); q != "slo:sli_error:ratio_rate5m" {
		t.Errorf("query %q", q)
	}
	if _, ok := EventsQuery(s, time.Hour); ok {
		t.Error("a raw ratio cannot count events")
	}
	s.SLI.Raw = &RawRatioSLI{Query: "job:success:ratio", Success: true}
	load := "load 1m\n\tjob:success:ratio 0.97x10\n"
	q, _ := ErrorRatioQuery(s, time.Hour)
	if got := evalAt(t, load, q, 5*time.Minute); !near(got, 0.03) {
		t.Errorf("1 - success = %v, want 0.03", got)
	}
}

func TestExpandWindowSpacing(t *testing.T) {
	if got := ExpandWindow("rate(x[{{ .window }}]) + rate(y[{{.window}}])", 6*time.Hour); got != "rate(x[6h]) + rate(y[6h])" {
		t.Errorf("got %q", got)
	}
}

func TestEventsFromCountTotal(t *testing.T) {
	// A total that already counts (Sloth's home-wifi) is not multiplied.
	s := availability()
	s.SLI.Events.Total = `sum_over_time((count(up))[{{.window}}:])`
	if q, _ := EventsQuery(s, time.Hour); q != `sum_over_time((count(up))[1h:])` {
		t.Errorf("got %q", q)
	}
	s.SLI.Events.EventsQuery = `sum(increase(http_requests_total[{{.window}}]))`
	if q, _ := EventsQuery(s, time.Hour); q != `sum(increase(http_requests_total[1h]))` {
		t.Errorf("explicit events query ignored: %q", q)
	}
}
