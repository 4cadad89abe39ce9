// Package stacklogs connects integration tests to the dev stack's log
// backend through the log-backend contract, so a test written once runs
// against whichever backend the stack serves. It lives apart from
// stacktest because the backends' own tests import stacktest.
package stacklogs

import (
	"os"
	"testing"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/victorialogs"
)

// Backend returns a client of the stack's log backend: VictoriaLogs, or a
// real Loki when RELTUI_TEST_LOG_BACKEND=loki and the stack started one.
// It fails the test when the stack has neither.
func Backend(t testing.TB, st stacktest.Stack) sources.LogBackend {
	t.Helper()
	b, err := open(st, os.Getenv("RELTUI_TEST_LOG_BACKEND"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// URL is the base URL of the backend Backend connects to.
func URL(st stacktest.Stack) string {
	if os.Getenv("RELTUI_TEST_LOG_BACKEND") == "loki" {
		return st.LokiURL
	}
	return st.VLogsURL
}

func open(st stacktest.Stack, which string) (sources.LogBackend, error) {
	if which == "loki" {
		if st.LokiURL == "" {
			return nil, errNoLoki
		}
		return loki.New(loki.Config{Address: st.LokiURL})
	}
	if st.VLogsURL == "" {
		return nil, errNoVLogs
	}
	return victorialogs.New(victorialogs.Config{Address: st.VLogsURL})
}

type stackError string

func (e stackError) Error() string { return string(e) }

const (
	errNoLoki  stackError = "RELTUI_TEST_LOG_BACKEND=loki but the stack runs no Loki (no loki binary on PATH or LOKI_BIN)"
	errNoVLogs stackError = "stack.env has no RELTUI_VLOGS_URL: the dev stack runs no VictoriaLogs (make stack-up)"
)

// Push writes lines to one stream of the backend Backend connects to: the
// stream's labels become stream labels (VictoriaLogs stream fields), each
// line's Meta structured metadata (fields). Lines are kept verbatim (a JSON
// line is not split into fields) and searchable when Push returns.
func Push(t testing.TB, st stacktest.Stack, stream map[string]string, lines []stacktest.LokiLine) {
	t.Helper()
	if os.Getenv("RELTUI_TEST_LOG_BACKEND") == "loki" {
		stacktest.PushLoki(t, st.LokiURL, stream, lines)
		return
	}
	vl := make([]stacktest.VLogsLine, len(lines))
	for i, l := range lines {
		vl[i] = stacktest.VLogsLine{TS: l.TS, Line: l.Line, Fields: l.Meta}
	}
	stacktest.PushVLogs(t, st.VLogsURL, stream, vl)
}
