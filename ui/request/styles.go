package request

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's styles for one session, built from the session's
// renderer and palette.
type Styles struct {
	// The styles every pane has.
	pane.BaseStyles

	Text     lipgloss.Style
	Label    lipgloss.Style
	Service  lipgloss.Style
	Span     lipgloss.Style
	Critical lipgloss.Style
	OK       lipgloss.Style
	Error    lipgloss.Style
	Warn     lipgloss.Style
	Debug    lipgloss.Style
	// Change is a deploy or config change in the window.
	Change lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	s.Text = ns().Foreground(p.Text)
	s.Label = ns().Foreground(p.Subtle)
	s.Service = ns().Foreground(p.Secondary).Bold(true)
	s.Span = ns().Foreground(p.SpanServer)
	s.Critical = ns().Foreground(p.CriticalPath).Bold(true)
	s.OK = ns().Foreground(p.OK)
	s.Error = ns().Foreground(p.Error)
	s.Warn = ns().Foreground(p.Warning)
	s.Debug = ns().Foreground(p.Debug)
	s.Change = ns().Foreground(p.Warning).Bold(true)
	if p.Mono {
		s.Critical = ns().Bold(true)
		s.Service = ns().Bold(true)
		s.Error, s.Warn, s.Debug, s.Span = ns(), ns(), ns().Faint(true), ns()
		s.Change = ns().Bold(true)
	}
	return s
}
