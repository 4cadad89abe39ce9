package alerts

import (
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/themes"
)

// markdown renders runbooks for one session: its colour profile and
// theme decide glamour's style, so no terminal is queried and nothing is
// shared between sessions.
type markdown struct {
	style   string
	profile termenv.Profile
}

func newMarkdown(r *lipgloss.Renderer, p themes.Palette) markdown {
	md := markdown{style: "dark", profile: r.ColorProfile()}
	switch {
	case p.Mono || md.profile == termenv.Ascii:
		// notty prints Markdown's own marks (#, **) and no escape codes,
		// which is what NO_COLOR and a dumb terminal need.
		md.style, md.profile = "notty", termenv.Ascii
	case p.Name == "light":
		md.style = "light"
	}
	return md
}

// render lays text out at width columns.
func (md markdown) render(text string, width int) (string, error) {
	r, err := glamour.NewTermRenderer(
		glamour.WithStandardStyle(md.style),
		glamour.WithColorProfile(md.profile),
		glamour.WithWordWrap(width),
		glamour.WithEmoji(),
	)
	if err != nil {
		return "", err
	}
	return r.Render(text)
}
