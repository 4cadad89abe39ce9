package panetest

import (
	"testing"
	"time"
)

// clockPane draws the time of its clock and what its backend says.
type clockPane struct {
	clk *Clock
	src *string
}

func (p clockPane) View() string { return p.clk.Now().Format("15:04") + " " + *p.src }

func TestFixtureDrawsItsPaneForGoldens(t *testing.T) {
	t.Chdir(t.TempDir())
	type fix = Fixture[clockPane, *string]
	build := func(t *testing.T, s Shot) fix {
		clk, src := NewClock(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)), new(string)
		return fix{M: clockPane{clk, src}, Src: src, Clk: clk}
	}
	scenes := []Scene[fix]{{Name: "later", Run: func(t *testing.T, f fix) {
		f.Clk.Add(time.Minute)
		*f.Src = "up"
	}}}
	Goldens(t, true, build, fix.View, scenes...)
	f := build(t, Plain())
	scenes[0].Run(t, f)
	if got := f.View(); got != "10:01 up" {
		t.Errorf("View = %q, want the pane's frame after the scene", got)
	}
	// Drawn again without -update, the frames match what was written.
	Goldens(t, false, build, fix.View, scenes...)
}
