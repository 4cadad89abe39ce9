package slo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Run longer with, e.g.:
//
//	go test -run '^$' -fuzz FuzzReadSloth -fuzztime 2m ./slo/
//	go test -run '^$' -fuzz FuzzReadOpenSLO -fuzztime 2m ./slo/
//	go test -run '^$' -fuzz FuzzReadPyrra -fuzztime 2m ./slo/

func seedDir(f *testing.F, dir string) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkRead is the contract every reader keeps on any input: it returns
// either SLOs that evaluate, or SpecErrors that name the file and (unless
// the file is not YAML at all) a field.
func checkRead(t *testing.T, slos []SLO, err error) {
	t.Helper()
	if err != nil {
		if slos != nil {
			t.Fatalf("SLOs returned with an error: %v", err)
		}
		var es SpecErrors
		if !errors.As(err, &es) || len(es) == 0 {
			t.Fatalf("error %q is %T, want SpecErrors", err, err)
		}
		for _, e := range es {
			if e.File != "fuzz.yaml" {
				t.Fatalf("error %q does not name the file", e)
			}
			if e.Field == "" && !strings.HasPrefix(e.Msg, "invalid YAML") {
				t.Fatalf("error %q names no field", e)
			}
		}
		return
	}
	for _, s := range slos {
		if verr := s.Validate(); verr != nil {
			t.Fatalf("reader accepted an invalid SLO: %v", verr)
		}
		for _, w := range []time.Duration{5 * time.Minute, s.Window} {
			q, qerr := ErrorRatioQuery(s, w)
			if qerr != nil {
				t.Fatal(qerr)
			}
			if _, perr := promParser.ParseExpr(q); perr != nil {
				t.Fatalf("reader accepted a query that does not build: %v\n%s", perr, q)
			}
		}
	}
}

func FuzzReadSloth(f *testing.F) {
	seedDir(f, "sloth")
	for _, s := range []string{
		"",
		"version: prometheus/v1\n",
		"version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99.9\n    sli: {raw: {error_ratio_query: 'e[{{.window}}]'}}\n",
		"version: prometheus/v1\nservice: a\nslos:\n  - &a {name: x, objective: 1e308, sli: *a}\n",
		"version: prometheus/v1\nservice: a\nslos: [{name: x, objective: .nan, sli: {events: {error_query: 'a{{.window}}', total_query: 'b{{ .window }}'}}}]\n",
		"---\n---\nversion: 1\n",
		"apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nspec: {service: a, slos: [{name: x, objective: 99, sli: {raw: {errorRatioQuery: 'e[{{.window}}]'}}}]}\n",
		"apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nspec: {service: a, slos: [{name: x, objective: 99, sli: {plugin: {id: [1]}}}]}\n",
		"apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\nspec: {objectives: [{target: 0.9, ratioMetrics: {good: {source: prometheus, queryType: promql, query: 'a[{{.window}}]'}, total: {source: prometheus, queryType: promql, query: 'b[{{.window}}]'}}}], timeWindows: [{count: 1e9, unit: day}]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		slos, err := ReadSloth("fuzz.yaml", data)
		checkRead(t, slos, err)
	})
}

func FuzzReadOpenSLO(f *testing.F) {
	seedDir(f, "openslo")
	for _, s := range []string{
		"",
		"apiVersion: openslo/v1\nkind: SLO\n",
		"apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  indicatorRef: a\n  objectives: [{target: 0.9}]\n---\napiVersion: openslo/v1\nkind: SLI\nmetadata: {name: a}\nspec: {ratioMetric: {raw: {metricSource: {spec: {query: x}}}, rawType: failure}}\n",
		"apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  timeWindow: [{duration: 99999999999999999999d}]\n",
		"apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  budgetingMethod: Timeslices\n  indicator: {spec: {thresholdMetric: {metricSource: {type: prometheus, spec: {query: up}}}}}\n  timeWindow: [{duration: 1Y, calendar: {startTime: '2026-02-30 00:00:00', timeZone: ../etc}}]\n  objectives: [{op: lt, value: 1, target: 0.9, timeSliceWindow: 1e300, timeSliceTarget: 1}]\n",
		"- apiVersion: openslo/v1\n  kind: SLO\n  metadata: {name: a}\n  spec: {indicator: {spec: {ratioMetric: {raw: {metricSource: {type: prometheus, spec: {query: up}}}, rawType: success}}}, budgetingMethod: RatioTimeslices, objectives: [{target: 0.5, timeSliceWindow: 40d}]}\n",
		"kind: [SLO]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		slos, err := ReadOpenSLO("fuzz.yaml", data)
		checkRead(t, slos, err)
	})
}

func FuzzReadInline(f *testing.F) {
	seedDir(f, "inline")
	f.Add([]byte("slos: [{name: a, objective: 50, low_traffic_min: -1, sli: {lag: {query: up, max_seconds: 1, step: 0s}}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		slos, err := ReadInline("fuzz.yaml", data, "slos")
		checkRead(t, slos, err)
	})
}

func FuzzReadPyrra(f *testing.F) {
	seedDir(f, "pyrra")
	for _, s := range []string{
		"",
		"apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\n",
		"apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\nspec: {target: '99', window: 4w, indicator: {bool_gauge: {metric: 'up{a=\"b\"}'}}}\n",
		"apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\nspec: {target: 99.9, window: 1y, indicator: {latencyNative: {latency: 1e9h, total: {metric: h}}}}\n",
		"- apiVersion: pyrra.dev/v1alpha1\n  kind: ServiceLevelObjective\n  metadata: {name: a}\n  spec: {target: '50', window: 2w, indicator: {ratio: {errors: {metric: e}, total: {metric: t}, grouping: [1, [2]]}}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		slos, err := ReadPyrra("fuzz.yaml", data)
		checkRead(t, slos, err)
	})
}
