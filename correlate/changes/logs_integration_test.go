//go:build integration

package changes

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
)

// A config-change line pushed into the stack's log backend comes back as
// an event for the service its stream names, through the backend's own
// query language.
func TestLogLinesFromTheRealBackendAreEvents(t *testing.T) {
	st := stacktest.Require(t)
	be := stacklogs.Backend(t, st)
	svc := "reltui-it-config-" + strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
	at := time.Now().Add(-2 * time.Minute).Truncate(time.Millisecond)
	stacklogs.Push(t, st, map[string]string{"service": svc}, []stacktest.LokiLine{
		{TS: at, Line: "config reloaded: payments.timeout 2s -> 5s"},
		{TS: at.Add(time.Second), Line: "request served"},
	})
	d := be.Dialect()
	src := Source{Name: "config", Kind: "config", Logs: d.Contains(d.Stream("service", svc), "config reloaded"), ServiceLabel: "service"}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	evs, err := FetchLogs(ctx, be, src, at.Add(-time.Minute), time.Now(), svc)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Service != svc || !evs[0].T.Equal(at) || evs[0].What != "config reloaded: payments.timeout 2s -> 5s" {
		t.Fatalf("events = %+v (query %s)", evs, src.Logs)
	}
}
