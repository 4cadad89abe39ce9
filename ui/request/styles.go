package request

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Styles are the pane's styles for one session, built from the session's
// renderer and palette: the styles every pane has (Subtle labels the
// summary, WarnMsg a warning line) and the timeline's own.
type Styles struct {
	pane.BaseStyles

	// Text is an input's text and a log line's.
	Text lipgloss.Style
	// A service heading, a span and a span on the critical path.
	Service, Span, Critical lipgloss.Style
	// A line's level: OK, error or debug.
	OK, Error, Debug lipgloss.Style
	// Change is a deploy or config change in the window.
	Change lipgloss.Style
}

// NewStyles builds the styles for palette p on renderer r. The no-colour
// palette's colours are all lipgloss.NoColor: bold carries the headings
// and the critical path, faint the debug lines.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) Styles {
	b := pane.NewBaseStyles(r, p)
	fg := b.Plain.Foreground
	s := Styles{BaseStyles: b, Text: fg(p.Text), Span: fg(p.SpanServer), OK: fg(p.OK), Error: fg(p.Error),
		Service: fg(p.Secondary).Bold(true), Critical: fg(p.CriticalPath).Bold(true), Change: b.WarnMsg.Bold(true),
		Debug: fg(p.Debug)}
	if p.Mono {
		s.Debug = b.Plain.Faint(true)
	}
	return s
}
