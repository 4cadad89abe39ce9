package logs

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's lipgloss styles for one session. They live here,
// not in package ui, because ui imports this package; they are built from
// the same palette and renderer as the root's.
type Styles struct {
	// BaseStyles' Mono is set for the no-colour palette: meaning must then
	// be carried by text (the level column) and attributes.
	pane.BaseStyles

	Query   lipgloss.Style
	Status  lipgloss.Style
	Time    lipgloss.Style
	Labels  lipgloss.Style
	Match   lipgloss.Style
	Context lipgloss.Style
	OK      lipgloss.Style
	Key     lipgloss.Style

	// Chart draws a metric query's series.
	Chart *chart.Styles

	// Level styles colour the level column and the line.
	Error lipgloss.Style
	Warn  lipgloss.Style
	Info  lipgloss.Style
	Debug lipgloss.Style
}

// NewStyles builds the pane's styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p), Chart: chart.NewStyles(r, p)}
	s.Query = ns().Foreground(p.Text)
	s.Status = ns().Foreground(p.Subtle)
	s.Time = ns().Foreground(p.Muted)
	s.Labels = ns().Foreground(p.Secondary)
	s.Match = ns().Background(p.Highlight).Foreground(lipgloss.Color("0"))
	s.Context = ns().Foreground(p.Muted)
	s.OK = ns().Foreground(p.OK)
	s.Key = ns().Foreground(p.Subtle).Bold(true)
	s.Error = ns().Foreground(p.Error)
	s.Warn = ns().Foreground(p.Warning)
	s.Info = ns().Foreground(p.Info)
	s.Debug = ns().Foreground(p.Debug)
	if p.Mono {
		// Without colour: matches are underlined and levels carried by the
		// marker column alone (the base styles reverse the selection).
		s.Match = ns().Underline(true).Bold(true)
		s.Error, s.Warn, s.Info, s.Debug = ns(), ns(), ns(), ns()
		s.Context = ns().Faint(true)
	}
	return s
}

func (s *Styles) level(l level) lipgloss.Style {
	switch l {
	case levelError:
		return s.Error
	case levelWarn:
		return s.Warn
	case levelInfo:
		return s.Info
	case levelDebug:
		return s.Debug
	}
	return s.Plain
}

// line is the style of a line's text: error, warning and debug lines stand
// out (or recede); info lines stay in the normal text colour so that the
// exceptions are what the eye catches.
func (s *Styles) line(l level) lipgloss.Style {
	if l == levelInfo {
		return s.Plain
	}
	return s.level(l)
}
