package slo_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/slotest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

// countingProm answers every instant query with 1% errors and a million
// events, fails the ones containing failOn, warns on those containing
// warnOn, and records what it was asked and how many queries were in
// flight at most. Its queries (but the probe) wait for release.
type countingProm struct {
	failOn, warnOn string
	history        error

	mu       sync.Mutex
	queries  []string
	inflight int
	most     int
	release  chan struct{}
}

// newCountingProm answers at once; heldProm's queries wait for release.
func newCountingProm() *countingProm { p := heldProm(); close(p.release); return p }
func heldProm() *countingProm        { return &countingProm{release: make(chan struct{})} }

func (p *countingProm) inFlight() (now, most int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inflight, p.most
}

func (p *countingProm) Query(_ context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	p.mu.Lock()
	p.queries = append(p.queries, expr)
	p.inflight++
	p.most = max(p.most, p.inflight)
	p.mu.Unlock()
	if expr != "vector(1)" {
		<-p.release
	}
	defer func() { p.mu.Lock(); p.inflight--; p.mu.Unlock() }()
	if p.failOn != "" && strings.Contains(expr, p.failOn) {
		return nil, nil, errors.New("bad query: " + p.failOn)
	}
	var warn []string
	if p.warnOn != "" && strings.Contains(expr, p.warnOn) {
		warn = []string{"slow " + p.warnOn}
	}
	v := 1e6
	if strings.Contains(expr, "\n/\n") {
		v = 0.01
	}
	return []sources.Series{{Samples: []sources.Sample{{Time: at, Value: v}}}}, warn, nil
}

func (p *countingProm) QueryRange(_ context.Context, _ string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	if p.history != nil {
		return nil, nil, p.history
	}
	s := sources.Series{}
	for t := from; !t.After(to); t = t.Add(step) {
		s.Samples = append(s.Samples, sources.Sample{Time: t, Value: 0.5})
	}
	return []sources.Series{s}, []string{"history partial"}, nil
}

func (p *countingProm) asked(prefix string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, q := range p.queries {
		if strings.HasPrefix(q, prefix) {
			n++
		}
	}
	return n
}

var measureAt = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func TestMeasureAllMeasuresEverySLOInOrderUnderOneBound(t *testing.T) {
	p := heldProm()
	type answer struct {
		ms  slo.Measurements
		err error
	}
	done := make(chan answer)
	go func() {
		ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p}, slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs()})
		done <- answer{ms, err}
	}()
	// Every SLO has more queries than the bound: held, they fill it, and
	// a bound per SLO instead of a shared one lets more in while we look.
	for n, _ := p.inFlight(); n < slo.DefaultParallelism; n, _ = p.inFlight() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	_, most := p.inFlight()
	close(p.release)
	a := <-done
	ms, err := a.ms, a.err
	if err != nil {
		t.Fatal(err)
	}
	want := slotest.SLOs()
	if len(ms.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(ms.Results), len(want))
	}
	for i, r := range ms.Results {
		if r.SLO.Name != want[i].Name || r.Err != nil || r.Eval.SLO.Name != want[i].Name {
			t.Errorf("result %d: %s (eval of %q), err %v; want %s measured", i, r.SLO.Name, r.Eval.SLO.Name, r.Err, want[i].Name)
		}
		if r.History != nil || r.HistoryErr != nil {
			t.Errorf("%s: history read though none was asked for", r.SLO.Name)
		}
	}
	if most != slo.DefaultParallelism {
		t.Errorf("%d queries in flight across all SLOs, want the shared bound %d", most, slo.DefaultParallelism)
	}
	if p.asked("vector(1)") != 0 {
		t.Error("probed without Probe")
	}
	if ms.FirstErr() != nil || ms.PlannedNote() != "" {
		t.Errorf("first error %v, planned note %q", ms.FirstErr(), ms.PlannedNote())
	}
}

func TestMeasureAllProbeFailureStopsBeforeAnythingElse(t *testing.T) {
	p := newCountingProm()
	p.failOn = "vector(1)"
	planned := &fakePlanned{}
	ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p, Planned: planned},
		slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs(), Probe: true})
	if err == nil || !strings.Contains(err.Error(), "vector(1)") {
		t.Fatalf("error %v, want the probe's", err)
	}
	if len(p.queries) != 1 || len(ms.Results) != 0 || !planned.to.IsZero() {
		t.Errorf("after a failed probe: %d queries, %d results, planned work read: %v", len(p.queries), len(ms.Results), !planned.to.IsZero())
	}
	p.failOn = ""
	if _, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p}, slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs(), Probe: true}); err != nil {
		t.Fatal(err)
	}
	if p.asked("vector(1)") != 2 {
		t.Errorf("probed %d times in two runs, want 2", p.asked("vector(1)"))
	}
}

