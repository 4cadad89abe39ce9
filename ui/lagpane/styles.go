package lagpane

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

// NewStyles builds the styles for palette p on renderer r, from the base
// styles. The no-colour palette's colours draw nothing: Burrow's status
// words are already text, and bold marks the bad ones.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	return Styles{BaseStyles: b, Header: b.Subtle.Bold(true), Spark: b.Plain.Foreground(p.Info),
		OK: b.Plain.Foreground(p.OK), Warn: b.Plain.Foreground(p.Warning).Bold(true), Bad: b.Plain.Foreground(p.Error).Bold(true)}
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
