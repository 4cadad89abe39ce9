package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadServe(t *testing.T, body string) (*File, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte("contexts:\n  dev:\n    prometheus:\n      url: http://127.0.0.1:9090\nserve:\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return Load(p, true, OSEnv())
}

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"

func TestServeConfig(t *testing.T) {
	f, err := loadServe(t, `  listen: 127.0.0.1:2222
  host_key: /var/lib/reltui/host_ed25519
  authorized_keys: /etc/reltui/authorized_keys
  idle_timeout: 15m
  max_sessions: 20
  max_sessions_per_user: 3
  max_sessions_per_role: {viewer: 10}
  stall_timeout: 20s
  output_buffer_bytes: 131072
  ipv6_prefix: 56
  limiter_addresses: 1000
  connections_per_minute: 12
  users:
    alice: {role: commander, keys: ["`+testKey+`"]}
    bob: {role: viewer}
`)
	if err != nil {
		t.Fatal(err)
	}
	s := f.Serve
	if s.Listen != "127.0.0.1:2222" || s.IdleTimeout.Std().Minutes() != 15 || s.MaxSessions != 20 || s.Users["alice"].Role != "commander" || len(s.Users["alice"].Keys) != 1 {
		t.Fatalf("%+v", s)
	}
	if s.MaxSessionsPerUser != 3 || s.MaxSessionsPerRole["viewer"] != 10 || s.StallTimeout.Std().Seconds() != 20 ||
		s.OutputBufferBytes != 131072 || s.IPv6Prefix != 56 || s.LimiterAddresses != 1000 {
		t.Fatalf("limits: %+v", s)
	}
}

func TestServeConfigProblems(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"  listen: 2222\n", "serve.listen: want host:port"},
		{"  listen: \":2222\"\n", "an empty host"},
		{"  users:\n    alice: {role: admin}\n", `:7:13: serve.users.alice.role: unknown role "admin"`},
		{"  users:\n    alice: {role: viewer, keys: [\"ssh-ed25519 nope\"]}\n", "serve.users.alice.keys: key 1 is not a public key"},
		{"  users:\n    alice: {role: viewer, keys: ['no-pty " + testKey + "']}\n", "without options"},
		{"  max_sessions: -1\n", "serve.max_sessions: must not be negative"},
		{"  max_sessions_per_user: -2\n", "serve.max_sessions_per_user: must not be negative"},
		{"  max_sessions_per_role: {admin: 3}\n", `serve.max_sessions_per_role.admin: unknown role "admin"`},
		{"  max_sessions_per_role: {viewer: -3}\n", "serve.max_sessions_per_role.viewer: must not be negative"},
		{"  stall_timeout: -1s\n", "serve.stall_timeout: expected a duration"},
		{"  ipv6_prefix: 129\n", "serve.ipv6_prefix: want a prefix length from 1 to 128"},
		{"  idle_timeuot: 5m\n", `unknown key (did you mean "idle_timeout"?)`},
	} {
		_, err := loadServe(t, tc.body)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.body, err, tc.want)
		}
	}
}
