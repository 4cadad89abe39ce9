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

// The rest of logcli's variables that change what goes on the wire: the
// header the token travels in, the proxy, the query tags and no-cache.
func TestFromEnvLogcliWireVariables(t *testing.T) {
	env := testEnv(map[string]string{
		"LOKI_ADDR": "https://logs.example.com", "LOKI_BEARER_TOKEN": "tok", "LOKI_AUTH_HEADER": "X-Auth",
		"LOKI_HTTP_PROXY_URL": "http://proxy.internal:3128", "LOKI_QUERY_TAGS": "source=oncall", "LOKI_NO_CACHE": "true",
	}, nil)
	f, err := FromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.Contexts[EnvContext].Loki.Transport(env)
	if err != nil {
		t.Fatal(err)
	}
	if o.AuthHeader != "X-Auth" || o.BearerToken != "tok" || o.ProxyURL != "http://proxy.internal:3128" ||
		o.Headers["X-Query-Tags"] != "source=oncall" || o.Headers["Cache-Control"] != "no-cache" {
		t.Fatalf("transport %+v", o)
	}
	// Problems name the variable the user set.
	_, err = FromEnv(testEnv(map[string]string{"LOKI_ADDR": "https://logs.example.com", "LOKI_AUTH_HEADER": "X-Auth"}, nil))
	if err == nil || !strings.Contains(err.Error(), "LOKI_AUTH_HEADER") || !strings.Contains(err.Error(), "bearer_token") {
		t.Fatalf("auth header without a token: %v", err)
	}
	_, err = FromEnv(testEnv(map[string]string{"LOKI_ADDR": "https://logs.example.com", "LOKI_HTTP_PROXY_URL": "ftp://p:21"}, nil))
	if err == nil || !strings.Contains(err.Error(), "LOKI_HTTP_PROXY_URL") {
		t.Fatalf("bad proxy: %v", err)
	}
}
