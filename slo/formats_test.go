package slo

import (
	"math"
	"strings"
	"testing"
	"time"
)

// readAll reads a fixture through ReadSpec, as config and the CLI do, so
// the format detection is part of what is tested.
func readAll(t *testing.T, path string) []SLO {
	t.Helper()
	slos, err := ReadSpec(path, readFixture(t, path))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	return slos
}

func TestSlothK8sFixture(t *testing.T) {
	slos := readAll(t, "sloth/k8s-checkout.yml")
	if len(slos) != 2 {
		t.Fatalf("%d SLOs, want 2", len(slos))
	}
	a, r := slos[0], slos[1]
	if a.Name != "availability" || a.Service != "checkout" || a.Objective != 0.995 || a.Window != 30*Day ||
		a.Labels["team"] != "shop" || a.Labels["tier"] != "1" || a.Description != "Checkout requests succeed." ||
		a.SLI.Events.Bad != `sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))` ||
		a.SLI.Events.Total != `sum(rate(http_requests_total{service="checkout"}[{{.window}}]))` {
		t.Errorf("availability = %+v %+v", a, a.SLI.Events)
	}
	if r.Name != "queue-health" || r.Objective != 0.99 || r.SLI.Kind != KindRawRatio ||
		r.SLI.Raw.Query != "avg_over_time(checkout_queue_unhealthy_ratio[{{.window}}])" || r.SLI.Raw.Success {
		t.Errorf("queue-health = %+v %+v", r, r.SLI.Raw)
	}
}

func TestSlothK8sErrors(t *testing.T) {
	doc := `apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: {name: x}
spec:
  service: s
  slos:
    - name: a
      objective: 99
      sli:
        events:
          error_query: sum(rate(e[{{.window}}]))
          totalQuery: sum(rate(t[{{.window}}]))
    - name: b
      objective: 99
      sli:
        plugin:
          id: sloth-common/coredns/availability
`
	_, err := ReadSpec("k8s.yaml", []byte(doc))
	wantErrors(t, err,
		"k8s.yaml:11:11: spec.slos[0].sli.events.errorQuery: is required",
		`k8s.yaml:17:11: spec.slos[1].sli.plugin: SLI plugin "sloth-common/coredns/availability" builds its query inside Sloth, and reltui cannot run Sloth plugins; write the SLI as events or raw`,
	)
}

func TestSlothOpenSLOAlphaFixture(t *testing.T) {
	slos := readAll(t, "sloth/openslo-alpha.yml")
	want := []struct {
		name      string
		objective float64
		le        string
	}{{"search-0", 0.99, "0.3"}, {"search-1", 0.999, "1"}}
	if len(slos) != len(want) {
		t.Fatalf("%d SLOs, want %d", len(slos), len(want))
	}
	for i, w := range want {
		s := slos[i]
		if s.Name != w.name || s.Service != "search" || s.Objective != w.objective || s.Window != 28*Day ||
			s.SLI.Events.Good != `sum(rate(search_duration_seconds_bucket{le="`+w.le+`"}[{{.window}}]))` ||
			s.SLI.Events.Total != `sum(rate(search_duration_seconds_count[{{.window}}]))` {
			t.Errorf("objective %d = %+v %+v", i, s, s.SLI.Events)
		}
	}

	doc := `apiVersion: openslo/v1alpha
kind: SLO
metadata: {name: x}
spec:
  objectives:
    - ratioMetrics:
        good: {source: datadog, queryType: promql, query: "a{{.window}}"}
        total: {source: prometheus, queryType: graphite, query: "b{{.window}}"}
      target: 99
  timeWindows: [{count: 1, unit: Month}]
`
	_, err := ReadSpec("alpha.yaml", []byte(doc))
	wantErrors(t, err,
		`alpha.yaml:10:34: spec.timeWindows[0].unit: Sloth reads day-based windows only (unit: Day), got "Month"`,
		`alpha.yaml:9:15: spec.objectives[0].target: must be between 0 and 1 (exclusive), got 99`,
		`alpha.yaml:7:24: spec.objectives[0].ratioMetrics.good.source: must be prometheus (the source Sloth reads), got "datadog"`,
		`alpha.yaml:8:48: spec.objectives[0].ratioMetrics.total.queryType: must be promql, got "graphite"`,
	)
}

