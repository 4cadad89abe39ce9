package slopane

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's styles for one session.
type Styles struct {
	pane.BaseStyles
	// Header is the list's column header.
	Header lipgloss.Style
	// Page, Ticket, OK and NoData draw the statuses.
	Page, Ticket, OK, NoData lipgloss.Style
	// BarFull and BarEmpty draw the error budget's bar.
	BarFull, BarEmpty lipgloss.Style
	// Chart draws the burn history, ChartHot its part above the
	// threshold, and Threshold the threshold's line.
	Chart, ChartHot, Threshold lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r, from the base
// styles. The no-colour palette's colours draw nothing, so the status
// word carries the meaning (upper case and bold for page and ticket); only
// no data (faint) and the chart's hot part (bold) need a mono form.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	fg := b.Plain.Foreground
	s := Styles{BaseStyles: b, Header: b.Subtle.Bold(true),
		Page: fg(p.Error).Bold(true), Ticket: fg(p.Warning).Bold(true), OK: fg(p.OK), NoData: fg(p.Muted),
		BarFull: fg(p.OK), BarEmpty: fg(p.Muted),
		Chart: fg(p.Info), ChartHot: fg(p.Error), Threshold: fg(p.Warning)}
	if p.Mono {
		s.NoData, s.ChartHot = b.Plain.Faint(true), b.Plain.Bold(true)
	}
	return s
}

func (s *Styles) status(st slo.Status) lipgloss.Style {
	switch st {
	case slo.StatusPage:
		return s.Page
	case slo.StatusTicket:
		return s.Ticket
	case slo.StatusOK:
		return s.OK
	}
	return s.NoData
}
