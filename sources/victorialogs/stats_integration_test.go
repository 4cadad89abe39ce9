//go:build integration

package victorialogs

import (
	"errors"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
)

func TestStatsQueryRangeStack(t *testing.T) {
	c, url := stackClient(t, Config{})
	id := runID(t)
	now := time.Now().Truncate(time.Second)
	var lines []stacktest.VLogsLine
	for i := 0; i < 6; i++ {
		lv := "info"
		if i%3 == 0 {
			lv = "error"
		}
		lines = append(lines, stacktest.VLogsLine{TS: now.Add(-time.Duration(i) * time.Minute), Line: "stats " + id, Fields: map[string]string{"level": lv}})
	}
	stacktest.PushVLogs(t, url, map[string]string{"service": id}, lines)
	ss, _, err := c.MetricRange(ctxT(t), `{service="`+id+`"} | stats by (level) count() hits`, now.Add(-10*time.Minute), now.Add(time.Minute), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	total := map[string]float64{}
	for _, s := range ss {
		for _, p := range s.Samples {
			total[s.Labels["level"]] += p.Value
		}
		if s.Labels["__name__"] != "hits" {
			t.Errorf("labels = %v", s.Labels)
		}
	}
	if total["error"] != 2 || total["info"] != 4 {
		t.Errorf("totals by level = %v (series %v)", total, ss)
	}
	// A log query is refused with the server's reason, typed.
	_, _, err = c.MetricRange(ctxT(t), `{service="`+id+`"}`, now.Add(-10*time.Minute), now, time.Minute)
	var se *sources.Error
	if !errors.As(err, &se) || se.Kind != sources.KindBadQuery {
		t.Errorf("log query: %#v", err)
	}
}
