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

// buildInfo answers a range query as Prometheus would for build-info
// series that each start at a time and never stop: a sample at every
// step at or after the series' start.
type buildInfo struct {
	mu     sync.Mutex
	starts map[string]time.Time // "service/version" → first sample
	asked  []time.Time          // the from of each query
	err    error
}

func (b *buildInfo) QueryRange(_ context.Context, _ string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.asked = append(b.asked, from)
	if b.err != nil {
		return nil, nil, b.err
	}
	var out []sources.Series
	for key, start := range b.starts {
		svc, ver, _ := strings.Cut(key, "/")
		s := sources.Series{Labels: map[string]string{"__name__": "build_info", "service": svc, "version": ver}}
		for t := from; !t.After(to); t = t.Add(step) {
			if !t.Before(start) {
				s.Samples = append(s.Samples, sources.Sample{Time: t, Value: 1})
			}
		}
		if len(s.Samples) > 0 {
			out = append(out, s)
		}
	}
	return out, nil, nil
}

func TestInWindowListsEverySourcesChangesInTheWindow(t *testing.T) {
	from, to := t0, t0.Add(10*time.Minute)
	prom := &buildInfo{starts: map[string]time.Time{
		"payments/1": t0.Add(-time.Hour),
		"payments/2": t0, // at the window's very start: still a change in it
		"checkout/1": t0.Add(-time.Hour),
		"checkout/2": t0.Add(4 * time.Minute),
		"orders/1":   t0.Add(-time.Hour),
		"orders/2":   t0.Add(-time.Minute), // before the window
		"search/1":   t0.Add(-time.Hour),
		"search/2":   t0.Add(11 * time.Minute), // after it
	}}
	logs := &fakeLogs{res: []sources.LogEntry{
		{Time: t0.Add(6 * time.Minute), Labels: map[string]string{"service": "checkout"}, Line: "config reloaded"},
		{Time: t0.Add(7 * time.Minute), Labels: map[string]string{}, Line: "feature flag flipped for everyone"},
		{Time: t0.Add(8 * time.Minute), Labels: map[string]string{"service": "search"}, Line: "config reloaded"},
	}}
	f := Feeds{Prom: prom, Logs: logs, Sources: []Source{
		deploys,
		{Name: "config", Kind: "config", Logs: `{app="deployer"}`, ServiceLabel: "service"},
	}}
	evs, err := InWindow(context.Background(), f, from, to, []string{"payments", "checkout"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.T.Sub(t0).String()+" "+e.String())
	}
	want := []string{
		"0s deploy payments: version 1 → 2",
		"4m0s deploy checkout: version 1 → 2",
		"6m0s config checkout: config reloaded",
		"7m0s config all services: feature flag flipped for everyone",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The PromQL source looked back before the window, so the deploy at
	// its start had an earlier version to compare with.
	if len(prom.asked) != 1 || !prom.asked[0].Before(from) {
		t.Errorf("asked from %v", prom.asked)
	}
	if !logs.q.From.Equal(from) || !logs.q.To.Equal(to) {
		t.Errorf("log query window %v – %v", logs.q.From, logs.q.To)
	}

	all, err := InWindow(context.Background(), f, from, to, nil)
	if err != nil || len(all) != 5 {
		t.Fatalf("without services: %v, %v", all, err)
	}
}

func TestInWindowKeepsWhatAnsweredWhenASourceFails(t *testing.T) {
	boom := errors.New("boom")
	logs := &fakeLogs{res: []sources.LogEntry{{Time: t0.Add(time.Minute), Labels: map[string]string{"service": "a"}, Line: "reloaded"}}}
	f := Feeds{Prom: &buildInfo{err: boom}, Logs: logs, Sources: []Source{
		deploys,
		{Name: "config", Kind: "config", Logs: `{app="x"}`, ServiceLabel: "service"},
		{Name: "flags", Kind: "config", Logs: `{app="y"}`},
	}}
	evs, err := InWindow(context.Background(), f, t0, t0.Add(time.Hour), nil)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "changes deploys") {
		t.Fatalf("err = %v", err)
	}
	if len(evs) != 2 || evs[0].Source != "config" && evs[0].Source != "flags" {
		t.Fatalf("events = %+v", evs)
	}

	f.Logs = nil
	_, err = InWindow(context.Background(), f, t0, t0.Add(time.Hour), nil)
	if err == nil || !strings.Contains(err.Error(), "changes config: a log query needs a log backend") {
		t.Fatalf("without a log backend: %v", err)
	}
	f = Feeds{Sources: []Source{deploys}}
	if _, err := InWindow(context.Background(), f, t0, t0.Add(time.Hour), nil); err == nil || !strings.Contains(err.Error(), "needs Prometheus") {
		t.Fatalf("without Prometheus: %v", err)
	}
	if _, err := InWindow(context.Background(), f, t0, t0, nil); err == nil {
		t.Fatal("an empty window is an error")
	}
}

func TestInWindowIsBounded(t *testing.T) {
	var es []sources.LogEntry
	for i := range MaxInWindow + 50 {
		es = append(es, sources.LogEntry{Time: t0.Add(time.Duration(i) * time.Second), Labels: map[string]string{}, Line: "x"})
	}
	f := Feeds{Logs: &fakeLogs{res: es}, Sources: []Source{{Name: "c", Kind: "config", Logs: "q"}}}
	evs, err := InWindow(context.Background(), f, t0, t0.Add(time.Hour), nil)
	if err != nil || len(evs) != MaxInWindow || !evs[0].T.Equal(t0) {
		t.Fatalf("%d events, err %v", len(evs), err)
	}
}

func TestStepFor(t *testing.T) {
	for _, c := range []struct {
		len, want time.Duration
	}{{time.Minute, time.Second}, {time.Hour, 3 * time.Second}, {24 * time.Hour, 86 * time.Second}} {
		if got := StepFor(t0, t0.Add(c.len)); got != c.want {
			t.Errorf("StepFor(%v) = %v, want %v", c.len, got, c.want)
		}
	}
}
