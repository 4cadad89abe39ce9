package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageErrorsExit2WithOneLine(t *testing.T) {
	cases := [][]string{
		{"logs"},
		{"logs", "{a=\"b\"}", "--since", "soon"},
		{"logs", "{a=\"b\"}", "--direction", "sideways"},
		{"logs", "{a=\"b\"}", "--output", "xml"},
		{"logs", "{a=\"b\"}", "--bogus"},
		{"logs", "{a=\"b\"}", "--from", "2026-11-22T10:00:00Z", "--to", "2026-11-22T09:00:00Z"},
		{"metrics", "up", "--step", "fast"},
		{"traces"},
		{"traces", "--service", "x", "--tag", "novalue"},
		{"trace"},
		{"alerts", "--source", "pagerduty"},
		{"nonsense"},
	}
	for _, args := range cases {
		code, _, stderr := runCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "reltui: ") {
			t.Errorf("%v: stderr is not one reltui: line: %q", args, stderr)
		}
	}
}

func TestConfigCheckBadConfigNamesLineAndKey(t *testing.T) {
	p := writeConfig(t, "contexts:\n  dev:\n    loki:\n      url: http://127.0.0.1:1\n      timout: 5s\n")
	code, _, stderr := runCLI(t, "config", "check", "--config", p)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	want := p + `:5:7: contexts.dev.loki.timout: unknown key (did you mean "timeout"?)`
	if !strings.Contains(stderr, want) {
		t.Fatalf("stderr %q lacks %q", stderr, want)
	}
}

func TestConfigCheckOfflineRedacts(t *testing.T) {
	t.Setenv("TEST_RELTUI_TOKEN", "super-secret-token")
	p := writeConfig(t, "contexts:\n  dev:\n    prometheus:\n      url: http://127.0.0.1:1\n      bearer_token: {env: TEST_RELTUI_TOKEN}\n")
	code, stdout, stderr := runCLI(t, "config", "check", "--offline", "--config", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "super-secret-token") {
		t.Fatal("secret printed")
	}
	if !strings.Contains(stdout, "from env TEST_RELTUI_TOKEN (redacted)") {
		t.Fatalf("stdout: %s", stdout)
	}
}

func TestConfigCheckUnreachableBackendFails(t *testing.T) {
	p := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\n    prometheus: {url: http://127.0.0.1:1}\n    jaeger: {url: grpc://127.0.0.1:1}\n")
	code, stdout, stderr := runCLI(t, "config", "check", "--config", p, "--timeout", "3s")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(stdout, "FAIL unreachable") != 3 {
		t.Fatalf("want 3 unreachable backends:\n%s", stdout)
	}
	if !strings.Contains(stderr, "3 of 3 backends unhealthy") {
		t.Fatalf("stderr: %s", stderr)
	}
}

func TestUnknownContext(t *testing.T) {
	p := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\n")
	code, _, stderr := runCLI(t, "logs", "{a=\"b\"}", "--config", p, "--context", "prod")
	if code != 1 || !strings.Contains(stderr, `context "prod" is not in`) {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestMissingBackend(t *testing.T) {
	p := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\n")
	code, _, stderr := runCLI(t, "traces", "--service", "x", "--config", p)
	if code != 1 || !strings.Contains(stderr, "context dev has no jaeger configured") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "reltui ") {
		t.Fatalf("exit %d out %q", code, out)
	}
}
