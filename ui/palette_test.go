package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// typeLine opens the palette, types s and presses enter, then delivers the
// resulting message the way the runtime would.
func typeLine(t *testing.T, m *Model, s string) tea.Cmd {
	t.Helper()
	m.Update(keyMsg(":"))
	if !m.palette.open {
		t.Fatal("palette did not open")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if m.palette.open {
		t.Fatal("palette still open after enter")
	}
	if cmd == nil {
		return nil
	}
	msg := cmd()
	_, next := m.Update(msg)
	return next
}

func TestPaletteRange(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	typeLine(t, m, "range 6h")
	if got := m.rng.Label(fixedNow); got != "last 6h (live)" {
		t.Fatalf("range = %q", got)
	}
	typeLine(t, m, "range 2026-11-22T08:00:00Z..2026-11-22T09:30:00Z")
	if got := m.rng.Label(fixedNow); got != "11-22 08:00 → 11-22 09:30 UTC (1h30m)" {
		t.Fatalf("range = %q", got)
	}
	typeLine(t, m, "range live")
	if !m.rng.Live() {
		t.Fatal("not live")
	}
	typeLine(t, m, "range soon")
	if !strings.Contains(m.flash, `invalid duration "soon"`) || !strings.Contains(m.View(), "invalid duration") {
		t.Fatalf("flash = %q", m.flash)
	}
	typeLine(t, m, "bogus")
	if !strings.Contains(m.flash, `unknown command "bogus"`) {
		t.Fatalf("flash = %q", m.flash)
	}
	if pings.Load() != 0 {
		t.Fatal("palette did I/O in Update")
	}
}

func TestPaletteSuggestsAndCompletes(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.palette.contexts = []string{"prod", "staging"}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(keyMsg(":"))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ct")})
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	if v := m.palette.input.Value(); v != "ctx " {
		t.Fatalf("completed to %q", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("st")})
	if s := m.palette.suggestions(); len(s) != 1 || s[0] != "ctx staging" {
		t.Fatalf("suggestions = %v", s)
	}
	if !strings.Contains(m.View(), "ctx staging") {
		t.Fatal("suggestion not on screen")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if m.palette.open {
		t.Fatal("esc did not close")
	}
}

func TestPaletteHistory(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	typeLine(t, m, "range 3h")
	typeLine(t, m, "range 6h")
	m.Update(keyMsg(":"))
	m.Update(tea.KeyMsg{Type: tea.KeyUp})
	if v := m.palette.input.Value(); v != "range 6h" {
		t.Fatalf("up = %q", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyUp})
	if v := m.palette.input.Value(); v != "range 3h" {
		t.Fatalf("up up = %q", v)
	}
	pal, _ := m.Histories()
	if len(pal) != 2 {
		t.Fatalf("history = %v", pal)
	}
	// Walking back past the newest shows what was typed before the walk;
	// closed mid-walk, the palette opens on the newest again.
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	m.Update(keyMsg(":"))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ran")})
	m.Update(tea.KeyMsg{Type: tea.KeyUp})
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	if v := m.palette.input.Value(); v != "ran" {
		t.Fatalf("up, down = %q, want the draft back", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})

	// A saved history seeds the palette and outlives a theme change.
	seeded := New(Deps{Context: "dev", PaletteHistory: []string{"range 2h", "theme dark"}, Now: func() time.Time { return fixedNow }})
	t.Cleanup(seeded.Close)
	seeded.applyTheme(themes.Light())
	if pal, _ := seeded.Histories(); strings.Join(pal, ",") != "range 2h,theme dark" {
		t.Fatalf("seeded history after a theme change = %q", pal)
	}
}

func TestContextSwitchDropsPerContextState(t *testing.T) {
	var pings atomic.Int32
	m, clk := newTestModel(t, &pings)
	var closed atomic.Int32
	m.deps.OpenContext = func(name string) (ContextDeps, error) {
		if name == "nope" {
			return ContextDeps{}, errors.New(`context "nope" is not in c.yaml`)
		}
		return ContextDeps{Name: name, Close: func() { closed.Add(1) },
			Backends: []Backend{{Name: "prometheus", Addr: "http://staging", Ping: func(context.Context) error { return nil }}}}, nil
	}
	m.ctxClose = func() { closed.Add(1) }
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	healthy(m, clk.Now())
	oldLogs := m.ids[m.indexOf(pane.TargetLogs)]
	oldCtx := m.cctx
	typeLine(t, m, "range 6h")

	openCtx := func(line string) {
		t.Helper()
		cmd := typeLine(t, m, line)
		if cmd == nil {
			t.Fatalf("%s returned no Cmd", line)
		}
		m.Update(cmd())
	}
	openCtx("ctx nope")
	if !strings.Contains(m.flash, "cannot open context") || m.ctxName != "dev" {
		t.Fatalf("failed switch: flash %q ctx %q", m.flash, m.ctxName)
	}
	openCtx("ctx staging")
	if m.ctxName != "staging" || !strings.Contains(m.View(), "ctx staging") {
		t.Fatalf("ctx = %q", m.ctxName)
	}
	if oldCtx.Err() == nil {
		t.Fatal("old context's work not cancelled")
	}
	if m.ids[m.indexOf(pane.TargetLogs)] == oldLogs {
		t.Fatal("logs pane kept across contexts")
	}
	if len(m.backends) != 1 || m.backends[0].Name != "prometheus" || m.backends[0].state == healthOK {
		t.Fatalf("backends not reset: %+v", m.backends)
	}
	if closed.Load() != 1 {
		t.Fatalf("old context closed %d times", closed.Load())
	}
	if got := m.rng.Label(fixedNow); got != "last 6h (live)" {
		t.Fatalf("the range should carry over, got %q", got)
	}
	// A probe answer from the old context's round is stale.
	m.Update(healthMsg{seq: 1, name: "prometheus", at: clk.Now(), err: errors.New("old")})
	if m.backends[0].state == healthDown {
		t.Fatal("stale probe from the old context applied")
	}
}

func TestStaleContextSwitchDropped(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	var closed atomic.Int32
	m.deps.OpenContext = func(name string) (ContextDeps, error) {
		return ContextDeps{Name: name, Close: func() { closed.Add(1) }}, nil
	}
	m.Update(keyMsg(":"))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ctx a")})
	_, c1 := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	run1 := c1()
	_, open1 := m.Update(run1)
	m.Update(keyMsg(":"))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ctx b")})
	_, c2 := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	_, open2 := m.Update(c2())
	m.Update(open2()) // b arrives first
	m.Update(open1()) // then the older a
	if m.ctxName != "b" {
		t.Fatalf("ctx = %q, want b", m.ctxName)
	}
	if closed.Load() != 1 {
		t.Fatalf("the dropped context was not closed (%d)", closed.Load())
	}
}

// TestRuneBurstStillOpensPalette: keys that arrive in one read come as one
// KeyRunes message; ":q" typed fast must still quit.
func TestRuneBurstStillOpensPalette(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":range 6h")})
	if !m.palette.open || m.palette.input.Value() != "range 6h" {
		t.Fatalf("open=%v value=%q", m.palette.open, m.palette.input.Value())
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m.Update(cmd())
	if got := m.rng.Label(fixedNow); got != "last 6h (live)" {
		t.Fatalf("range = %q", got)
	}
	// A bracketed paste is text, not shortcuts.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":q"), Paste: true})
	if m.palette.open || m.ctx.Err() != nil {
		t.Fatal("a paste acted as shortcuts")
	}
}

