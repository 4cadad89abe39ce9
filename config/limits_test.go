package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadContext(t *testing.T, body string) (*File, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte("contexts:\n  dev:\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return Load(p, true, OSEnv())
}

func TestBackendLimits(t *testing.T) {
	f, err := loadContext(t, `    loki: {url: http://127.0.0.1:3100, max_response_mib: 8, max_message_mib: 2}
    prometheus: {url: http://127.0.0.1:9090, max_response_mib: 16}
    jaeger: {url: grpc://127.0.0.1:16685, max_message_mib: 32}
`)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Contexts["dev"]
	if got := c.Loki.MaxResponseBytes(); got != 8<<20 {
		t.Errorf("loki response limit %d", got)
	}
	if got := c.Loki.MaxMessageBytes(); got != 2<<20 {
		t.Errorf("loki frame limit %d", got)
	}
	if got := c.Prometheus.MaxResponseBytes(); got != 16<<20 {
		t.Errorf("prometheus response limit %d", got)
	}
	if got := c.Jaeger.MaxMessageBytes(); got != 32<<20 {
		t.Errorf("jaeger message limit %d", got)
	}
	if got := c.Prometheus.MaxMessageBytes(); got != 0 {
		t.Errorf("unset limit %d, want 0 (client default)", got)
	}
}

func TestBackendLimitProblems(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"    prometheus: {url: http://127.0.0.1:9090, max_response_mib: -1}\n", "prometheus.max_response_mib: max_response_mib -1 is outside 1..4096"},
		{"    victorialogs: {url: http://127.0.0.1:9428, max_message_mib: 5000}\n", "victorialogs.max_message_mib: max_message_mib 5000 is outside"},
		{"    prometheus: {url: http://127.0.0.1:9090, max_message_mib: 4}\n", "max_message_mib does not apply to prometheus; use max_response_mib"},
		{"    jaeger: {url: grpc://127.0.0.1:16685, max_response_mib: 4}\n", "max_response_mib does not apply to jaeger; use max_message_mib"},
	} {
		_, err := loadContext(t, tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.body, err, tc.want)
		}
	}
}
