package changes

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

type fakeLogs struct {
	mu  sync.Mutex
	q   sources.LogQuery
	res []sources.LogEntry
	err error
}

func (f *fakeLogs) QueryRange(_ context.Context, q sources.LogQuery) (*sources.LogResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.q = q
	return &sources.LogResult{Entries: f.res}, f.err
}

func TestLogLinesAreEvents(t *testing.T) {
	src := Source{Name: "config", Kind: "config", Logs: `{service=~".+"} "config reloaded"`, ServiceLabel: "service"}
	long := strings.Repeat("x", 300)
	f := &fakeLogs{res: []sources.LogEntry{
		{Time: t0.Add(2 * time.Minute), Labels: map[string]string{"service": "payments"}, Line: "config reloaded: timeout 2s\x1b[31m"},
		{Time: t0.Add(time.Minute), Labels: map[string]string{}, Metadata: map[string]string{"service": "checkout"}, Line: long},
		{Time: t0.Add(3 * time.Minute), Labels: map[string]string{"service": "orders"}, Line: "config reloaded"},
	}}
	evs, err := FetchLogs(context.Background(), f, src, t0, t0.Add(time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.q.Expr != src.Logs || f.q.Limit != MaxLogEvents || !f.q.From.Equal(t0) {
		t.Errorf("query = %+v", f.q)
	}
	if len(evs) != 3 || evs[0].Service != "checkout" || evs[1].Service != "payments" {
		t.Fatalf("events = %+v", evs)
	}
	if strings.ContainsRune(evs[1].What, 0x1b) || !strings.HasPrefix(evs[1].What, "config reloaded: timeout 2s") {
		t.Errorf("what = %q", evs[1].What)
	}
	if n := len([]rune(evs[0].What)); n != maxWhat {
		t.Errorf("a long line is cut to %d runes, got %d", maxWhat, n)
	}
	only, _ := FetchLogs(context.Background(), f, src, t0, t0.Add(time.Hour), "orders")
	if len(only) != 1 || only[0].Service != "orders" {
		t.Errorf("filtered = %+v", only)
	}
	f.err = errors.New("down")
	if _, err := FetchLogs(context.Background(), f, src, t0, t0, ""); !errors.Is(err, f.err) {
		t.Errorf("err = %v", err)
	}
}