func TestPyrraFixture(t *testing.T) {
	slos := readAll(t, "pyrra/payments.yaml")
	hist := `sum(rate(http_request_duration_seconds{service="payments"}[{{.window}}]))`
	want := []struct {
		name      string
		objective float64
		window    time.Duration
		good, bad string
		total     string
	}{
		{"payments-errors", 0.999, 28 * Day, "", `sum(rate(http_requests_total{service="payments",code=~"5.."}[{{.window}}])) or vector(0)`,
			`sum(rate(http_requests_total{service="payments"}[{{.window}}]))`},
		{"payments-latency", 0.99, 14 * Day, `sum(rate(http_request_duration_seconds_bucket{service="payments",le="0.3"}[{{.window}}]))`, "",
			`sum(rate(http_request_duration_seconds_count{service="payments"}[{{.window}}]))`},
		{"payments-latency-native", 0.95, 7 * Day, "histogram_fraction(0, 0.25, " + hist + ") * histogram_count(" + hist + ")", "",
			"histogram_count(" + hist + ")"},
		{"payments-probe", 0.995, 30 * Day, `sum(sum_over_time(probe_success{job="payments"}[{{.window}}]))`, "",
			`sum(count_over_time(probe_success{job="payments"}[{{.window}}]))`},
	}
	if len(slos) != len(want) {
		t.Fatalf("%d SLOs, want %d", len(slos), len(want))
	}
	for i, w := range want {
		s := slos[i]
		if s.Name != w.name || s.Objective != w.objective || s.Window != w.window || s.Labels["namespace"] != "payments" ||
			s.SLI.Events.Good != w.good || s.SLI.Events.Bad != w.bad || s.SLI.Events.Total != w.total {
			t.Errorf("%d = %+v %+v, want %+v", i, s, s.SLI.Events, w)
		}
	}
	if slos[0].Labels["team"] != "payments" || slos[0].Description != "Payment API requests succeed." {
		t.Errorf("metadata = %+v", slos[0])
	}
}

func TestPyrraErrors(t *testing.T) {
	doc := `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata: {name: a}
spec:
  target: "100"
  window: 3h
  indicator:
    ratio:
      errors: {metric: 'sum(rate(x[5m]))'}
      total: {}
---
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata: {name: b}
spec:
  target: "99"
  window: 4w
  indicator:
    latencyNative: {total: {metric: h}}
    bool_gauge: {metric: up}
`
	_, err := ReadSpec("p.yaml", []byte(doc))
	wantErrors(t, err,
		"p.yaml:5:11: documents[0].spec.target: must be below 100: a 100% objective leaves no error budget to burn",
		"p.yaml:6:11: documents[0].spec.window: window must be a whole number of days from 1d to 366d, got 3h",
		`p.yaml:9:24: documents[0].spec.indicator.ratio.errors.metric: must be a series selector such as http_requests_total{job="api"}, not an expression`,
		`p.yaml:10:14: documents[0].spec.indicator.ratio.total.metric: is required: a series selector such as http_requests_total{job="api"}`,
		"p.yaml:20:17: documents[1].spec.indicator.bool_gauge: cannot be used together with latencyNative",
	)
}

func TestOpenSLOListAndRefsFixture(t *testing.T) {
	slos := readAll(t, "openslo/list-refs.yaml")
	if len(slos) != 2 {
		t.Fatalf("%d SLOs, want 2", len(slos))
	}
	o := slos[0]
	if o.Name != "orders" || o.Objective != 0.99 || o.Window != 7*Day || o.Calendar != nil ||
		o.TimeSlices == nil || *o.TimeSlices != (TimeSlices{Slice: 5 * time.Minute, Ratio: true}) ||
		o.SLI.Events.Good != `sum(increase(orders_total{status="ok"}[{{.window}}]))` ||
		o.SLI.Events.Total != `sum(increase(orders_total[{{.window}}]))` {
		t.Errorf("orders = %+v %+v %+v", o, o.TimeSlices, o.SLI.Events)
	}
	p := slos[1]
	if p.Name != "orders-p99" || p.Objective != 0.95 || p.Window != 90*Day || p.TimeSlices != nil || p.SLI.Kind != KindThreshold ||
		*p.SLI.Threshold != (ThresholdSLI{Query: `histogram_quantile(0.99, sum by (le) (rate(order_duration_seconds_bucket[5m])))`, Op: "lte", Value: 0.5}) ||
		p.Calendar == nil || p.Calendar.Unit != "quarter" || p.Calendar.Count != 1 || !p.Calendar.Start.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("orders-p99 = %+v %+v %+v", p, p.SLI.Threshold, p.Calendar)
	}
}

func TestOpenSLOSourceNamedInRejection(t *testing.T) {
	_, err := ReadSpec("cw.yaml", readFixture(t, "openslo/datasource-cloudwatch.yaml"))
	wantErrors(t, err, `cw.yaml:19:28: documents[1].spec.indicator.spec.thresholdMetric.metricSource.metricSourceRef: data source "CloudWatch" is not Prometheus-compatible; reltui evaluates PromQL against Prometheus, Thanos, Cortex, Mimir or VictoriaMetrics`)
}

