package config

import (
	"strings"
	"testing"
)

func TestLogBackendVictoriaLogs(t *testing.T) {
	doc := "contexts:\n  prod:\n    victorialogs:\n      url: http://vl:9428\n      tenant: \"12:3\"\n"
	f, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	kind, b := f.Contexts["prod"].LogBackend()
	if kind != LogBackendVictoriaLogs || b == nil || b.URL != "http://vl:9428" || b.Tenant != "12:3" {
		t.Fatalf("LogBackend() = %q, %+v", kind, b)
	}
	if !strings.Contains(f.Redacted(testEnv(nil, nil)), "victorialogs:") {
		t.Fatal("the redacted config does not list the victorialogs backend")
	}
}

func TestLogBackendLokiAndNone(t *testing.T) {
	f, err := Parse([]byte("contexts:\n  a:\n    loki:\n      url: http://loki:3100\n  b:\n    prometheus:\n      url: http://p:9090\n"), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if kind, b := f.Contexts["a"].LogBackend(); kind != LogBackendLoki || b == nil {
		t.Fatalf("a: %q %v", kind, b)
	}
	if kind, b := f.Contexts["b"].LogBackend(); kind != "" || b != nil {
		t.Fatalf("b: %q %v", kind, b)
	}
}

func TestTwoLogBackendsRefused(t *testing.T) {
	doc := "contexts:\n  prod:\n    loki:\n      url: http://loki:3100\n    victorialogs:\n      url: ftp://vl:9428\n"
	_, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err == nil {
		t.Fatal("a context with loki and victorialogs was accepted")
	}
	for _, want := range []string{"contexts.prod.victorialogs", "not both", "contexts.prod.victorialogs.url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestFromEnvVictoriaLogs(t *testing.T) {
	f, err := FromEnv(testEnv(map[string]string{"RELTUI_VICTORIALOGS_URL": "http://127.0.0.1:9428"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if kind, b := f.Contexts[EnvContext].LogBackend(); kind != LogBackendVictoriaLogs || b.URL != "http://127.0.0.1:9428" {
		t.Fatalf("%q %+v", kind, b)
	}
	_, err = FromEnv(testEnv(map[string]string{"RELTUI_VICTORIALOGS_URL": "http://127.0.0.1:9428", "LOKI_ADDR": "http://loki:3100"}, nil))
	if err == nil || !strings.Contains(err.Error(), "RELTUI_VICTORIALOGS_URL") {
		t.Fatalf("both log backends from the environment: %v", err)
	}
}
