package ui

import (
	"context"
	"errors"
	"strings"
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

var update = panetest.BoolFlag("update", "rewrite golden files")

var fixedNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

// newTestModel is a console drawn without colour, on a clock stopped at
// fixedNow, whose four backends count their pings.
func newTestModel(t *testing.T, pings *atomic.Int32) (*Model, *panetest.Clock) {
	return newModelWith(t, termenv.Ascii, pings)
}

// newModelWith is newTestModel drawn with profile (and its palette, see
// panetest.Renderer).
func newModelWith(t *testing.T, profile termenv.Profile, pings *atomic.Int32) (*Model, *panetest.Clock) {
	t.Helper()
	r, pal := panetest.Renderer(profile)
	clk := panetest.NewClock(fixedNow)
	ping := func(context.Context) error { pings.Add(1); return nil }
	m := New(Deps{
		Context: "dev",
		Backends: []Backend{
			{Name: "loki", Addr: "http://127.0.0.1:3100", Ping: ping},
			{Name: "prometheus", Addr: "http://127.0.0.1:9090", Ping: ping},
			{Name: "alertmanager", Addr: "http://127.0.0.1:9093", Ping: ping},
			{Name: "jaeger", Addr: "grpc://127.0.0.1:16685", Ping: ping},
		},
		Range:    LiveRange(time.Hour),
		Palette:  pal,
		Renderer: r,
		Now:      clk.Now,
	})
	t.Cleanup(m.Close)
	return m, clk
}

// keyMsg is the key message for a key name (see panetest.Key).
var keyMsg = panetest.Key

// healthy answers the first probe round: loki, prometheus and alertmanager
// fine, jaeger refused.
func healthy(m *Model, at time.Time) {
	m.Update(healthMsg{seq: 1, name: "loki", at: at, latency: 3 * time.Millisecond})
	m.Update(healthMsg{seq: 1, name: "prometheus", at: at, latency: 2 * time.Millisecond})
	m.Update(healthMsg{seq: 1, name: "alertmanager", at: at, latency: 2 * time.Millisecond})
	m.Update(healthMsg{seq: 1, name: "jaeger", at: at, latency: time.Millisecond,
		err: &sources.Error{Backend: "jaeger", Op: "ping", Kind: sources.KindUnreachable, Msg: "127.0.0.1:16685: connection refused"}})
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	cmd := m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, k := range []string{"tab", "tab", "shift+tab", "3", "?", "esc", "[", "]", "+", "-", "0"} {
		m.Update(keyMsg(k))
		_ = m.View()
	}
	if n := pings.Load(); n != 0 {
		t.Fatalf("Update/View made %d backend calls", n)
	}
	// The work happens when the runtime runs the Cmd, not before.
	runCmd(cmd)
	if n := pings.Load(); n != 4 {
		t.Fatalf("probe round made %d calls, want 4", n)
	}
}

// runCmd executes a Cmd tree the way the runtime would, minus the Tick.
func runCmd(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				runCmd(c)
			}
		}
	case <-time.After(200 * time.Millisecond):
		// A Tick; not run in tests.
	}
}

func TestStaleHealthResultsDropped(t *testing.T) {
	var pings atomic.Int32
	m, clk := newTestModel(t, &pings)
	m.Init()
	healthy(m, clk.Now())
	clk.Add(20 * time.Second)
	m.Update(tickMsg{at: clk.Now()}) // starts round 2
	if m.probeSeq != 2 {
		t.Fatalf("probeSeq = %d, want 2", m.probeSeq)
	}
	// A late answer from round 1 must not overwrite round 2's view.
	m.Update(healthMsg{seq: 1, name: "loki", at: clk.Now(), err: errors.New("late")})
	if m.backends[0].state != healthOK {
		t.Fatalf("stale result applied: %+v", m.backends[0])
	}
}

func TestOverlappingProbeRoundDropped(t *testing.T) {
	var pings atomic.Int32
	m, clk := newTestModel(t, &pings)
	m.Init() // round 1 in flight
	clk.Add(time.Minute)
	m.Update(tickMsg{at: clk.Now()})
	if m.probeSeq != 1 {
		t.Fatalf("a second round started while the first was in flight (seq %d)", m.probeSeq)
	}
}

func TestKeysSwitchPanesAndRange(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	steps := []struct {
		key        string
		wantActive int
		wantRange  string
	}{
		{"tab", 1, "last 1h (live)"},
		{"shift+tab", 0, "last 1h (live)"},
		{"shift+tab", 7, "last 1h (live)"},
		{"3", 2, "last 1h (live)"},
		{"-", 2, "last 3h (live)"},
		{"+", 2, "last 1h (live)"},
		{"+", 2, "last 30m (live)"},
		{"[", 2, "11-22 09:45 → 11-22 10:15 UTC (30m)"},
		{"]", 2, "last 30m (live)"},
		{"[", 2, "11-22 09:45 → 11-22 10:15 UTC (30m)"},
		{"0", 2, "last 30m (live)"},
	}
	for i, s := range steps {
		m.Update(keyMsg(s.key))
		if m.active != s.wantActive {
			t.Fatalf("step %d (%s): active = %d, want %d", i, s.key, m.active, s.wantActive)
		}
		if got := m.rng.Label(fixedNow); got != s.wantRange {
			t.Fatalf("step %d (%s): range = %q, want %q", i, s.key, got, s.wantRange)
		}
	}
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q did not quit")
	}
	if m.ctx.Err() == nil {
		t.Fatal("quitting did not cancel in-flight work")
	}
}

