package incidents

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/themes"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette.
type Styles struct {
	Mono bool

	Plain    lipgloss.Style
	Title    lipgloss.Style
	Muted    lipgloss.Style
	Subtle   lipgloss.Style
	Status   lipgloss.Style
	Selected lipgloss.Style
	Header   lipgloss.Style
	OK       lipgloss.Style
	ErrorMsg lipgloss.Style
	WarnMsg  lipgloss.Style
	Spinner  lipgloss.Style
	Prompt   lipgloss.Style
	Input    lipgloss.Style
	Label    lipgloss.Style
	Evidence lipgloss.Style

	// Milestone bar: a reached milestone, one not reached yet.
	Reached lipgloss.Style
	Pending lipgloss.Style

	Sev1 lipgloss.Style // SEV1 and SEV2
	Sev3 lipgloss.Style
	Sev4 lipgloss.Style // SEV4 and SEV5
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{Mono: p.Mono}
	s.Plain = ns()
	s.Title = ns().Foreground(p.Primary).Bold(true)
	s.Muted = ns().Foreground(p.Muted)
	s.Subtle = ns().Foreground(p.Subtle)
	s.Status = ns().Foreground(p.Subtle)
	s.Selected = ns().Background(p.Selection)
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.OK = ns().Foreground(p.OK)
	s.ErrorMsg = ns().Foreground(p.Error).Bold(true)
	s.WarnMsg = ns().Foreground(p.Warning)
	s.Spinner = ns().Foreground(p.Primary)
	s.Prompt = ns().Foreground(p.Primary).Bold(true)
	s.Input = ns().Foreground(p.Text)
	s.Label = ns().Foreground(p.Secondary)
	s.Evidence = ns().Foreground(p.Info)
	s.Reached = ns().Foreground(p.OK).Bold(true)
	s.Pending = ns().Foreground(p.Muted)
	s.Sev1 = ns().Foreground(p.Error).Bold(true)
	s.Sev3 = ns().Foreground(p.Warning)
	s.Sev4 = ns().Foreground(p.Info)
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.ErrorMsg = ns().Bold(true)
		s.Reached = ns().Bold(true)
		s.Pending = ns().Faint(true)
		s.Sev1 = ns().Bold(true)
		s.Sev3, s.Sev4, s.Evidence = ns(), ns(), ns()
	}
	return s
}

// sev is the style of a severity.
func (s *Styles) sev(v incidents.Severity) lipgloss.Style {
	switch v {
	case "SEV1", "SEV2":
		return s.Sev1
	case "SEV3":
		return s.Sev3
	}
	return s.Sev4
}