func TestMeasureAllLeavesOutPlannedWorkAndSaysWhenItCannot(t *testing.T) {
	p := newCountingProm()
	planned := &fakePlanned{ws: []slo.PlannedWork{{Kind: "maintenance", Title: "db failover", Services: []string{"checkout"},
		From: measureAt.Add(-3 * time.Hour), To: measureAt.Add(-2 * time.Hour)}}}
	ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p, Planned: planned}, slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs()})
	if err != nil {
		t.Fatal(err)
	}
	if !planned.to.Equal(measureAt) {
		t.Errorf("planned work read up to %s, want %s", planned.to, measureAt)
	}
	for _, r := range ms.Results {
		if n, mine := len(r.SLO.Exclusions), r.SLO.Service == "checkout"; mine && n != 1 || !mine && n != 0 {
			t.Errorf("%s: %d exclusions; only checkout's SLOs have the maintenance, once", r.SLO.Name, n)
		}
	}
	planned.err = errors.New("store locked")
	ms, err = slo.MeasureAll(context.Background(), slo.Backends{Prom: p, Planned: planned}, slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs()})
	if err != nil || len(ms.Results) != len(slotest.SLOs()) || ms.FirstErr() != nil {
		t.Fatalf("err %v, %d results, first %v; want every SLO measured without the planned work", err, len(ms.Results), ms.FirstErr())
	}
	if n := ms.PlannedNote(); n != "drills and maintenance could not be read from the incident store: store locked" {
		t.Errorf("planned note %q", n)
	}
}

func TestMeasureAllName(t *testing.T) {
	p := newCountingProm()
	ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p},
		slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs(), Name: "checkout-availability"})
	if err != nil || len(ms.Results) != 1 || ms.Results[0].SLO.Name != "checkout-availability" {
		t.Fatalf("err %v, results %+v", err, ms.Results)
	}
	// Unknown: Named's error over the discovered SLOs too, and what was
	// searched with Gather's notes (a configured SLO hides a discovered
	// one of its name).
	configured := slotest.SLOs()
	shadow := configured[0]
	shadow.Name = "checkout-requests-availability"
	configured = append(configured, shadow)
	ms, err = slo.MeasureAll(context.Background(), slo.Backends{Prom: p, Rules: staticRules(stackRules(t))},
		slo.MeasureOptions{At: measureAt, Configured: configured, Name: "nope", Searched: slo.Searched{Context: "dev"}})
	if err == nil || !strings.Contains(err.Error(), `no SLO named "nope"`) || !strings.Contains(err.Error(), "frontend-errors") {
		t.Fatalf("error %v", err)
	}
	if ms.Searched.Context != "dev" || len(ms.Searched.Notes) != 1 || !strings.Contains(ms.Searched.Notes[0], "checkout-requests-availability") || len(ms.Results) != 0 {
		t.Errorf("searched %+v, %d results", ms.Searched, len(ms.Results))
	}
	// No SLOs at all is not an unknown name: the caller says none were found.
	ms, err = slo.MeasureAll(context.Background(), slo.Backends{Prom: p}, slo.MeasureOptions{At: measureAt, Name: "nope"})
	if err != nil || len(ms.Results) != 0 {
		t.Errorf("no SLOs: err %v, %d results", err, len(ms.Results))
	}
}

// staticRules is a rules API with fixed rules.
type staticRules []prom.Rule

func (r staticRules) Rules(context.Context) ([]prom.Rule, error) { return r, nil }

func TestMeasureAllOneSLOFailsTheOthersStand(t *testing.T) {
	p := newCountingProm()
	p.failOn, p.warnOn = `service="checkout"`, `service="frontend"`
	ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p}, slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ms.Results {
		failed := r.SLO.Service == "checkout"
		if (r.Err != nil) != failed {
			t.Errorf("%s: err %v", r.SLO.Name, r.Err)
		}
		warned := r.SLO.Service == "frontend"
		if got := len(r.Warnings) == 1 && r.Warnings[0] == `slow service="frontend"`; got != warned {
			t.Errorf("%s: warnings %q", r.SLO.Name, r.Warnings)
		}
	}
	if err := ms.FirstErr(); err == nil || !strings.Contains(err.Error(), "checkout") {
		t.Errorf("first error %v", err)
	}
}

func TestMeasureAllHistory(t *testing.T) {
	p := newCountingProm()
	o := slo.MeasureOptions{At: measureAt, Configured: slotest.SLOs()[:1], History: time.Hour, HistoryStep: 7 * time.Minute}
	ms, err := slo.MeasureAll(context.Background(), slo.Backends{Prom: p, History: p}, o)
	if err != nil {
		t.Fatal(err)
	}
	r := ms.Results[0]
	from := measureAt.Add(-time.Hour).Truncate(7 * time.Minute)
	if r.HistoryErr != nil || len(r.History) == 0 || !r.History[0].Time.Equal(from) || r.History[0].Rate != 0.5 {
		t.Fatalf("history %v %+v; want points from %s", r.HistoryErr, r.History, from)
	}
	if len(r.Warnings) != 1 || r.Warnings[0] != "history partial" {
		t.Errorf("warnings %q, want the history's", r.Warnings)
	}
	p.history = errors.New("range too long")
	ms, _ = slo.MeasureAll(context.Background(), slo.Backends{Prom: p, History: p}, o)
	if r := ms.Results[0]; r.Err != nil || r.HistoryErr == nil || r.History != nil {
		t.Errorf("a failed history: err %v, history err %v, %d points; want the evaluation kept", r.Err, r.HistoryErr, len(r.History))
	}
}
