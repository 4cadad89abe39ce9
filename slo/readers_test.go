package slo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantErrors checks that err lists exactly these messages, in order.
func wantErrors(t *testing.T, err error, want ...string) {
	t.Helper()
	var es SpecErrors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T), want SpecErrors", err, err)
	}
	got := strings.Split(err.Error(), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// checkSLOs holds every SLO a reader returned to what Evaluate and the
// query builders need.
func checkSLOs(t *testing.T, slos []SLO) {
	t.Helper()
	for _, s := range slos {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		q, err := ErrorRatioQuery(s, time.Hour)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if _, err := promParser.ParseExpr(q); err != nil {
			t.Errorf("%s: built query does not parse: %v\n%s", s.Name, err, q)
		}
	}
}

func TestInlineFixture(t *testing.T) {
	slos, err := ReadInline("payments.yaml", readFixture(t, "inline/payments.yaml"), "slos")
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	if len(slos) != 4 {
		t.Fatalf("%d SLOs, want 4", len(slos))
	}
	a := slos[0]
	if a.Name != "payments-availability" || a.Service != "payments" || a.Objective != 0.999 || a.Window != 30*Day ||
		a.LowTrafficMin != 100 || a.Labels["team"] != "payments" || a.Description != "Card payments succeed." ||
		a.SLI.Kind != KindEventRatio || !strings.Contains(a.SLI.Events.Bad, `code=~"5.."`) {
		t.Errorf("availability SLO = %+v", a)
	}
	if l := slos[1]; l.SLI.Kind != KindLatency || l.Window != 28*Day || l.Objective != 0.99 ||
		*l.SLI.Latency != (LatencySLI{Metric: "http_request_duration_seconds", Matchers: `service="payments"`, LE: "0.3"}) {
		t.Errorf("latency SLO = %+v %+v", l, l.SLI.Latency)
	}
	if g := slos[2]; g.SLI.Kind != KindLag || g.Window != 7*Day || g.Objective != 0.995 || g.SLI.Lag.MaxSeconds != 30 || g.SLI.Lag.Step != time.Minute {
		t.Errorf("lag SLO = %+v %+v", g, g.SLI.Lag)
	}
	if r := slos[3]; r.SLI.Kind != KindRawRatio || r.Window != DefaultWindow || r.SLI.Raw.Success {
		t.Errorf("raw SLO = %+v", r)
	}
}

func TestInlineErrors(t *testing.T) {
	doc := `slos:
  - name: payments
    objective: 120
    objectve: 99.9
    window: 14d
    sli:
      events:
        bad: sum(rate(errors_total[5m]))
        total: sum(rate(requests_total[{{.window}}])
  - name: payments
    objective: 99
    sli:
      latency: {metric: http_request_duration_seconds, le: fast}
`
	_, err := ReadInline("payments.yaml", []byte(doc), "slos")
	wantErrors(t, err,
		"payments.yaml:4:5: slos[0].objectve: unknown key (known: name, service, objective, window, low_traffic_min, description, labels, sli)",
		"payments.yaml:3:16: slos[0].objective: must be between 0 and 100, got 120",
		"payments.yaml:5:13: slos[0].window: window must be 7d, 28d or 30d, got 14d",
		"payments.yaml:8:14: slos[0].sli.events.bad: query must use {{.window}} for its range, e.g. rate(x[{{.window}}])",
		`payments.yaml:9:16: slos[0].sli.events.total: query is not valid PromQL: 1:38: parse error: unclosed left parenthesis`,
		`payments.yaml:13:60: slos[1].sli.latency.le: must be a bucket bound such as 0.3, got "fast"`,
	)
	_, err = ReadInline("c.yaml", []byte("slos:\n  - {name: a, objective: 99, sli: {raw: {error_ratio: 'x{{.window}}'}}}\n  - {name: a, objective: 99, sli: {raw: {error_ratio: 'y{{.window}}'}}}\n"), "slos")
	wantErrors(t, err, `c.yaml:3:12: slos[1].name: another SLO is already named "a"`)
	_, err = ReadInline("c.yaml", []byte("other: 1\n"), "slos")
	wantErrors(t, err, "c.yaml:1:1: slos: not found")
	_, err = ReadInline("c.yaml", []byte("slos:\n  - {name: a, objective: 100, sli: {raw: {error_ratio: 'x{{.window}}'}}}\n  - {name: a, objective: 99, sli: {raw: {error_ratio: 'x{{.window}}'}}}\n"), "slos")
	wantErrors(t, err,
		`c.yaml:2:26: slos[0].objective: must be below 100: a 100% objective leaves no error budget to burn`,
	)
}

func TestSlothFixtures(t *testing.T) {
	want := map[string][]string{ // file -> service/name of each SLO
		"getting-started.yml":      {"myservice/requests-availability"},
		"home-wifi.yml":            {"home-wifi/good-wifi-client-satisfaction", "home-wifi/risk-wifi-client-satisfaction"},
		"raw-home-wifi.yml":        {"home-wifi/wifi-client-satisfaction"},
		"kubernetes-apiserver.yml": {"k8s-apiserver/requests-availability", "k8s-apiserver/requests-latency"},
		"multifile.yml":            {"myservice/requests-availability", "myservice2/requests-availability"},
		"no-alerts.yml":            {"myapp/http-availability"},
	}
	for file, names := range want {
		slos, err := ReadSloth(file, readFixture(t, "sloth/"+file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		checkSLOs(t, slos)
		var got []string
		for _, s := range slos {
			got = append(got, s.Service+"/"+s.Name)
			if s.Window != 30*Day {
				t.Errorf("%s %s: window %s, want Sloth's 30d default", file, s.Name, s.Window)
			}
		}
		if strings.Join(got, " ") != strings.Join(names, " ") {
			t.Errorf("%s: SLOs %v, want %v", file, got, names)
		}
	}

	slos, _ := ReadSloth("getting-started.yml", readFixture(t, "sloth/getting-started.yml"))
	s := slos[0]
	if s.Objective != 0.999 || s.Description != "Common SLO based on availability for HTTP request responses." ||
		s.Labels["owner"] != "myteam" || s.Labels["tier"] != "2" || s.SLI.Kind != KindEventRatio ||
		s.SLI.Events.Bad != `sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))` ||
		s.SLI.Events.Total != `sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))` {
		t.Errorf("getting-started = %+v %+v", s, s.SLI.Events)
	}
	slos, _ = ReadSloth("raw-home-wifi.yml", readFixture(t, "sloth/raw-home-wifi.yml"))
	if r := slos[0]; r.SLI.Kind != KindRawRatio || r.Objective != 0.95 || !strings.HasPrefix(r.SLI.Raw.Query, "1 - (") {
		t.Errorf("raw-home-wifi = %+v", r)
	}
}

func TestSlothLabelsMerge(t *testing.T) {
	doc := `version: prometheus/v1
service: s
labels: {owner: a, tier: "1"}
slos:
  - name: x
    objective: 99
    labels: {tier: "2"}
    sli: {raw: {error_ratio_query: "e{{.window}}"}}
`
	slos, err := ReadSloth("s.yml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if l := slos[0].Labels; l["owner"] != "a" || l["tier"] != "2" {
		t.Errorf("labels %v, want owner=a tier=2 (SLO overrides spec)", l)
	}
}

func TestSlothErrors(t *testing.T) {
	doc := `version: "prometheus/v1"
service: "myservice"
slos:
  - name: "requests-availability"
    objective: 120
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
  - name: "plugin"
    objective: 99
    sli:
      plugin:
        id: "sloth-common/kubernetes/apiserver/availability"
  - objective: 99.9
    sli:
      raw:
        error_ratio_query: sum(rate(x[{{.window}}])) by
`
	_, err := ReadSloth("payments.yaml", []byte(doc))
	wantErrors(t, err,
		"payments.yaml:5:16: slos[0].objective: must be between 0 and 100, got 120",
		"payments.yaml:8:9: slos[0].sli.events.total_query: is required",
		`payments.yaml:13:9: slos[1].sli.plugin: SLI plugin "sloth-common/kubernetes/apiserver/availability" builds its query inside Sloth, and reltui cannot run Sloth plugins; write the SLI as events or raw`,
		"payments.yaml:14:5: slos[2].name: is required",
		`payments.yaml:17:28: slos[2].sli.raw.error_ratio_query: query is not valid PromQL: 1:29: parse error: unexpected end of input in grouping opts, expected "("`,
	)

	_, err = ReadSloth("k8s.yaml", []byte("apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\n"))
	wantErrors(t, err, "k8s.yaml:1:1: spec: is required")
	_, err = ReadSloth("k8s.yaml", []byte("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"))
	wantErrors(t, err, `k8s.yaml:1:13: apiVersion: Sloth reads "sloth.slok.dev/v1" (kind PrometheusServiceLevel) and "openslo/v1alpha" manifests, got "monitoring.coreos.com/v1"`)
	_, err = ReadSloth("v2.yaml", []byte("version: prometheus/v2\nservice: a\nslos: []\n"))
	wantErrors(t, err, `v2.yaml:1:10: version: must be "prometheus/v1", got "prometheus/v2"`)
	_, err = ReadSloth("bad.yaml", []byte("version: [\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.yaml:") || !strings.Contains(err.Error(), "invalid YAML") {
		t.Errorf("syntax error %v", err)
	}
}

func TestOpenSLOFixtures(t *testing.T) {
	slos, err := ReadOpenSLO("ratio-occurrences.yaml", readFixture(t, "openslo/ratio-occurrences.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	if len(slos) != 1 {
		t.Fatalf("%d SLOs, want 1", len(slos))
	}
	s := slos[0]
	if s.Name != "main-page" || s.Service != "web-shop" || s.Window != 28*Day || s.Objective != 0.99 ||
		s.Description != "Our main page should be available always" || s.SLI.Kind != KindEventRatio ||
		s.SLI.Events.Good != `sum(increase(http_requests_total{handler="/",code=~"2.."}[{{.window}}]))` ||
		s.SLI.Events.Total != `sum(increase(http_requests_total{handler="/"}[{{.window}}]))` {
		t.Errorf("main-page = %+v %+v", s, s.SLI.Events)
	}

	slos, err = ReadOpenSLO("readme-ratio.yaml", readFixture(t, "openslo/readme-ratio.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	if s := slos[0]; len(slos) != 1 || s.Name != "foo-slo" || s.Window != 30*Day || s.Objective != 0.98 || s.Description != "Foo SLO" ||
		s.SLI.Events.Good != `sum(increase((sum(localhost_server_requests{code=~"2xx|3xx",host="*",instance="127.0.0.1:9090"}))[{{.window}}:]))` {
		t.Errorf("foo-slo = %+v %+v", s, s.SLI.Events)
	}

	slos, err = ReadOpenSLO("multi-objective.yaml", readFixture(t, "openslo/multi-objective.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	if len(slos) != 2 {
		t.Fatalf("%d SLOs, want 2", len(slos))
	}
	for i, want := range []struct {
		name      string
		objective float64
	}{{"checkout-availability/foo-total-errors", 0.98}, {"checkout-availability/bar-total-errors", 0.9999}} {
		s := slos[i]
		if s.Name != want.name || s.Objective != want.objective || s.Window != 28*Day || s.Service != "checkout" ||
			s.Labels["team"] != "payments" || s.Labels["tags"] != "auth,tier-1" ||
			s.SLI.Events.Bad != `sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))` {
			t.Errorf("objective %d = %+v %+v, want %+v", i, s, s.SLI.Events, want)
		}
	}

	slos, err = ReadOpenSLO("raw-success.yaml", readFixture(t, "openslo/raw-success.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	if s := slos[0]; s.SLI.Kind != KindRawRatio || !s.SLI.Raw.Success || s.Window != 7*Day ||
		s.SLI.Raw.Query != `avg(avg_over_time((job:search_success:ratio)[{{.window}}:]))` {
		t.Errorf("raw-success = %+v %+v", s, s.SLI.Raw)
	}
}

func TestOpenSLOTimeslicesCalendarFixture(t *testing.T) {
	slos, err := ReadOpenSLO("timeslices.yaml", readFixture(t, "openslo/timeslices-calendar.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkSLOs(t, slos)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		name      string
		objective float64
	}{{"service-availability/internal-objective", 0.995}, {"service-availability/sla", 0.99}} {
		s := slos[i]
		if s.Name != want.name || s.Objective != want.objective || s.Window != 30*Day ||
			s.Calendar == nil || s.Calendar.Unit != "month" || s.Calendar.Count != 1 || !s.Calendar.Start.Equal(time.Date(2022, 1, 1, 12, 0, 0, 0, ny)) ||
			s.TimeSlices == nil || *s.TimeSlices != (TimeSlices{Slice: time.Minute, Target: 0.99}) ||
			s.SLI.Events.Good != `sum(avg_over_time((sum(up{job="web"}))[{{.window}}:]))` {
			t.Errorf("objective %d = %+v %+v %+v %+v", i, s, s.Calendar, s.TimeSlices, s.SLI.Events)
		}
	}
}

func TestOpenSLOErrors(t *testing.T) {
	// Sloth's own openslo-getting-started.yml is v1alpha.
	_, err := ReadOpenSLO("alpha.yaml", []byte("apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: x}\nspec: {}\n"))
	wantErrors(t, err, `alpha.yaml:1:13: apiVersion: must be "openslo/v1", got "openslo/v1alpha"`)

	doc := `apiVersion: openslo/v1
kind: SLO
metadata:
  name: foo-slo
spec:
  service: foo
  indicator:
    spec:
      ratioMetric:
        good:
          metricSource:
            type: Datadog
            spec:
              query: sum:trace.http.request.hits.by_http_status{http.status_code:200}.as_count()
        total:
          metricSource:
            type: Prometheus
            spec: {}
  timeWindow:
    - duration: 2h
      isRolling: true
  objectives:
    - displayName: Foo Total Errors
      target: 98
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: bar
spec:
  indicatorRef: nowhere
  objectives:
    - targetPercent: 99.5
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  indicator:
    spec:
      thresholdMetric:
        metricSource: {type: Prometheus, spec: {query: x}}
  objectives:
    - target: 0.99
`
	_, err = ReadOpenSLO("slos.yaml", []byte(doc))
	wantErrors(t, err,
		`slos.yaml:20:17: documents[0].spec.timeWindow[0].duration: window must be a whole number of days from 1d to 366d, got 2h`,
		`slos.yaml:12:19: documents[0].spec.indicator.spec.ratioMetric.good.metricSource.type: data source "Datadog" is not Prometheus-compatible; reltui evaluates PromQL against Prometheus, Thanos, Cortex, Mimir or VictoriaMetrics`,
		`slos.yaml:18:19: documents[0].spec.indicator.spec.ratioMetric.total.metricSource.spec.query: is required: the PromQL query`,
		`slos.yaml:24:15: documents[0].spec.objectives[0].target: must be between 0 and 1 (exclusive), got 98`,
		`slos.yaml:31:17: documents[1].spec.indicatorRef: no kind: SLI named "nowhere" in this file`,
		`slos.yaml:45:7: documents[2].spec.objectives[0].op: is required with a thresholdMetric (lt, lte, gt or gte)`,
		`slos.yaml:45:7: documents[2].spec.objectives[0].value: is required with a thresholdMetric: the bound a good sample meets`,
	)

	_, err = ReadOpenSLO("svc.yaml", []byte("apiVersion: openslo/v1\nkind: Service\nmetadata: {name: a}\n"))
	wantErrors(t, err, "svc.yaml: kind: no kind: SLO document in the file")
}

func TestQueriesThatCannotBeWrapped(t *testing.T) {
	// The lag query is sampled with a subquery, which a scalar cannot take.
	_, err := ReadInline("c.yaml", []byte("slos:\n  - name: lag\n    objective: 99\n    sli: {lag: {query: '30', max_seconds: 10}}\n"), "slos")
	wantErrors(t, err, "c.yaml:4:24: slos[0].sli.lag.query: query must give an instant vector, got a scalar")

	doc := `apiVersion: openslo/v1
kind: SLO
metadata: {name: s}
spec:
  indicator:
    spec:
      ratioMetric:
        rawType: failure
        raw: {metricSource: {type: prometheus, spec: {query: "0.1"}}}
  objectives: [{target: 0.9}]
`
	_, err = ReadOpenSLO("o.yaml", []byte(doc))
	wantErrors(t, err, "o.yaml:9:62: spec.indicator.spec.ratioMetric.raw.metricSource.spec.query: query must give an instant vector, got a scalar, to be wrapped over the window")
}
