package lag

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/themes"
)

// Styles are the pane's styles for one session.
type Styles struct {
	Mono     bool
	Title    lipgloss.Style
	Header   lipgloss.Style
	Muted    lipgloss.Style
	Subtle   lipgloss.Style
	Selected lipgloss.Style
	ErrorMsg lipgloss.Style
	Spinner  lipgloss.Style
	Spark    lipgloss.Style
	Prompt   lipgloss.Style

	OK   lipgloss.Style
	Warn lipgloss.Style
	Bad  lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{Mono: p.Mono}
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.Muted = ns().Foreground(p.Muted)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Selected = ns().Background(p.Selection)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.Spinner = ns().Foreground(p.Primary)
	s.Spark = ns().Foreground(p.Info)
	s.Prompt = ns().Foreground(p.Primary).Bold(true)
	s.OK = ns().Foreground(p.OK)
	s.Warn = ns().Foreground(p.Warning).Bold(true)
	s.Bad = ns().Foreground(p.Error).Bold(true)
	if p.Mono {
		// Burrow's status words are already text; bold marks the bad ones.
		s.Selected = ns().Reverse(true)
		s.ErrorMsg, s.Warn, s.Bad = ns().Bold(true), ns().Bold(true), ns().Bold(true)
		s.OK, s.Spark = ns(), ns()
	}
	return s
}

func (s *Styles) status(st lag.Status) lipgloss.Style {
	switch st {
	case lag.StatusOK:
		return s.OK
	case lag.StatusWarn, lag.StatusErr:
		return s.Warn
	}
	return s.Bad
}