func TestOpenSLOWindowsAndSlicesErrors(t *testing.T) {
	doc := `apiVersion: openslo/v1
kind: SLO
metadata: {name: a}
spec:
  indicator:
    spec:
      ratioMetric:
        raw: {metricSource: {type: Mimir, spec: {query: "job:err:ratio"}}}
        rawType: failure
  budgetingMethod: Timeslices
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar: {startTime: "2026-01-01", timeZone: Mars/Olympus}
  objectives:
    - target: 0.99
      timeSliceWindow: 0
`
	_, err := ReadSpec("w.yaml", []byte(doc))
	wantErrors(t, err,
		`w.yaml:14:53: spec.timeWindow[0].calendar.timeZone: must be an IANA time zone such as America/New_York, got "Mars/Olympus"`,
		"w.yaml:17:24: spec.objectives[0].timeSliceWindow: must be a positive number of minutes, got 0",
		"w.yaml:16:7: spec.objectives[0].timeSliceTarget: is required with budgetingMethod Timeslices",
	)
}

func TestReadSpecDetection(t *testing.T) {
	_, err := ReadSpec("rule.yaml", []byte("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"))
	if err == nil || !strings.HasPrefix(err.Error(), `rule.yaml:1:13: apiVersion: unknown SLO format "monitoring.coreos.com/v1"; reltui reads openslo/v1,`) {
		t.Errorf("unknown apiVersion: %v", err)
	}
	// A top-level list without apiVersion stays reltui's inline list.
	slos, err := ReadSpec("inline.yaml", []byte("- {name: a, objective: 99, sli: {raw: {error_ratio: 'x{{.window}}'}}}\n"))
	if err != nil || len(slos) != 1 || slos[0].Name != "a" {
		t.Errorf("inline list: %v %v", slos, err)
	}
}

