package incidentpane

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette: the base styles every pane shares and
// the pane's own.
type Styles struct {
	pane.BaseStyles

	Status   lipgloss.Style
	Header   lipgloss.Style
	OK       lipgloss.Style
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
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return ns().Foreground(c) }
	s.Status, s.Header, s.OK = fg(p.Subtle), fg(p.Subtle).Bold(true), fg(p.OK)
	s.Input, s.Label, s.Evidence = fg(p.Text), fg(p.Secondary), fg(p.Info)
	s.Reached, s.Pending = fg(p.OK).Bold(true), fg(p.Muted)
	s.Sev1, s.Sev3, s.Sev4 = fg(p.Error).Bold(true), fg(p.Warning), fg(p.Info)
	if p.Mono {
		// Without colour the base styles reverse the selection; bold and
		// faint tell a reached milestone and the worst severities.
		s.Reached, s.Pending, s.Sev1 = ns().Bold(true), ns().Faint(true), ns().Bold(true)
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
