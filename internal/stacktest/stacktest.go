// Package stacktest finds the dev stack that `make stack-up` started, for
// integration tests. A test that needs the stack fails loudly when it is
// missing; it never skips, because a silently skipped integration test is a
// check that cannot fail.
package stacktest

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Stack holds the endpoints written to .devstack/stack.env.
type Stack struct {
	Dir string
	// LokiURL is a real Loki's base URL; empty unless the machine has a
	// loki binary (the project never builds Loki).
	LokiURL string
	// VLogsURL is the stack's VictoriaLogs, its log backend.
	VLogsURL    string
	PromURL     string
	AlertURL    string
	JaegerGRPC  string // host:port of the api_v2 QueryService
	JaegerHTTP  string
	OTLPGRPC    string // host:port
	OTLPHTTP    string
	DemoControl string // host:port of the demo workload's control server
	ConfigPath  string // the reltui config written for the stack
	LogCLI      string // path of the logcli binary built from the same Loki
	PostgresDSN string // the dev PostgreSQL (scripts/stack/postgres.sh); tests make their own schema in it
	vars        map[string]string
}

// Var returns any variable from stack.env.
func (s Stack) Var(name string) string { return s.vars[name] }

// Require returns the running stack or fails the test.
func Require(t testing.TB) Stack {
	t.Helper()
	s, err := Find()
	if err != nil {
		t.Fatalf("dev stack not found (run `make stack-up`, or `make test` which starts it): %v", err)
	}
	return s
}

// Find locates stack.env from RELTUI_STACK_DIR or by walking up from the
// working directory to a .devstack directory.
func Find() (Stack, error) {
	dir := os.Getenv("RELTUI_STACK_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return Stack{}, err
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, ".devstack", "stack.env")); err == nil {
				dir = filepath.Join(d, ".devstack")
				break
			}
			if filepath.Dir(d) == d {
				return Stack{}, os.ErrNotExist
			}
		}
	}
	vars, err := parseEnv(filepath.Join(dir, "stack.env"))
	if err != nil {
		return Stack{}, err
	}
	return Stack{
		Dir:         dir,
		LokiURL:     vars["RELTUI_LOKI_URL"],
		VLogsURL:    vars["RELTUI_VLOGS_URL"],
		PromURL:     vars["RELTUI_PROM_URL"],
		AlertURL:    vars["RELTUI_ALERTMANAGER_URL"],
		JaegerGRPC:  vars["RELTUI_JAEGER_GRPC"],
		JaegerHTTP:  vars["RELTUI_JAEGER_HTTP_URL"],
		OTLPGRPC:    vars["RELTUI_OTLP_GRPC"],
		OTLPHTTP:    vars["RELTUI_OTLP_HTTP_URL"],
		DemoControl: vars["RELTUI_DEMO_CONTROL"],
		ConfigPath:  filepath.Join(dir, "config.yaml"),
		LogCLI:      vars["RELTUI_LOGCLI"],
		PostgresDSN: vars["RELTUI_PG_DSN"],
		vars:        vars,
	}, nil
}

// parseEnv reads `export NAME=value` / `NAME="value"` lines.
func parseEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		out[strings.TrimSpace(k)] = v
	}
	return out, sc.Err()
}
