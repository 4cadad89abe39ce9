package main

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/victorialogs"
)

// TestLogsMetricDecision checks which queries `reltui logs` runs as metric
// queries: the backend decides, in its own language.
func TestLogsMetricDecision(t *testing.T) {
	lc, err := loki.New(loki.Config{Address: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	vc, err := victorialogs.New(victorialogs.Config{Address: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		backend sources.LogBackend
		expr    string
		want    bool
	}{
		{lc, `sum by (level) (count_over_time({service="payments"}[5m]))`, true},
		{lc, `{service="payments"} |= "timeout"`, false},
		{vc, `{service="payments"} | stats by (level) count() hits`, true},
		{vc, `{service="payments"} timeout`, false},
		// LogQL's metric form is not LogsQL's: VictoriaLogs reads it as a
		// (failing) log query and says why.
		{vc, `sum(count_over_time({service="payments"}[5m]))`, false},
		{lc, `{service="payments"} | stats count()`, false},
	}
	for _, c := range cases {
		_, got := sources.AsMetricQuery(c.backend, c.expr)
		if got != c.want {
			t.Errorf("%s: AsMetricQuery(%q) = %v, want %v", c.backend.Backend(), c.expr, got, c.want)
		}
	}
	if _, ok := sources.AsMetricQuery(struct{ sources.LogBackend }{vc}, `* | stats count()`); ok {
		t.Error("a backend without LogMetrics must run every query as a log query")
	}
}

func TestDefaultMetricStep(t *testing.T) {
	from := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		span time.Duration
		want time.Duration
	}{{time.Minute, time.Second}, {15 * time.Minute, 3 * time.Second}, {time.Hour, 14 * time.Second}, {6 * time.Hour, 86 * time.Second}} {
		if got := sources.DefaultMetricStep(from, from.Add(c.span)); got != c.want {
			t.Errorf("DefaultMetricStep(%v) = %v, want %v", c.span, got, c.want)
		}
	}
}

func TestLogsStepUsageErrors(t *testing.T) {
	for _, step := range []string{"fast", "0s", "-1m"} {
		code, _, stderr := runCLI(t, "logs", `{a="b"} | stats count()`, "--step", step)
		if code != 2 || !strings.Contains(stderr, "--step") {
			t.Errorf("--step %s: exit %d, stderr %q", step, code, stderr)
		}
	}
	// A step with a log query is a mistake, said before any output.
	p := writeConfig(t, "contexts:\n  dev:\n    victorialogs:\n      url: http://127.0.0.1:1\n")
	code, stdout, stderr := runCLI(t, "logs", `{a="b"}`, "--step", "1m", "--config", p)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "metric queries only") {
		t.Errorf("step with a log query: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
