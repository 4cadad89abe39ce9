package panetest

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Fits fails t when frame does not fit the shot: more than H lines, a
// line wider than W cells, or, without colour, an escape sequence.
func (s Shot) Fits(t testing.TB, frame string) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > s.H {
		t.Errorf("%d lines in a %d-line pane", len(lines), s.H)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > s.W {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	if s.Profile == termenv.Ascii && strings.ContainsRune(frame, 0x1b) {
		t.Errorf("NO_COLOR frame has an escape sequence")
	}
}

// Golden checks that frame, scene drawn in this shot, fits it (Fits) and
// matches its golden file s.Name(scene), or rewrites that file when
// update is set.
func (s Shot) Golden(t testing.TB, scene, frame string, update bool) {
	t.Helper()
	s.Fits(t, frame)
	Golden(t, s.Name(scene), frame, update)
}
