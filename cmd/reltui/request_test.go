package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRequestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"request"},
		{"request", "a", "b"},
		{"request", "req-1", "--output", "jsonl"},
		{"request", "two words"},
		{"request", "req-1", "--since", "soon"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, "reltui: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one reltui: line", args, code, stderr)
		}
	}
}

// With both backends down the command still answers: a labelled partial
// result, the not-found message naming what was searched, and exit 1.
func TestRequestBackendsDown(t *testing.T) {
	p := writeConfig(t, "contexts:\n  dev:\n    loki:\n      url: http://127.0.0.1:1\n      timeout: 2s\n    jaeger:\n      url: grpc://127.0.0.1:1\n      timeout: 2s\n"+
		"    prometheus:\n      url: http://127.0.0.1:1\n      timeout: 2s\n    changes:\n      - name: deploys\n        promql: app_build_info\n")
	code, stdout, stderr := runCLI(t, "request", "req-0123", "--config", p, "--output", "json", "--since", "1h")
	if code != 1 {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	for _, k := range []string{"request_id", "trace_ids", "services", "window", "summary", "spans", "logs", "timeline", "changes", "changes_elsewhere"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q (has %v)", k, keys)
		}
	}
	if len(doc) != 10 {
		t.Errorf("JSON has %d fields, want exactly 10: %v", len(doc), keys)
	}
	for _, want := range []string{"partial: loki unreachable", "jaeger unreachable", "req-0123 not found in",
		"changes not all listed: changes deploys: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