// The PromQL built for the new SLI kinds and budgets is checked by
// evaluating it with the real engine over known series.
func TestThresholdAndTimeslicesEvaluate(t *testing.T) {
	// latency is 0.2 for 45 minutes, then 0.9 for 15: a quarter of the
	// hour's samples miss "lte 0.5".
	load := `
load 1m
	latency_seconds 0.2x44 0.9x15
	requests_total{code="200"} 0+100x60
	requests_total{code="500"} 0+0x29 0+10x30
`
	th := SLO{Name: "t", Objective: 0.9, Window: 7 * Day, SLI: SLI{Kind: KindThreshold,
		Threshold: &ThresholdSLI{Query: "latency_seconds", Op: "lte", Value: 0.5}}}
	q, err := ErrorRatioQuery(th, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := evalAt(t, load, q, 59*time.Minute+30*time.Second); math.Abs(got-0.25) > 0.02 {
		t.Errorf("threshold error ratio = %g, want 0.25\n%s", got, q)
	}

	// 10 errors a minute in the second half hour: each of those minutes
	// has an error ratio of 10/110, above a 99% slice target's 1%.
	ev := SLO{Name: "e", Objective: 0.9, Window: 7 * Day, SLI: SLI{Kind: KindEventRatio, Events: &EventRatioSLI{
		Bad:   `sum(rate(requests_total{code="500"}[{{.window}}]))`,
		Total: `sum(rate(requests_total[{{.window}}]))`,
	}}}
	ev.TimeSlices = &TimeSlices{Slice: 5 * time.Minute, Target: 0.99}
	q, err = ErrorRatioQuery(ev, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := evalAt(t, load, q, 60*time.Minute); math.Abs(got-0.5) > 0.1 {
		t.Errorf("Timeslices error ratio = %g, want about half the slices bad\n%s", got, q)
	}
	ev.TimeSlices = &TimeSlices{Slice: 5 * time.Minute, Ratio: true}
	q, err = ErrorRatioQuery(ev, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Half the slices at 10/110, half at 0 (the slice straddling the
	// change counts partly).
	if got, want := evalAt(t, load, q, 60*time.Minute), 0.5*10.0/110; math.Abs(got-want) > 0.01 {
		t.Errorf("RatioTimeslices error ratio = %g, want about %g\n%s", got, want, q)
	}
	// An alert window shorter than a slice sees the plain ratio.
	ev.TimeSlices.Slice = 2 * time.Hour
	plain, _ := eventErrorRatio(ev, time.Hour)
	if q, _ := ErrorRatioQuery(ev, time.Hour); q != plain {
		t.Errorf("window shorter than a slice: %s, want the plain ratio %s", q, plain)
	}
}

func TestPyrraBoolGaugeEvaluates(t *testing.T) {
	slos := readAll(t, "pyrra/payments.yaml")
	probe := slos[3]
	// Up for 50 of 60 scrapes: the error ratio is 1/6.
	load := "load 1m\n\tprobe_success{job=\"payments\"} 1x49 0x10\n"
	q, err := ErrorRatioQuery(probe, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := evalAt(t, load, q, 59*time.Minute+30*time.Second); math.Abs(got-1.0/6) > 0.01 {
		t.Errorf("bool_gauge error ratio = %g, want 1/6\n%s", got, q)
	}
}

func TestCalendarPeriodStart(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2022, 1, 1, 12, 0, 0, 0, ny)
	for _, c := range []struct {
		unit  string
		count int
		at    time.Time
		want  time.Time
	}{
		{"month", 1, time.Date(2026, 3, 15, 0, 0, 0, 0, ny), time.Date(2026, 3, 1, 12, 0, 0, 0, ny)},
		{"month", 1, time.Date(2026, 3, 1, 11, 59, 0, 0, ny), time.Date(2026, 2, 1, 12, 0, 0, 0, ny)},
		{"quarter", 1, time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 12, 0, 0, 0, ny)},
		{"year", 1, time.Date(2021, 6, 1, 0, 0, 0, 0, ny), time.Date(2021, 1, 1, 12, 0, 0, 0, ny)},
		{"week", 2, time.Date(2022, 1, 20, 0, 0, 0, 0, ny), time.Date(2022, 1, 15, 12, 0, 0, 0, ny)},
		{"day", 1, time.Date(2022, 3, 13, 13, 0, 0, 0, ny), time.Date(2022, 3, 13, 12, 0, 0, 0, ny)}, // the DST change day
	} {
		got := CalendarWindow{Unit: c.unit, Count: c.count, Start: start}.PeriodStart(c.at)
		if !got.Equal(c.want) {
			t.Errorf("%d %s at %s: %s, want %s", c.count, c.unit, c.at, got, c.want)
		}
	}
}

func TestOpenSLOListErrorsNameTheItem(t *testing.T) {
	doc := `- apiVersion: openslo/v1
  kind: SLI
  metadata: {name: s}
  spec: {ratioMetric: {raw: {metricSource: {type: Prometheus, spec: {query: "job:err:ratio"}}}, rawType: failure}}
- apiVersion: openslo/v1
  kind: SLO
  metadata: {name: a}
  spec:
    indicatorRef: s
    objectives: [{targetPercent: 99.5}]
    alertPolicies: [{kind: AlertCondition}]
`
	_, err := ReadSpec("list.yaml", []byte(doc))
	wantErrors(t, err, `list.yaml:11:21: [1].spec.alertPolicies[0].kind: must be AlertPolicy for an inline policy (or use alertPolicyRef), got "AlertCondition"`)
}

func TestKubernetesListOfManifests(t *testing.T) {
	// What kubectl get servicelevelobjectives -o yaml prints.
	doc := `apiVersion: v1
kind: List
items:
  - apiVersion: pyrra.dev/v1alpha1
    kind: ServiceLevelObjective
    metadata: {name: a, namespace: x}
    spec: {target: "99", window: 4w, indicator: {bool_gauge: {metric: up}}}
  - apiVersion: pyrra.dev/v1alpha1
    kind: ServiceLevelObjective
    metadata: {name: b, namespace: x}
    spec: {target: "99", window: 4x, indicator: {bool_gauge: {metric: up}}}
`
	_, err := ReadSpec("list.yaml", []byte(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "list.yaml:11:34: items[1].spec.window: ") {
		t.Errorf("error %v, want one naming items[1].spec.window", err)
	}
	slos, err := ReadSpec("list.yaml", []byte(strings.Replace(doc, "4x", "1w", 1)))
	if err != nil || len(slos) != 2 || slos[1].Name != "b" || slos[1].Window != 7*Day {
		t.Errorf("slos %+v, err %v", slos, err)
	}
}

func TestPyrraRatioWithoutErrorSeriesIsZero(t *testing.T) {
	slos := readAll(t, "pyrra/payments.yaml")
	q, err := ErrorRatioQuery(slos[0], time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Only successes so far: the 5xx selector matches nothing.
	load := "load 1m\n\thttp_requests_total{service=\"payments\",code=\"200\"} 0+60x60\n"
	if got := evalAt(t, load, q, time.Hour); got != 0 {
		t.Errorf("error ratio = %g, want 0\n%s", got, q)
	}
}
