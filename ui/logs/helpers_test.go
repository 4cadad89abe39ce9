package logs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var fixedNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

// atFixedNow are Basics whose clock is stopped at fixedNow.
func atFixedNow() pane.Basics { return pane.Basics{Now: func() time.Time { return fixedNow }} }

// queryAnswer is a as the answer to the query request's latest run.
func queryAnswer(m *Model, a answer) resultMsg {
	return resultMsg{Pane: m.id, Name: "query", Seq: m.query.Seq(), Value: a}
}

// metricAnswer is p as the answer to the query request's latest run.
func metricAnswer(m *Model, p plot) resultMsg { return queryAnswer(m, answer{metric: true, plot: p}) }

// startTestTail starts a run of the tail request as startTail does, but
// opens nothing, and returns its stamp.
func startTestTail(m *Model) pane.Stamp {
	var run pane.Stamp
	m.tail.StartWith(m.ctx, func(_ context.Context, s pane.Stamp) tea.Cmd { run = s; return nil })
	return run
}

// tailRun is the stamp of the tail request's latest run.
func tailRun(m *Model) pane.Stamp { return pane.Stamp{Pane: m.id, Name: "tail", Seq: m.tail.Seq()} }

// fakeSource counts every call, so tests can prove Update and View make
// none: only running the returned Cmds may.
type fakeSource struct {
	queries atomic.Int32
	tails   atomic.Int32

	mu      sync.Mutex
	query   func(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error)
	seen    []sources.LogQuery
	tailers []*fakeTail
	starts  []time.Time
}

func (f *fakeSource) QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error) {
	f.queries.Add(1)
	f.mu.Lock()
	f.seen = append(f.seen, q)
	fn := f.query
	f.mu.Unlock()
	if fn == nil {
		return &sources.LogResult{}, nil
	}
	return fn(ctx, q)
}

func (f *fakeSource) Tail(ctx context.Context, expr string, start time.Time) sources.LogTail {
	f.tails.Add(1)
	t := newFakeTail(ctx)
	f.mu.Lock()
	f.tailers = append(f.tailers, t)
	f.starts = append(f.starts, start)
	f.mu.Unlock()
	return t
}

// Labels fails, as a backend that cannot list its labels would: the hints
// keep their default. labeledSource answers it.
func (f *fakeSource) Labels(context.Context, time.Time, time.Time) ([]string, error) {
	return nil, errors.New("fake: no labels")
}

// Backend and Dialect make the fake speak LogQL, as Loki's client does.
func (f *fakeSource) Backend() string             { return "loki" }
func (f *fakeSource) Dialect() sources.LogDialect { return loki.Dialect{} }

func (f *fakeSource) setQuery(fn func(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error)) {
	f.mu.Lock()
	f.query = fn
	f.mu.Unlock()
}

// returning answers every query with es (given newest first, as a
// backward query returns them).
func (f *fakeSource) returning(es []sources.LogEntry, warnings ...string) {
	f.setQuery(func(context.Context, sources.LogQuery) (*sources.LogResult, error) {
		return &sources.LogResult{Entries: es, Warnings: warnings}, nil
	})
}

// fakeTail behaves like loki.Tail: C closes when its context ends.
type fakeTail struct {
	ch     chan []sources.LogEntry
	done   chan struct{}
	ctx    context.Context
	mu     sync.Mutex
	status sources.TailStatus
	err    error
	once   sync.Once
}

func newFakeTail(ctx context.Context) *fakeTail {
	t := &fakeTail{ch: make(chan []sources.LogEntry, 64), done: make(chan struct{}), ctx: ctx}
	t.status.State = sources.TailConnecting
	go func() {
		<-ctx.Done()
		t.end(nil)
	}()
	return t
}

func (t *fakeTail) end(err error) {
	t.once.Do(func() {
		t.mu.Lock()
		t.err = err
		t.status.State = sources.TailStopped
		t.status.LastErr = err
		t.mu.Unlock()
		close(t.ch)
		close(t.done)
	})
}

