//go:build integration

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/ui/headless"
)

// TestE2ELogsInstantAgainstRealVictoriaLogs pushes lines of known levels
// and checks that `reltui logs --instant` counts them per level, as
// logcli instant-query would, and refuses a log query.
func TestE2ELogsInstantAgainstRealVictoriaLogs(t *testing.T) {
	st := stacktest.Require(t)
	if os.Getenv("RELTUI_TEST_LOG_BACKEND") == "loki" {
		t.Skip("the query is LogsQL; the stack's config points at VictoriaLogs")
	}
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	run := "instant-" + hex.EncodeToString(b)
	now := time.Now()
	want := map[string]int{"info": 7, "error": 3}
	var lines []stacktest.LokiLine
	for lv, n := range want {
		for i := 0; i < n; i++ {
			lines = append(lines, stacktest.LokiLine{TS: now.Add(-time.Duration(2+i) * time.Minute),
				Line: fmt.Sprintf("level=%s msg=%q", lv, run), Meta: map[string]string{"level": lv}})
		}
	}
	stacklogs.Push(t, st, map[string]string{"job": "reltui-instant-it", "run": run}, lines)

	bin := buildBinary(t)
	q := fmt.Sprintf(`{run=%q} _time:30m | stats by (level) count() hits`, run)
	code, out, errs := runBin(t, bin, "logs", q, "--instant", "-o", "json", "--config", st.ConfigPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var series []headless.SeriesJSON
	if err := json.Unmarshal([]byte(out), &series); err != nil {
		t.Fatalf("not a JSON series list: %v\n%s", err, out)
	}
	got := map[string]int{}
	for _, s := range series {
		if len(s.Samples) != 1 {
			t.Fatalf("an instant series has %d samples: %+v", len(s.Samples), s)
		}
		v, _ := s.Samples[0][1].(float64)
		got[s.Labels["level"]] = int(v)
	}
	if len(got) != len(want) || got["info"] != want["info"] || got["error"] != want["error"] {
		t.Errorf("counts %v, pushed %v", got, want)
	}
	if code, _, errs := runBin(t, bin, "logs", fmt.Sprintf(`{run=%q}`, run), "--instant", "--config", st.ConfigPath); code == 0 || errs == "" {
		t.Errorf("--instant on a log query: exit %d, stderr %q", code, errs)
	}
}
