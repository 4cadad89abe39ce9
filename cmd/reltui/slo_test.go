package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/slo/slotest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

// fakeProm answers instant queries with a function of the expression and
// range queries from a table keyed by metric name prefix.
type fakeProm struct {
	mu      sync.Mutex
	instant func(expr string) ([]sources.Series, error)
	ranges  func(expr string, from, to time.Time) []sources.Series
	queries []string
}

func (f *fakeProm) Query(_ context.Context, expr string, _ time.Time) ([]sources.Series, []string, error) {
	f.mu.Lock()
	f.queries = append(f.queries, expr)
	f.mu.Unlock()
	s, err := f.instant(expr)
	return s, nil, err
}

func (f *fakeProm) QueryRange(_ context.Context, expr string, from, to time.Time, _ time.Duration) ([]sources.Series, []string, error) {
	if f.ranges == nil {
		return nil, nil, errors.New("no range data")
	}
	return f.ranges(expr, from, to), nil, nil
}

func one(v float64, labels map[string]string) sources.Series {
	return sources.Series{Labels: labels, Samples: []sources.Sample{{Time: time.Now(), Value: v}}}
}

// fakeDeps reach f for Prometheus and for lag, the test SLOs for the
// context's, and no incident store.
func fakeDeps(f promQuerier) deps {
	d := deps{
		prom:         func(*globals) (promQuerier, func(), error) { return f, func() {}, nil },
		slos:         func(*globals) (sloSetup, error) { return sloSetup{slos: cliSLOs()}, nil },
		sloIncidents: func(context.Context, *globals) (slo.PlannedWorkLister, func(), error) { return nil, func() {}, nil },
	}
	d.lagSource = func(*globals, string) (lagSource, error) {
		return lagSource{lag.PromSource{Querier: f, Queries: lag.DefaultQueries()}, "prometheus", func() {}}, nil
	}
	return d
}

func runSLOCLI(d deps, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runWith(args, &out, &errb, d)
	return code, out.String(), errb.String()
}

// ratioFake: every error-ratio query (they divide) gives ratio, every
// events query gives events.
func ratioFake(ratio, events float64) *fakeProm {
	return &fakeProm{instant: func(expr string) ([]sources.Series, error) {
		if strings.Contains(expr, "\n/\n") {
			return []sources.Series{one(ratio, nil)}, nil
		}
		return []sources.Series{one(events, nil)}, nil
	}}
}

