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
	// be carried by text (the level column) and attributes. Its Subtle is
	// the status text, its Muted the timestamps.
	pane.BaseStyles

	Query   lipgloss.Style
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

// NewStyles builds the pane's styles for palette p on renderer r. Without
// colour, matches are underlined, context lines faint and levels carried
// by the marker column alone (the base styles reverse the selection).
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	fg := b.Plain.Foreground
	s := Styles{BaseStyles: b, Chart: chart.NewStyles(r, p),
		Query: fg(p.Text), Labels: fg(p.Secondary), Context: b.Muted, OK: fg(p.OK), Key: b.Subtle.Bold(true),
		Match: b.Plain.Background(p.Highlight).Foreground(lipgloss.Color("0")),
		Error: fg(p.Error), Warn: fg(p.Warning), Info: fg(p.Info), Debug: fg(p.Debug)}
	if p.Mono {
		s.Match = b.Plain.Underline(true).Bold(true)
		s.Error, s.Warn, s.Info, s.Debug = b.Plain, b.Plain, b.Plain, b.Plain
		s.Context = b.Plain.Faint(true)
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
