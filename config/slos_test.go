package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sloCtx = `contexts:
  dev:
    prometheus: {url: http://127.0.0.1:9090}
`

func TestSLOsInlineAndFilesLoad(t *testing.T) {
	dir := t.TempDir()
	sloth, err := os.ReadFile("../slo/testdata/sloth/getting-started.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sloth.yml"), sloth, 0o644); err != nil {
		t.Fatal(err)
	}
	openslo, err := os.ReadFile("../slo/testdata/openslo/readme-ratio.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "openslo.yaml"), openslo, 0o644); err != nil {
		t.Fatal(err)
	}
	doc := sloCtx + `    slo_files: [sloth.yml, openslo.yaml]
    slos:
      - name: api-availability
        objective: 99.5
        window: 28d
        low_traffic_min: 50
        sli:
          events:
            bad: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
            total: sum(rate(http_requests_total[{{.window}}]))
`
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, true, OSEnv())
	if err != nil {
		t.Fatal(err)
	}
	_, c, _ := f.Select("dev")
	// Relative slo_files are made absolute against the config's directory.
	if c.SLOFiles[0] != filepath.Join(dir, "sloth.yml") {
		t.Errorf("slo_files[0] = %s", c.SLOFiles[0])
	}
	slos, ok, err := c.SLOSpecs(f.Path)
	if err != nil || !ok {
		t.Fatalf("SLOSpecs: %v %v", ok, err)
	}
	if slos[0].Name != "api-availability" || slos[0].Objective != 0.995 || slos[0].LowTrafficMin != 50 || slos[0].Window.Hours() != 28*24 {
		t.Errorf("inline SLO: %+v", slos[0])
	}
	if len(slos) < 3 {
		t.Fatalf("want the inline SLO plus the Sloth and OpenSLO ones, got %d", len(slos))
	}
	// No slos at all: ok is false so callers use their defaults.
	f2, err := Parse([]byte(sloCtx), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := f2.Contexts["dev"].SLOSpecs(""); ok || err != nil {
		t.Errorf("no SLOs configured: ok %v err %v", ok, err)
	}
}

func TestSLOsProblemsNameFileLineAndField(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 200\n    sli:\n      events:\n        error_query: sum(rate(x[{{.window}}]))\n        total_query: sum(rate(y[{{.window}}]))\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"inline objective", sloCtx + "    slos:\n      - name: a\n        objective: lots\n        sli: {events: {bad: 'sum(rate(x[{{.window}}]))', total: 'sum(rate(y[{{.window}}]))'}}\n",
			[]string{"c.yaml:6:20: contexts.dev.slos[0].objective:"}},
		{"inline bad promql", sloCtx + "    slos:\n      - name: a\n        objective: 99\n        sli:\n          events:\n            bad: sum(rate(x[{{.window}}])\n            total: sum(rate(y[{{.window}}]))\n",
			[]string{"c.yaml:9:18: contexts.dev.slos[0].sli.events.bad:", "PromQL"}},
		{"inline not a list", sloCtx + "    slos: 5\n", []string{"c.yaml:4:11: contexts.dev.slos:"}},
		{"missing file", sloCtx + "    slo_files: [nope.yml]\n", []string{"c.yaml:4:5: contexts.dev.slo_files[0]:", "nope.yml"}},
		{"malformed file", sloCtx + "    slo_files: [" + bad + "]\n", []string{bad + ":5:16: slos[0].objective:"}},
		{"exclusion time", sloCtx + "    slo_exclude:\n      - {from: yesterday, to: 2026-03-01T03:00:00Z}\n",
			[]string{"contexts.dev.slo_exclude[0]", "from: \"yesterday\" is not an RFC 3339 time"}},
		{"exclusion order", sloCtx + "    slo_exclude:\n      - {from: 2026-03-01T03:00:00Z, to: 2026-03-01T02:00:00Z}\n",
			[]string{"contexts.dev.slo_exclude[0]", "must be after from"}},
		{"exclusion kind", sloCtx + "    slo_exclude:\n      - {from: 2026-03-01T02:00:00Z, to: 2026-03-01T03:00:00Z, kind: holiday}\n",
			[]string{"contexts.dev.slo_exclude[0]", "\"holiday\" is not maintenance or drill"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), filepath.Join(dir, "c.yaml"), OSEnv())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), strings.ReplaceAll(w, "c.yaml", filepath.Join(dir, "c.yaml"))) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLagConfig(t *testing.T) {
	good := sloCtx + "    lag:\n      source: prometheus\n      window: 15m\n      queries:\n        lag: sum by (consumergroup, topic, partition) (my_lag)\n"
	f, err := Parse([]byte(good), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Contexts["dev"]
	if q := c.LagQueries(); q.Lag != "sum by (consumergroup, topic, partition) (my_lag)" || q.Committed != "kafka_consumergroup_current_offset" {
		t.Errorf("queries %+v", q)
	}
	if c.Lag.WindowOr().Minutes() != 15 || c.LagSource() != "prometheus" {
		t.Errorf("window %v source %s", c.Lag.WindowOr(), c.LagSource())
	}
	for doc, want := range map[string]string{
		sloCtx + "    lag: {source: carrier-pigeon}\n":       "c.yaml:4:11: contexts.dev.lag.source:",
		sloCtx + "    lag: {queries: {backlog: x}}\n":        "contexts.dev.lag.queries.backlog: unknown query role",
		sloCtx + "    lag: {queries: {lag: 'rate(x[5m]'}}\n": "contexts.dev.lag.queries.lag: not valid PromQL",
		sloCtx + "    lag: {queries: {lag: 'x[5m]'}}\n":      "must give an instant vector",
		sloCtx + "    lag: {window: 10s}\n":                  "contexts.dev.lag.window: window 10s is outside 1m..7d",
	} {
		_, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", doc, err, want)
		}
	}
}

func TestSLOExclusionsReachTheSLOs(t *testing.T) {
	doc := sloCtx + `    slo_exclude:
      - {from: 2026-03-01T02:00:00Z, to: 2026-03-01T03:30:00Z, kind: Maintenance, reason: db failover}
      - {from: 2026-03-02T10:00:00Z, to: 2026-03-02T10:20:00Z, slo: b, kind: drill}
    slos:
      - {name: a, objective: 99, sli: {raw: {error_ratio: 'x{w="{{.window}}"}'}}}
      - {name: b, objective: 99, sli: {raw: {error_ratio: 'x{w="{{.window}}"}'}}}
`
	f, err := Parse([]byte(doc), "c.yaml", OSEnv())
	if err != nil {
		t.Fatal(err)
	}
	_, c, _ := f.Select("dev")
	slos, _, err := c.SLOSpecs("c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(slos) != 2 || len(slos[0].Exclusions) != 1 || len(slos[1].Exclusions) != 2 {
		t.Fatalf("exclusions: %+v", slos)
	}
	e := slos[1].Exclusions[1]
	if e.Kind != "drill" || e.From.Format("15:04") != "10:00" || e.To.Sub(e.From).Minutes() != 20 {
		t.Errorf("b's drill = %+v", e)
	}
	if slos[0].Exclusions[0].Kind != "maintenance" || slos[0].Exclusions[0].Reason != "db failover" {
		t.Errorf("a's maintenance = %+v", slos[0].Exclusions[0])
	}
	if slos[0].Source != "config" {
		t.Errorf("source = %q", slos[0].Source)
	}
	if !c.DiscoverSLOs() {
		t.Error("discovery is on by default with a Prometheus")
	}
}
