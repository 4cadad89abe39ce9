package request

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

// Styles are the pane's styles for one session, built from the session's
// renderer and palette.
type Styles struct {
	Mono bool

	Prompt   lipgloss.Style
	Text     lipgloss.Style
	Title    lipgloss.Style
	Label    lipgloss.Style
	Muted    lipgloss.Style
	Subtle   lipgloss.Style
	Service  lipgloss.Style
	Span     lipgloss.Style
	Critical lipgloss.Style
	Selected lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	OK       lipgloss.Style
	Spinner  lipgloss.Style
	Error    lipgloss.Style
	Warn     lipgloss.Style
	Debug    lipgloss.Style
	Plain    lipgloss.Style
	// Change is a deploy or config change in the window.
	Change lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{Mono: p.Mono}
	s.Plain = ns()
	s.Prompt = ns().Foreground(p.Primary).Bold(true)
	s.Text = ns().Foreground(p.Text)
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Label = ns().Foreground(p.Subtle)
	s.Muted = ns().Foreground(p.Muted)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Service = ns().Foreground(p.Secondary).Bold(true)
	s.Span = ns().Foreground(p.SpanServer)
	s.Critical = ns().Foreground(p.CriticalPath).Bold(true)
	s.Selected = ns().Background(p.Selection)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.WarnMsg = ns().Foreground(p.Warning)
	s.OK = ns().Foreground(p.OK)
	s.Spinner = ns().Foreground(p.Primary)
	s.Error = ns().Foreground(p.Error)
	s.Warn = ns().Foreground(p.Warning)
	s.Debug = ns().Foreground(p.Debug)
	s.Change = ns().Foreground(p.Warning).Bold(true)
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.ErrorMsg = ns().Bold(true)
		s.Critical = ns().Bold(true)
		s.Service = ns().Bold(true)
		s.Error, s.Warn, s.Debug, s.Span = ns(), ns(), ns().Faint(true), ns()
		s.Change = ns().Bold(true)
	}
	return s
}
