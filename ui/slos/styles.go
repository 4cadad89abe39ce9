package slos

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

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.Page = ns().Foreground(p.Error).Bold(true)
	s.Ticket = ns().Foreground(p.Warning).Bold(true)
	s.OK = ns().Foreground(p.OK)
	s.NoData = ns().Foreground(p.Muted)
	s.BarFull = ns().Foreground(p.OK)
	s.BarEmpty = ns().Foreground(p.Muted)
	s.Chart = ns().Foreground(p.Info)
	s.ChartHot = ns().Foreground(p.Error)
	s.Threshold = ns().Foreground(p.Warning)
	if p.Mono {
		// Without colour the status word carries the meaning (upper case
		// for page and ticket); the base styles reverse the selection.
		s.Page, s.Ticket = ns().Bold(true), ns().Bold(true)
		s.OK, s.NoData, s.BarFull, s.BarEmpty = ns(), ns().Faint(true), ns(), ns()
		s.Chart, s.ChartHot, s.Threshold = ns(), ns().Bold(true), ns()
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