// Every pane is reached by its name from ":", and tab completes the name
// from a prefix.
func TestPaletteReachesEveryPaneByName(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, c := range []struct {
		typed string // what is typed before tab
		want  string // the pane's title afterwards
	}{
		{"me", "Metrics"}, {"traces", "Traces"}, {"req", "Request"}, {"sl", "SLOs"},
		{"la", "Lag"}, {"al", "Alerts"}, {"in", "Incidents"}, {"lo", "Logs"},
	} {
		m.Update(keyMsg(":"))
		typed := typeTab(m, c.typed)
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		for _, msg := range panetest.Collect(cmd, 100*time.Millisecond) {
			m.Update(msg)
		}
		if got := m.panes[m.active].Title(); !strings.HasPrefix(got, c.want) {
			t.Errorf(":%s (completed to %q) shows %q, want %s", c.typed, typed, got, c.want)
		}
	}
	if pings.Load() != 0 {
		t.Fatal("palette did I/O in Update")
	}
}

func TestPaletteCompletesCommonPrefix(t *testing.T) {
	var pings atomic.Int32
	m, _ := newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(keyMsg(":"))
	if v := typeTab(m, "tr"); v != "trace" {
		t.Fatalf("tr completed to %q, want the shared prefix trace", v)
	}
	if v := typeTab(m, "s"); v != "traces " {
		t.Fatalf("traces completed to %q", v)
	}
}

// typeTab types s into the open palette, presses tab and returns the line.
func typeTab(m *Model, s string) string {
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	return m.palette.input.Value()
}
