package panetest

import (
	"fmt"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/themes"
)

// Shot is one cell of the golden matrix: a terminal size and a colour
// profile, named the way golden files are ("80x24_nocolor").
type Shot struct {
	W, H    int
	Profile termenv.Profile
	// Tag is the profile's part of the name: "nocolor" or "256".
	Tag string
}

// Name is the golden file name of scene drawn in this shot.
func (s Shot) Name(scene string) string {
	return fmt.Sprintf("%s_%dx%d_%s", scene, s.W, s.H, s.Tag)
}

// Renderer is a renderer that writes nowhere with the shot's profile
// pinned, and the palette goldens are drawn with under it: the no-colour
// palette for the ASCII profile, the dark one otherwise.
func (s Shot) Renderer() (*lipgloss.Renderer, themes.Palette) {
	return Renderer(s.Profile)
}

// Renderer is a renderer writing nowhere with profile pinned, and the
// palette that goes with it (no-colour for ASCII, else dark).
func Renderer(profile termenv.Profile) (*lipgloss.Renderer, themes.Palette) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	if profile == termenv.Ascii {
		return r, themes.NoColor()
	}
	return r, themes.Dark()
}

// Shots are the cells every pane's goldens cover: 80x24 and 200x50, each
// without colour and with 256 colours.
func Shots() []Shot {
	var out []Shot
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		out = append(out, Shot{W: sz[0], H: sz[1], Profile: termenv.Ascii, Tag: "nocolor"},
			Shot{W: sz[0], H: sz[1], Profile: termenv.ANSI256, Tag: "256"})
	}
	return out
}

// EachShot runs fn as a subtest named s.Name(scene) for every shot.
func EachShot(t *testing.T, scene string, fn func(t *testing.T, s Shot)) {
	t.Helper()
	for _, s := range Shots() {
		t.Run(s.Name(scene), func(t *testing.T) { fn(t, s) })
	}
}

// Feed runs cmd, hands every message that arrives within wait and that
// keep accepts (nil: all) to m's Update, and returns m. It stands for the
// bubbletea runtime in tests that need a pane's answers back in it.
func Feed[M interface{ Update(tea.Msg) (M, tea.Cmd) }](m M, cmd tea.Cmd, wait time.Duration, keep func(tea.Msg) bool) M {
	for _, msg := range Collect(cmd, wait) {
		if keep == nil || keep(msg) {
			m, _ = m.Update(msg)
		}
	}
	return m
}
