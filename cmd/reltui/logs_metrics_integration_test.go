//go:build integration

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/ui/headless"
)

// TestE2ELogsMetricQueryAgainstRealVictoriaLogs runs a LogsQL stats query
// through the real binary against the stack's VictoriaLogs, which the demo
// workload fills with payments lines at every level.
func TestE2ELogsMetricQueryAgainstRealVictoriaLogs(t *testing.T) {
	st := stacktest.Require(t)
	if os.Getenv("RELTUI_TEST_LOG_BACKEND") == "loki" {
		t.Skip("the query is LogsQL; the stack's config points at VictoriaLogs")
	}
	bin := buildBinary(t)
	eventually(t, 60*time.Second, func() error {
		code, out, errs := runBin(t, bin, "logs", `{service="payments"} | stats by (level) count() hits`, "--since", "15m", "-o", "json", "--config", st.ConfigPath)
		if code != 0 {
			return fmt.Errorf("exit %d: %s", code, errs)
		}
		var series []headless.SeriesJSON
		if err := json.Unmarshal([]byte(out), &series); err != nil {
			return fmt.Errorf("output is not a JSON series list: %v\n%s", err, out)
		}
		if len(series) == 0 {
			return fmt.Errorf("no series yet")
		}
		for _, s := range series {
			if s.Labels["level"] == "" || len(s.Samples) == 0 {
				return fmt.Errorf("series without a level or points: %+v", s)
			}
			for _, p := range s.Samples {
				if v, ok := p[1].(float64); !ok || v <= 0 {
					return fmt.Errorf("point %v is not a positive count", p)
				}
			}
		}
		return nil
	})

	// The text form names each series by its labels.
	code, out, errs := runBin(t, bin, "logs", `{service="payments"} | stats by (level) count() hits`, "--since", "15m", "--step", "5m", "--config", st.ConfigPath)
	if code != 0 || len(out) == 0 || out[0] != '{' {
		t.Fatalf("text: exit %d\n%s\n%s", code, out, errs)
	}
	// A LogsQL query VictoriaLogs refuses is exit 1 with its reason.
	code, _, errs = runBin(t, bin, "logs", `{service="payments"} | stats by (level) count( hits`, "--since", "15m", "--config", st.ConfigPath)
	if code != 1 || errs == "" {
		t.Fatalf("bad stats query: exit %d, stderr %q", code, errs)
	}
}