func TestSLODefaultJSONShape(t *testing.T) {
	f := ratioFake(0.02, 1e6)
	d := fakeDeps(f)
	code, out, errs := runSLOCLI(d, "slo", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 4 {
		t.Fatalf("want the 4 configured SLOs, got %d", len(got))
	}
	want := []string{"name", "objective", "window", "status", "budget_remaining", "time_to_exhaustion_seconds", "low_traffic", "burn_rates", "source"}
	for _, r := range got {
		// Exactly the field list: no more, no fewer.
		if len(r) != len(want) {
			t.Errorf("%d fields, want exactly %v: %v", len(r), want, r)
		}
		for _, k := range want {
			if _, ok := r[k]; !ok {
				t.Errorf("missing %s in %v", k, r)
			}
		}
		var rates []map[string]any
		if err := json.Unmarshal(r["burn_rates"], &rates); err != nil || len(rates) != 4 {
			t.Fatalf("burn_rates: %v %s", err, r["burn_rates"])
		}
		if len(rates[0]) != 7 {
			t.Errorf("burn_rates[0] has %d fields, want exactly 7: %v", len(rates[0]), rates[0])
		}
		for _, k := range []string{"long", "short", "factor", "long_rate", "short_rate", "firing", "severity"} {
			if _, ok := rates[0][k]; !ok {
				t.Errorf("burn_rates[0] missing %s", k)
			}
		}
		var name string
		var obj float64
		json.Unmarshal(r["name"], &name)
		json.Unmarshal(r["objective"], &obj)
		// 2% errors: 20x on 99.9%, 2x on 99%.
		wantRate := 0.02 / (1 - obj)
		if lr := rates[0]["long_rate"].(float64); math.Abs(lr-wantRate) > 1e-6*wantRate {
			t.Errorf("%s: 1h long_rate %v, want %v", name, lr, wantRate)
		}
		var status string
		json.Unmarshal(r["status"], &status)
		if wantRate >= 14.4 && status != "page" || wantRate < 1 && status != "ok" || wantRate == 2 && status != "ticket" {
			t.Errorf("%s: status %q at burn %v", name, status, wantRate)
		}
	}
	// 8 windows for a 30d SLO (5m 30m 1h 2h 6h 1d 3d 30d), a ratio and an
	// events query each, 4 SLOs, plus the reachability probe. The fake has
	// no rules API, so nothing is discovered.
	if len(f.queries) != 4*8*2+1 {
		t.Errorf("ran %d queries, want %d", len(f.queries), 4*8*2+1)
	}
}

func TestSLOTextHasBarTableAndSentence(t *testing.T) {
	d := fakeDeps(ratioFake(0.0001, 1e6))
	code, out, errs := runSLOCLI(d, "slo", "payments-availability")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"payments-availability", "OK", "[", "#", "severity", "1h", "3d", "budget"} {
		if !strings.Contains(out, s) {
			t.Errorf("text lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "checkout") {
		t.Errorf("NAME did not filter:\n%s", out)
	}
}

func TestSLOUnknownNameListsNames(t *testing.T) {
	d := fakeDeps(ratioFake(0, 1))
	code, _, errs := runSLOCLI(d, "slo", "nope")
	if code != 1 || !strings.Contains(errs, "payments-availability") || !strings.Contains(errs, "checkout-availability") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestSLOPromDownIsOneLine(t *testing.T) {
	d := fakeDeps(&fakeProm{instant: func(string) ([]sources.Series, error) {
		return nil, errors.New("prometheus: connection refused")
	}})
	code, out, errs := runSLOCLI(d, "slo")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if n := strings.Count(strings.TrimSpace(errs), "\n"); n != 0 || !strings.Contains(errs, "connection refused") {
		t.Fatalf("want one line, got:\n%s", errs)
	}
}

func TestSLOMalformedSpecNamesFileAndField(t *testing.T) {
	d := fakeDeps(ratioFake(0, 1))
	dir := t.TempDir()
	cases := map[string]string{
		"inline.yaml": "- name: a\n  objective: lots\n  sli:\n    events:\n      bad: sum(rate(x[{{.window}}]))\n      total: sum(rate(y[{{.window}}]))\n",
		"sloth.yaml":  "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 200\n    sli:\n      events:\n        error_query: sum(rate(x[{{.window}}]))\n        total_query: sum(rate(y[{{.window}}]))\n",
	}
	for name, body := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runSLOCLI(d, "slo", "--file", p)
		if code != 1 || !strings.Contains(errs, p) || !strings.Contains(errs, "objective") {
			t.Errorf("%s: exit %d: %s", name, code, errs)
		}
	}
}

func TestSLOReadsEveryFormat(t *testing.T) {
	d := fakeDeps(ratioFake(0, 1e6))
	for _, f := range []string{"../../slo/testdata/sloth/getting-started.yml", "../../slo/testdata/openslo/readme-ratio.yaml", "../../slo/testdata/inline/payments.yaml"} {
		code, out, errs := runSLOCLI(d, "slo", "--file", f, "-o", "json")
		if code != 0 {
			t.Errorf("%s: exit %d: %s", f, code, errs)
			continue
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) == 0 {
			t.Errorf("%s: %v %s", f, err, out)
		}
		for _, r := range got {
			if strings.HasSuffix(r["name"].(string), "availability") && r["name"] == "payments-availability" && strings.Contains(f, "sloth") {
				t.Errorf("%s: default SLOs were added to a --file run", f)
			}
		}
	}
}

func TestLagJSON(t *testing.T) {
	now := time.Now()
	lbl := func(p string) map[string]string {
		return map[string]string{"consumergroup": "g", "topic": "t", "partition": p}
	}
	// Partition 0 is caught up; partition 1 has 100 messages of lag that
	// never shrinks though offsets move (WARN), and the producer passed
	// its committed offset 60s ago.
	f := &fakeProm{
		instant: func(expr string) ([]sources.Series, error) {
			switch {
			case strings.HasPrefix(expr, "kafka_consumergroup_lag"):
				return []sources.Series{one(0, lbl("0")), one(100, lbl("1"))}, nil
			case strings.HasPrefix(expr, "kafka_consumergroup_current_offset"):
				return []sources.Series{one(500, lbl("0")), one(900, lbl("1"))}, nil
			}
			return nil, nil
		},
		ranges: func(expr string, from, to time.Time) []sources.Series {
			series := func(p string, f func(i int) float64) sources.Series {
				s := sources.Series{Labels: lbl(p)}
				for i := 0; i <= 10; i++ {
					s.Samples = append(s.Samples, sources.Sample{Time: to.Add(time.Duration(i-10) * 30 * time.Second), Value: f(i)})
				}
				return s
			}
			switch {
			case strings.HasPrefix(expr, "kafka_topic_partition_current_offset"):
				return []sources.Series{
					series("0", func(int) float64 { return 500 }),
					series("1", func(i int) float64 { return 500 + 50*float64(i) }), // 1000 at to, 900 at to-60s
				}
			case strings.HasPrefix(expr, "kafka_consumergroup_current_offset"):
				return []sources.Series{series("0", func(int) float64 { return 500 }), series("1", func(i int) float64 { return 400 + 50*float64(i) })}
			case strings.HasPrefix(expr, "kafka_consumergroup_lag"):
				return []sources.Series{series("0", func(int) float64 { return 0 }), series("1", func(int) float64 { return 100 })}
			}
			return nil
		},
	}
	d := fakeDeps(f)
	code, out, errs := runSLOCLI(d, "lag", "--group", "g", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 2 {
		t.Fatalf("%v\n%s", err, out)
	}
	var keys []string
	for k := range got[1] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lagKeys := []string{"group", "topic", "partition", "lag_messages", "lag_seconds", "lag_seconds_method", "status"}
	if len(keys) != len(lagKeys) {
		t.Errorf("fields %v, want exactly %v", keys, lagKeys)
	}
	for _, k := range lagKeys {
		if _, ok := got[1][k]; !ok {
			t.Errorf("missing %s (have %v)", k, keys)
		}
	}
	p1 := got[1]
	if p1["partition"].(float64) != 1 || p1["lag_messages"].(float64) != 100 || p1["status"] != "WARN" || p1["lag_seconds_method"] != "interpolated" {
		t.Errorf("partition 1: %v", p1)
	}
	if s, _ := p1["lag_seconds"].(float64); math.Abs(s-(60+now.Sub(now.Truncate(time.Second)).Seconds())) > 2 {
		t.Errorf("lag_seconds %v, want about 60", p1["lag_seconds"])
	}
	if got[0]["status"] != "OK" || got[0]["lag_messages"].(float64) != 0 {
		t.Errorf("partition 0: %v", got[0])
	}
	// --by-topic: one row per group and topic, without a partition, with
	// the summed lag and the worst partition's status.
	code, out, errs = runSLOCLI(d, "lag", "--group", "g", "--by-topic", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var topics []map[string]any
	if err := json.Unmarshal([]byte(out), &topics); err != nil || len(topics) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, ok := topics[0]["partition"]; ok || topics[0]["lag_messages"].(float64) != 100 || topics[0]["status"] != "WARN" {
		t.Errorf("by topic: %v", topics[0])
	}
}

func TestLagBadSinceIsUsage(t *testing.T) {
	d := fakeDeps(ratioFake(0, 0))
	if code, _, _ := runSLOCLI(d, "lag", "--since", "soon"); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}

// Like every other command's JSON, lag's keeps <, > and & as they are
// (encoding/json would write \u003c) while control characters from the
// backend stay escaped.
func TestLagJSONKeepsMarkupCharacters(t *testing.T) {
	const group = "team<a>&b\u0085"
	lbl := map[string]string{"consumergroup": group, "topic": "t", "partition": "0"}
	d := fakeDeps(&fakeProm{instant: func(expr string) ([]sources.Series, error) {
		if strings.HasPrefix(expr, "kafka_consumergroup_lag") {
			return []sources.Series{one(3, lbl)}, nil
		}
		return nil, nil
	}, ranges: func(string, time.Time, time.Time) []sources.Series { return nil }})
	code, out, errs := runSLOCLI(d, "lag", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"group": "team<a>&b`) || strings.Contains(out, `\u003c`) || strings.ContainsRune(out, 0x85) {
		t.Errorf("output:\n%q", out)
	}
}

// cliSLOs stand in for a context's configured SLOs.
func cliSLOs() []slo.SLO { return slotest.SLOs() }

// rulesFake is a Prometheus with a rules API.
type rulesFake struct {
	*fakeProm
	rules []prom.Rule
}

func (r rulesFake) Rules(context.Context) ([]prom.Rule, error) { return r.rules, nil }

func TestSLONoneAnywhereSaysWhatWasSearched(t *testing.T) {
	f := rulesFake{fakeProm: ratioFake(0, 1)}
	d := fakeDeps(f)
	d.slos = func(*globals) (sloSetup, error) {
		return sloSetup{discover: true, searched: slo.Searched{ConfigFile: "/c.yaml", Context: "dev", Rules: "http://p:9090"}}, nil
	}
	code, out, errs := runSLOCLI(d, "slo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"No SLOs found", `context "dev" in /c.yaml`, "Prometheus rules at http://p:9090", "To add one"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runSLOCLI(d, "slo", "-o", "json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("json: exit %d %q", code, out)
	}
}

// fakeStore lists incidents.
type fakeStore []incidents.Incident

func (f fakeStore) List(context.Context, incidents.Filter) ([]incidents.Incident, error) {
	return f, nil
}

func TestSLOLeavesOutMaintenanceFromTheIncidentStore(t *testing.T) {
	d := fakeDeps(ratioFake(0.0005, 1e6))
	now := time.Now()
	d.sloIncidents = func(context.Context, *globals) (slo.PlannedWorkLister, func(), error) {
		return incidents.PlannedWorkOf(fakeStore{{Title: "db failover", Kind: incidents.KindMaintenance, Services: []string{"checkout"},
			Milestones: incidents.Milestones{Started: now.Add(-3 * time.Hour), Resolved: now.Add(-2 * time.Hour)}}}), func() {}, nil
	}
	code, out, errs := runSLOCLI(d, "slo", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []struct {
		Name     string `json:"name"`
		Excluded []struct {
			Kind   string `json:"kind"`
			Reason string `json:"reason"`
		} `json:"excluded"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		want := 0
		if r.Name == "checkout-availability" {
			want = 1
		}
		if len(r.Excluded) != want || want == 1 && (r.Excluded[0].Kind != "maintenance" || r.Excluded[0].Reason != "db failover") {
			t.Errorf("%s: excluded %+v", r.Name, r.Excluded)
		}
	}
}

// The incident store is opened only after Prometheus answered the probe,
// and a store that cannot be opened is a warning, not a failure.
func TestSLOOpensTheIncidentStoreOnlyAfterTheProbe(t *testing.T) {
	d := fakeDeps(&fakeProm{instant: func(string) ([]sources.Series, error) {
		return nil, errors.New("prometheus: connection refused")
	}})
	opened := 0
	d.sloIncidents = func(context.Context, *globals) (slo.PlannedWorkLister, func(), error) {
		opened++
		return nil, func() {}, errors.New("database is locked")
	}
	if code, _, _ := runSLOCLI(d, "slo"); code != 1 || opened != 0 {
		t.Fatalf("Prometheus down: exit %d, store opened %d times", code, opened)
	}
	d.prom = fakeDeps(ratioFake(0, 1e6)).prom
	code, out, errs := runSLOCLI(d, "slo")
	if code != 0 || opened != 1 || !strings.Contains(out, "payments-availability") {
		t.Fatalf("exit %d, store opened %d times: %s", code, opened, errs)
	}
	if want := "reltui: warning: drills and maintenance could not be read from the incident store: database is locked\n"; !strings.HasPrefix(errs, want) {
		t.Errorf("stderr %q, want it to start with %q", errs, want)
	}
}
