package traces

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette.
type Styles struct {
	// The styles every pane has; with Mono, meaning is carried by the
	// marker columns and the bar glyphs alone.
	pane.BaseStyles

	Query  lipgloss.Style
	Status lipgloss.Style
	Match  lipgloss.Style
	Header lipgloss.Style
	Key    lipgloss.Style

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
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	s.Query = ns().Foreground(p.Text)
	s.Status = ns().Foreground(p.Subtle)
	s.Match = ns().Background(p.Highlight).Foreground(lipgloss.Color("0"))
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.Key = ns().Foreground(p.Subtle).Bold(true)
	s.Service = ns().Foreground(p.Secondary)
	s.ErrSpan = ns().Foreground(p.Error).Bold(true)
	s.Critical = ns().Foreground(p.CriticalPath).Bold(true)
	s.Bar = ns().Foreground(p.SpanServer)
	s.Axis = ns().Foreground(p.Muted)
	if p.Mono {
		s.Match = ns().Underline(true).Bold(true)
		s.ErrSpan = ns().Bold(true)
		s.Critical = ns().Bold(true)
		s.Service, s.Bar, s.Axis = ns(), ns(), ns()
	}
	return s
}
