package loki

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/transport"
)

// MetricInstant is what `reltui logs --instant` runs: Loki's /query at the
// moment given, on a recorded Loki vector answer.
func TestContractMetricInstant(t *testing.T) {
	stub, srv := newStub(t, map[string]stubAnswer{queryPath: {file: "query_vector.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	at := t0.Add(time.Minute)
	series, _, err := c.MetricInstant(context.Background(), `sum(rate({job="shop"}[10m])) by (level)`, at)
	if err != nil {
		t.Fatal(err)
	}
	if q := stub.last().URL.Query(); q.Get("time") != ns(at) || q.Get("query") != `sum(rate({job="shop"}[10m])) by (level)` {
		t.Fatalf("parameters %v", q)
	}
	if len(series) != 2 || series[1].Labels["level"] != "warn" || len(series[1].Samples) != 1 {
		t.Fatalf("series %+v", series)
	}
	// A log query is refused before Loki is asked.
	count := func() int { stub.mu.Lock(); defer stub.mu.Unlock(); return len(stub.reqs) }
	n := count()
	_, _, err = c.MetricInstant(context.Background(), `{job="shop"}`, at)
	var se *sources.Error
	if !errors.As(err, &se) || se.Kind != sources.KindBadQuery || count() != n {
		t.Fatalf("log query: %v, %d requests", err, count()-n)
	}
}
