//go:build integration && loki

package loki

import (
	"testing"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtest"
)

// TestConformance runs the log-backend suite, the one VictoriaLogs passes,
// against a real Loki. It needs a loki binary on the machine (the stack
// starts it; the project never builds Loki), so it runs only in make
// test's second pass with the loki tag. It has never run on the machines
// this project is built on, which have no Loki.
func TestConformance(t *testing.T) {
	st := stacktest.Require(t)
	if st.LokiURL == "" {
		t.Fatal("stack.env has no RELTUI_LOKI_URL: the stack runs no Loki (no loki binary on PATH or LOKI_BIN)")
	}
	logtest.Run(t, logtest.Harness{
		Address: st.LokiURL,
		New: func(t *testing.T, cfg logtest.ClientConfig) sources.LogBackend {
			addr := cfg.Address
			if addr == "" {
				addr = st.LokiURL
			}
			c, err := New(Config{Address: addr, PageSize: cfg.PageSize, Guard: cfg.Guard})
			if err != nil {
				t.Fatal(err)
			}
			c.tailRetryBase = cfg.TailBackoff
			return c
		},
		Push: func(t *testing.T, addr string, stream map[string]string, lines []logtest.Line) {
			t.Helper()
			ll := make([]stacktest.LokiLine, len(lines))
			for i, l := range lines {
				ll[i] = stacktest.LokiLine{TS: l.Time, Line: l.Line, Meta: l.Metadata}
			}
			stacktest.PushLoki(t, addr, stream, ll)
		},
		// Loki's parser: "parse error at line 1, col ...".
		BadQueryReason: "parse error",
		// A run of one timestamp longer than a page cannot be read whole
		// through Loki's API; the client says so in a warning.
		ExactRuns: false,
	})
}
