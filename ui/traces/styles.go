package traces

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's lipgloss styles for one session, built from the
// session's renderer and palette. The base styles serve as they are:
// Subtle for status notes, Muted for the time axis, ErrorMsg for error
// spans; with Mono, meaning is carried by the marker columns and the bar
// glyphs alone.
type Styles struct {
	pane.BaseStyles

	// Query is the search line; Header the column heads and detail
	// labels; Match a filter match.
	Query, Header, Match lipgloss.Style
	// The waterfall: a span's service, a span on the critical path and
	// the duration bars.
	Service, Critical, Bar lipgloss.Style
}

// NewStyles builds the pane's styles for palette p on renderer r, from
// the base styles. The no-colour palette's colours draw nothing, so only
// the match needs a mono form.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	s := Styles{
		BaseStyles: b,
		Query:      b.Plain.Foreground(p.Text),
		Header:     b.Subtle.Bold(true),
		Match:      b.Plain.Background(p.Highlight).Foreground(lipgloss.Color("0")),
		Service:    b.Plain.Foreground(p.Secondary),
		Critical:   b.Plain.Foreground(p.CriticalPath).Bold(true),
		Bar:        b.Plain.Foreground(p.SpanServer),
	}
	if p.Mono {
		s.Match = b.Plain.Underline(true).Bold(true)
	}
	return s
}