func (t *fakeTail) C() <-chan []sources.LogEntry { return t.ch }
func (t *fakeTail) Done() <-chan struct{}        { return t.done }
func (t *fakeTail) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}
func (t *fakeTail) Status() sources.TailStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status
}

func (t *fakeTail) setState(s sources.TailState, err error) {
	t.mu.Lock()
	t.status.State, t.status.LastErr = s, err
	if s == sources.TailReconnecting {
		t.status.Reconnects++
	}
	t.mu.Unlock()
}

// build is New with what every test sets the same way: a renderer that
// writes nowhere, without colour (buildIn names the profile), and times
// in UTC unless cfg names a zone. The pane is closed when t ends.
func build(t testing.TB, cfg Config) *Model { return buildIn(t, termenv.Ascii, cfg) }

// buildIn is build drawing with profile and its palette (see
// panetest.Renderer).
func buildIn(t testing.TB, profile termenv.Profile, cfg Config) *Model {
	cfg.Renderer, cfg.Palette = panetest.Renderer(profile)
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	m := New(cfg)
	t.Cleanup(m.Close)
	return m
}

// newTestModel is a w×h pane over src, drawn without colour, on a clock
// stopped at fixedNow, with the last hour, live, as its range.
func newTestModel(t testing.TB, src Source, w, h int) (*Model, *panetest.Clock) {
	return newTestModelIn(t, termenv.Ascii, src, w, h)
}

// newTestModelIn is newTestModel drawn with profile.
func newTestModelIn(t testing.TB, profile termenv.Profile, src Source, w, h int) (*Model, *panetest.Clock) {
	t.Helper()
	clk := panetest.NewClock(fixedNow)
	m := buildIn(t, profile, Config{Source: src, Basics: pane.Basics{Now: clk.Now}})
	m.SetSize(w, h)
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, true)
	return m, clk
}

// press sends keys one after another and returns their Cmds, batched.
var press = panetest.Press[*Model]

// settle feeds the messages of cmd back into the model until no more
// arrive, the way the runtime would, minus ticks and spinner frames.
func settle(m *Model, cmd tea.Cmd) { settleWithin(m, cmd, 150*time.Millisecond) }

// settleWithin is settle taking a Cmd that has not answered within wait
// for a timer (a real backend wants a longer wait).
func settleWithin(m *Model, cmd tea.Cmd, wait time.Duration) {
	panetest.Settle(m, cmd, wait, func(tea.Msg) bool { return true })
}

// first is the first of two results.
func first[A, B any](a A, _ B) A { return a }

// finishScan runs a filter's scan to the end, as the step messages its
// Cmd sends would.
func finishScan(m *Model, _ tea.Cmd) {
	for m.scanning() {
		m.Update(filterStepMsg{pane: m.id, gen: m.fltGen})
	}
}

// entries builds n entries one second apart ending at end, newest first.
func entries(n int, end time.Time, line func(i int) string) []sources.LogEntry {
	labels := map[string]string{"app": "api", "env": "dev"}
	es := make([]sources.LogEntry, n)
	for i := 0; i < n; i++ {
		// i = 0 is the oldest; the slice is newest first.
		es[n-1-i] = sources.LogEntry{Time: end.Add(-time.Duration(n-1-i) * time.Second), Labels: labels, Line: line(i)}
	}
	return es
}

func plainLine(i int) string {
	lv := [...]string{"info", "debug", "warn", "error"}[i%4]
	return fmt.Sprintf("level=%s msg=\"request %d handled\" path=/api/orders/%d status=200", lv, i, i)
}

// loaded returns a model showing n lines of plainLine.
func loaded(t testing.TB, n, w, h int) (*Model, *fakeSource, *panetest.Clock) {
	t.Helper()
	src := &fakeSource{}
	src.returning(entries(n, fixedNow.Add(-time.Second), plainLine))
	m, clk := newTestModel(t, src, w, h)
	m.editor.SetValue(`{app="api"}`)
	settle(m, press(m, "i", "enter"))
	if m.buf.Len() != n {
		t.Fatalf("loaded %d lines, want %d", m.buf.Len(), n)
	}
	return m, src, clk
}
