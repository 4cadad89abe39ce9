package serve

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestSessionPalette: NO_COLOR and an ASCII terminal win over a named
// theme (themes.ForTerminal's rule), a named theme wins over the
// background, and an unknown name falls back to the background.
func TestSessionPalette(t *testing.T) {
	renderer := func(p termenv.Profile, dark bool) *lipgloss.Renderer {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		r.SetHasDarkBackground(dark)
		return r
	}
	cases := []struct {
		name    string
		r       *lipgloss.Renderer
		environ []string
		want    string
	}{
		{"no renderer", nil, []string{"RELTUI_THEME=dark"}, "no-color"},
		{"NO_COLOR beats a theme", renderer(termenv.TrueColor, true), []string{"NO_COLOR=1", "RELTUI_THEME=high-contrast"}, "no-color"},
		{"ascii beats a theme", renderer(termenv.Ascii, true), []string{"RELTUI_THEME=light"}, "no-color"},
		{"named theme beats the background", renderer(termenv.ANSI256, true), []string{"RELTUI_THEME=light"}, "light"},
		{"dark background", renderer(termenv.ANSI256, true), nil, "dark"},
		{"light background", renderer(termenv.ANSI256, false), nil, "light"},
		{"unknown theme: the background", renderer(termenv.ANSI256, false), []string{"RELTUI_THEME=nope"}, "light"},
	}
	for _, c := range cases {
		got := SessionPalette(&Session{Renderer: c.r, Environ: c.environ})
		if got.Name != c.want {
			t.Errorf("%s: palette %q, want %q", c.name, got.Name, c.want)
		}
	}
}
