package metrics

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette: the styles every pane has (Subtle is the
// status text), the query text, the legend header and the charts'.
type Styles struct {
	pane.BaseStyles
	Query, Header lipgloss.Style

	Chart *chart.Styles
}

// NewStyles builds the pane's styles for palette p on renderer r. The
// no-colour palette's colours are all lipgloss.NoColor, so the base's
// reverse selection and bold errors are all it changes.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	return Styles{BaseStyles: b, Query: b.Plain.Foreground(p.Text), Header: b.Subtle.Bold(true),
		Chart: chart.NewStyles(r, p)}
}
