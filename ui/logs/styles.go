package logs

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart"
)

// Styles are the pane's lipgloss styles for one session. They live here,
// not in package ui, because ui imports this package; they are built from
// the same palette and renderer as the root's.
type Styles struct {
	// Mono is set for the no-colour palette: meaning must then be carried
	// by text (the level column) and attributes.
	Mono bool

	Prompt   lipgloss.Style
	Query    lipgloss.Style
	Status   lipgloss.Style
	Muted    lipgloss.Style
	Subtle   lipgloss.Style
	Title    lipgloss.Style
	Time     lipgloss.Style
	Labels   lipgloss.Style
	Selected lipgloss.Style
	Match    lipgloss.Style
	Context  lipgloss.Style
	OK       lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	Key      lipgloss.Style
	Spinner  lipgloss.Style
	Plain    lipgloss.Style

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
	s := Styles{Mono: p.Mono, Chart: chart.NewStyles(r, p)}
	s.Plain = ns()
	s.Prompt = ns().Foreground(p.Primary).Bold(true)
	s.Query = ns().Foreground(p.Text)
	s.Status = ns().Foreground(p.Subtle)
	s.Muted = ns().Foreground(p.Muted)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Time = ns().Foreground(p.Muted)
	s.Labels = ns().Foreground(p.Secondary)
	s.Selected = ns().Background(p.Selection)
	s.Match = ns().Background(p.Highlight).Foreground(lipgloss.Color("0"))
	s.Context = ns().Foreground(p.Muted)
	s.OK = ns().Foreground(p.OK)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.WarnMsg = ns().Foreground(p.Warning)
	s.Key = ns().Foreground(p.Subtle).Bold(true)
	s.Spinner = ns().Foreground(p.Primary)
	s.Error = ns().Foreground(p.Error)
	s.Warn = ns().Foreground(p.Warning)
	s.Info = ns().Foreground(p.Info)
	s.Debug = ns().Foreground(p.Debug)
	if p.Mono {
		// Without colour: the selection is reversed, matches underlined,
		// and levels are carried by the marker column alone.
		s.Selected = ns().Reverse(true)
		s.Match = ns().Underline(true).Bold(true)
		s.ErrorMsg = ns().Bold(true)
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
