package serve

import (
	"context"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
)

// metricBackend is a log backend with metric queries; only the metric side
// is exercised.
type metricBackend struct {
	sources.LogBackend
	calls int
}

func (m *metricBackend) Backend() string { return "loki" }
func (m *metricBackend) IsMetricQuery(expr string) bool {
	return !loki.Dialect{}.IsSelector(expr)
}
func (m *metricBackend) MetricRange(context.Context, string, time.Time, time.Time, time.Duration) ([]sources.Series, []string, error) {
	m.calls++
	return []sources.Series{{Labels: map[string]string{"level": "error"}}}, nil, nil
}

// Sessions under serve see the backend's metric queries through the
// shared source, as the local console does.
func TestSharedLogsPassesMetricQueries(t *testing.T) {
	b := &metricBackend{}
	src := SharedLogs(b, nil)
	lm, ok := sources.AsMetricQuery(src, `sum(count_over_time({app="a"}[5m]))`)
	if !ok {
		t.Fatal("the shared source hides the backend's metric queries")
	}
	ss, _, err := lm.MetricRange(context.Background(), "q", time.Time{}, time.Time{}, time.Second)
	if err != nil || len(ss) != 1 || b.calls != 1 {
		t.Fatalf("MetricRange: %v %v, %d calls", ss, err, b.calls)
	}
	if _, ok := sources.AsMetricQuery(src, `{app="a"}`); ok {
		t.Fatal("a log query was taken for a metric query")
	}
}
