package lag

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// recorder answers every query with nothing and remembers range starts.
type recorder struct{ from map[string]time.Time }

func (r *recorder) Query(context.Context, string, time.Time) ([]sources.Series, []string, error) {
	return nil, nil, nil
}

func (r *recorder) QueryRange(_ context.Context, expr string, from, _ time.Time, _ time.Duration) ([]sources.Series, []string, error) {
	r.from[expr] = from
	return nil, nil, nil
}

// A consumer stuck longer than the window judged sits on an offset
// produced before the window: the producer's history must reach further.
func TestProducedHistoryReachesBeyondTheWindow(t *testing.T) {
	r := &recorder{from: map[string]time.Time{}}
	now := t0
	if _, _, err := FromPrometheus(context.Background(), r, DefaultQueries(), "g", now.Add(-2*time.Minute), now); err != nil {
		t.Fatal(err)
	}
	for expr, from := range r.from {
		got := now.Sub(from)
		switch {
		case strings.HasPrefix(expr, "kafka_topic_partition_current_offset"):
			if got != MinProducedHistory {
				t.Errorf("produced history %s, want %s", got, MinProducedHistory)
			}
		case got != 2*time.Minute:
			t.Errorf("%s: history %s, want the 2m window", expr, got)
		}
	}
	if len(r.from) != 3 || !strings.Contains(strings.Join(keys(r.from), " "), `{consumergroup="g"}`) {
		t.Errorf("range queries %v", r.from)
	}
}

func keys(m map[string]time.Time) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCheckQuery(t *testing.T) {
	for q, want := range map[string]string{
		"kafka_consumergroup_lag": "",
		"sum by (topic) (x)":      "",
		"":                        "empty",
		"rate(x[5m]":              "not valid PromQL",
		"x[5m]":                   "instant vector",
		"1":                       "instant vector",
	} {
		err := CheckQuery(q)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%q: %v, want %q", q, err, want)
		}
	}
}