func TestZoomStaysWithinPresets(t *testing.T) {
	r := LiveRange(5 * time.Minute)
	if r.Zoom(true).Span != 5*time.Minute {
		t.Fatal("zoomed in past 5m")
	}
	r = LiveRange(30 * 24 * time.Hour)
	if r.Zoom(false).Span != 30*24*time.Hour {
		t.Fatal("zoomed out past 30d")
	}
	if got := LiveRange(2 * time.Hour).Zoom(true).Span; got != time.Hour {
		t.Fatalf("2h zoom in = %v", got)
	}
}

func TestGoldenViews(t *testing.T) {
	all := panetest.Shots() // 80x24 and 200x50, each nocolor and 256
	small := all[:1]        // 80x24 nocolor
	cases := []struct {
		scene string
		keys  []string
		shots []panetest.Shot
	}{
		{"shell", nil, all},
		{"help", []string{"?"}, small},
		{"palette", []string{":", "r"}, small},
		{"status", []string{"run:status"}, []panetest.Shot{all[0], all[3]}},
	}
	for _, c := range cases {
		for _, s := range c.shots {
			t.Run(s.Name(c.scene), func(t *testing.T) {
				var pings atomic.Int32
				m, clk := newModelWith(t, s.Profile, &pings)
				m.Init()
				m.Update(tea.WindowSizeMsg{Width: s.W, Height: s.H})
				healthy(m, clk.Now().Add(-3*time.Second))
				for _, k := range c.keys {
					if verb, ok := strings.CutPrefix(k, "run:"); ok {
						m.Update(paletteRunMsg{verb: verb})
						continue
					}
					m.Update(keyMsg(k))
				}
				got := m.View()
				if n := strings.Count(got, "\n") + 1; n != s.H {
					t.Fatalf("frame has %d lines, want the terminal's %d", n, s.H)
				}
				s.Golden(t, c.scene, got, update())
			})
		}
	}
}

// logSource is a log backend that answers every query with nothing.
type logSource struct{}

func (logSource) QueryRange(context.Context, sources.LogQuery) (*sources.LogResult, error) {
	return &sources.LogResult{}, nil
}
func (logSource) Tail(context.Context, string, time.Time) sources.LogTail { return nil }
func (logSource) Labels(context.Context, time.Time, time.Time) ([]string, error) {
	return nil, errors.New("no labels")
}
func (logSource) Backend() string             { return "loki" }
func (logSource) Dialect() sources.LogDialect { return loki.Dialect{} }

// The Logs pane is rebuilt by :theme (keeping its query and history) and
// :ctx (keeping its history); the root reaches both through the pane
// list alone, and Histories hands the history on to be saved.
func TestLogsQueryAndHistoryOutliveRebuilds(t *testing.T) {
	r, pal := panetest.Renderer(termenv.ANSI256)
	m := New(Deps{Context: "dev", Logs: logSource{}, LogHistory: []string{`{app="a"}`}, Palette: pal, Renderer: r,
		Now: func() time.Time { return fixedNow }, Contexts: []string{"dev", "staging"},
		OpenContext: func(name string) (ContextDeps, error) { return ContextDeps{Name: name, Logs: logSource{}}, nil }})
	t.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	logsPane := func() keeper {
		k, ok := paneAs[keeper](m.panes[m.indexOf(pane.TargetLogs)])
		if !ok {
			t.Fatal("the Logs pane keeps no query")
		}
		return k
	}
	want := func(query string, history ...string) {
		t.Helper()
		if q, h := logsPane().Query(), logsPane().History(); q != query || strings.Join(h, " ") != strings.Join(history, " ") {
			t.Fatalf("query %q history %q, want %q %q", q, h, query, history)
		}
		if _, h := m.Histories(); strings.Join(h, " ") != strings.Join(history, " ") {
			t.Fatalf("Histories gives %q, want %q", h, history)
		}
	}
	want("", `{app="a"}`)

	if cmd := typeLine(t, m, `logs {app="b"}`); cmd == nil {
		t.Fatal(":logs QUERY ran nothing")
	}
	want(`{app="b"}`, `{app="a"}`, `{app="b"}`)

	id := m.ids[0]
	typeLine(t, m, "theme light")
	if m.ids[0] == id {
		t.Fatal(":theme did not rebuild the Logs pane")
	}
	want(`{app="b"}`, `{app="a"}`, `{app="b"}`)

	m.Update(typeLine(t, m, "ctx staging")())
	if m.ctxName != "staging" {
		t.Fatalf("ctx %q", m.ctxName)
	}
	want("", `{app="a"}`, `{app="b"}`)
}
