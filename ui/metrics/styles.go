package metrics

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette.
type Styles struct {
	Mono bool

	Prompt   lipgloss.Style
	Query    lipgloss.Style
	Status   lipgloss.Style
	Muted    lipgloss.Style
	Title    lipgloss.Style
	Selected lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	Spinner  lipgloss.Style
	Header   lipgloss.Style
	Plain    lipgloss.Style

	Chart *chart.Styles
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
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Selected = ns().Background(p.Selection)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.WarnMsg = ns().Foreground(p.Warning)
	s.Spinner = ns().Foreground(p.Primary)
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.ErrorMsg = ns().Bold(true)
		s.Title = ns().Bold(true)
		s.Prompt = ns().Bold(true)
		s.Header = ns().Bold(true)
		s.Status, s.Muted, s.WarnMsg, s.Spinner, s.Query = ns(), ns(), ns(), ns(), ns()
	}
	return s
}
