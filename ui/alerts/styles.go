package alerts

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

// Styles are the pane's styles for one session.
type Styles struct {
	Plain    lipgloss.Style
	Title    lipgloss.Style
	Muted    lipgloss.Style
	Status   lipgloss.Style
	Header   lipgloss.Style
	Selected lipgloss.Style
	Label    lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	Spinner  lipgloss.Style
	Prompt   lipgloss.Style
	Input    lipgloss.Style

	Critical lipgloss.Style
	Warning  lipgloss.Style
	Info     lipgloss.Style
	Pending  lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{
		Plain: ns(), Title: ns().Foreground(p.Primary).Bold(true), Muted: ns().Foreground(p.Muted),
		Status: ns().Foreground(p.Subtle), Header: ns().Foreground(p.Subtle).Bold(true),
		Selected: ns().Background(p.Selection), Label: ns().Foreground(p.Secondary),
		ErrorMsg: ns().Foreground(p.Error).Bold(true), WarnMsg: ns().Foreground(p.Warning),
		Spinner: ns().Foreground(p.Primary), Prompt: ns().Foreground(p.Primary).Bold(true), Input: ns().Foreground(p.Text),
		Critical: ns().Foreground(p.Error).Bold(true), Warning: ns().Foreground(p.Warning), Info: ns().Foreground(p.Info),
		Pending: ns().Foreground(p.Muted),
	}
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.ErrorMsg, s.Critical = ns().Bold(true), ns().Bold(true)
		s.Warning, s.Info, s.Pending = ns(), ns(), ns().Faint(true)
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
