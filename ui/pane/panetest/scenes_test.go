package panetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stagePane is a stand-in pane: its frame is what was done to it.
type stagePane struct {
	shot Shot
	log  []string
}

func TestGoldensRunsEverySceneInEveryShot(t *testing.T) {
	t.Chdir(t.TempDir())
	var built []string
	build := func(t *testing.T, s Shot) *stagePane { built = append(built, t.Name()); return &stagePane{shot: s} }
	view := func(c *stagePane) string {
		return fmt.Sprintf("%dx%d %s", c.shot.W, c.shot.H, strings.Join(c.log, ","))
	}
	scenes := []Scene[*stagePane]{
		{"a", func(t *testing.T, c *stagePane) { c.log = append(c.log, "a") }},
		{"b", func(t *testing.T, c *stagePane) { c.log = append(c.log, "b", "b") }},
	}
	Goldens(t, true, build, view, scenes...)
	if len(built) != 2*len(Shots()) {
		t.Fatalf("built %d fixtures: %v", len(built), built)
	}
	for _, sc := range scenes {
		for _, s := range Shots() {
			want := &stagePane{shot: s}
			sc.Run(t, want)
			got, err := os.ReadFile(filepath.Join("testdata", s.Name(sc.Name)+".golden"))
			if err != nil || string(got) != view(want) {
				t.Errorf("%s: golden %q (%v), want %q", s.Name(sc.Name), got, err, view(want))
			}
		}
	}
	// Drawn again without -update, the same frames match.
	Goldens(t, false, build, view, scenes...)
}
