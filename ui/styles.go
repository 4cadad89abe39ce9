package ui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

// Styles are one session's lipgloss styles, built from a palette and that
// session's renderer, so SSH sessions with different terminals never share
// colour state.
type Styles struct {
	Palette themes.Palette

	App       lipgloss.Style
	Header    lipgloss.Style
	HeaderKey lipgloss.Style
	HeaderVal lipgloss.Style
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style
	Footer    lipgloss.Style
	HelpKey   lipgloss.Style
	HelpDesc  lipgloss.Style
	Title     lipgloss.Style
	Subtle    lipgloss.Style
	Muted     lipgloss.Style
	OK        lipgloss.Style
	Warning   lipgloss.Style
	Error     lipgloss.Style
	Info      lipgloss.Style
	Box       lipgloss.Style
	Selected  lipgloss.Style
	Match     lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	s := Styles{Palette: p}
	ns := r.NewStyle
	s.App = ns()
	s.Header = ns().Foreground(p.Text)
	s.HeaderKey = ns().Foreground(p.Subtle)
	s.HeaderVal = ns().Foreground(p.Primary).Bold(true)
	s.Tab = ns().Foreground(p.Subtle).Padding(0, 1)
	s.ActiveTab = ns().Foreground(p.Primary).Bold(true).Underline(true).Padding(0, 1)
	s.Footer = ns().Foreground(p.Muted)
	s.HelpKey = ns().Foreground(p.Subtle).Bold(true)
	s.HelpDesc = ns().Foreground(p.Muted)
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Muted = ns().Foreground(p.Muted)
	s.OK = ns().Foreground(p.OK)
	s.Warning = ns().Foreground(p.Warning)
	s.Error = ns().Foreground(p.Error).Bold(true)
	s.Info = ns().Foreground(p.Info)
	s.Box = ns().Border(lipgloss.NormalBorder()).BorderForeground(p.Border).Padding(0, 1)
	s.Selected = ns().Background(p.Selection).Foreground(p.Text)
	s.Match = ns().Background(p.Highlight).Foreground(lipgloss.Color("0"))
	if p.Mono {
		// Without colour, meaning is carried by attributes.
		s.ActiveTab = ns().Bold(true).Reverse(true).Padding(0, 1)
		s.Selected = ns().Reverse(true)
		s.Match = ns().Underline(true).Bold(true)
		s.Error = ns().Bold(true)
	}
	return s
}
