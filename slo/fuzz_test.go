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
