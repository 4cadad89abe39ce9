package alerts

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's styles for one session: the ones every pane
// has (Subtle draws the status text) and the pane's own.
type Styles struct {
	pane.BaseStyles
	Header lipgloss.Style
	Label  lipgloss.Style
	Input  lipgloss.Style

	Critical lipgloss.Style
	Warning  lipgloss.Style
	Info     lipgloss.Style
	Pending  lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	s.Header, s.Label, s.Input = ns().Foreground(p.Subtle).Bold(true), ns().Foreground(p.Secondary), ns().Foreground(p.Text)
	s.Critical, s.Warning, s.Info, s.Pending = ns().Foreground(p.Error).Bold(true), ns().Foreground(p.Warning), ns().Foreground(p.Info), ns().Foreground(p.Muted)
	if p.Mono {
		// Without colour the severity and state words carry the meaning;
		// the base styles reverse the selection.
		s.Critical, s.Warning, s.Info, s.Pending = ns().Bold(true), ns(), ns(), ns().Faint(true)
	}
	return s
}

func (s *Styles) severity(rank int) lipgloss.Style {
	switch rank {
	case 0:
		return s.Critical
	case 1, 2:
		return s.Warning
	case 3:
		return s.Info
	}
	return s.Plain
}
