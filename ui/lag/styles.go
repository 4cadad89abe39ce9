package lag

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's styles for one session: the base styles every
// pane draws with, and the Lag pane's own.
type Styles struct {
	pane.BaseStyles
	// Header is the list's column header; Spark the trend sparkline.
	Header, Spark lipgloss.Style
	// OK, Warn and Bad colour Burrow's statuses.
	OK, Warn, Bad lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	ns := r.NewStyle
	s := Styles{BaseStyles: pane.NewBaseStyles(r, p)}
	s.Header = ns().Foreground(p.Subtle).Bold(true)
	s.Spark = ns().Foreground(p.Info)
	s.OK = ns().Foreground(p.OK)
	s.Warn = ns().Foreground(p.Warning).Bold(true)
	s.Bad = ns().Foreground(p.Error).Bold(true)
	if p.Mono {
		// Burrow's status words are already text; bold marks the bad ones.
		s.Warn, s.Bad = ns().Bold(true), ns().Bold(true)
		s.OK, s.Spark = ns(), ns()
	}
	return s
}

func (s *Styles) status(st lag.Status) lipgloss.Style {
	switch st {
	case lag.StatusOK:
		return s.OK
	case lag.StatusWarn, lag.StatusErr:
		return s.Warn
	}
	return s.Bad
}
