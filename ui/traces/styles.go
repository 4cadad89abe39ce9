package traces

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette.
type Styles struct {
	// Mono is set for the no-colour palette: meaning is then carried by
	// the marker columns and the bar glyphs alone.
	Mono bool

	Plain    lipgloss.Style
	Prompt   lipgloss.Style
	Query    lipgloss.Style
	Title    lipgloss.Style
	Status   lipgloss.Style
	Muted    lipgloss.Style
	Subtle   lipgloss.Style
	Selected lipgloss.Style
	Match    lipgloss.Style
	Header   lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	Spinner  lipgloss.Style
	Key      lipgloss.Style

	// The waterfall.
	Service  lipgloss.Style
	ErrSpan  lipgloss.Style
	Critical lipgloss.Style
	Bar      lipgloss.Style
	Axis     lipgloss.Style
}

// NewStyles builds the pane's styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{Mono: p.Mono}
	s.Plain = ns()
	s.Prompt = ns().Foreground(p.Primary).Bold(true)
	s.Query = ns().Foreground(p.Text)
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Status = ns().Foreground(p.Subtle)
	s.Muted = ns().Foreground(p.Muted)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Selected = ns().Background(p.Selection)
	s.Match = ns().Background(p.Highlight).Foreground(lipgloss.Color("0"))
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.WarnMsg = ns().Foreground(p.Warning)
	s.Spinner = ns().Foreground(p.Primary)
	s.Key = ns().Foreground(p.Subtle).Bold(true)
	s.Service = ns().Foreground(p.Secondary)
	s.ErrSpan = ns().Foreground(p.Error).Bold(true)
	s.Critical = ns().Foreground(p.CriticalPath).Bold(true)
	s.Bar = ns().Foreground(p.SpanServer)
	s.Axis = ns().Foreground(p.Muted)
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.Match = ns().Underline(true).Bold(true)
		s.ErrorMsg = ns().Bold(true)
		s.ErrSpan = ns().Bold(true)
		s.Critical = ns().Bold(true)
		s.Service, s.Bar, s.Axis = ns(), ns(), ns()
	}
	return s
}
