package pane

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

// BaseStyles are the styles every pane draws with, built the same way in
// every pane: a pane's Styles embed them and add its own.
type BaseStyles struct {
	// Mono is set for the no-colour palette: meaning is then carried by
	// glyphs, bold and reverse video alone.
	Mono bool

	// Plain is unstyled text; Prompt and Title are the pane's accents;
	// Muted and Subtle are secondary text.
	Plain, Prompt, Title, Muted, Subtle lipgloss.Style
	// Selected is the row under the cursor.
	Selected lipgloss.Style
	// ErrorMsg and WarnMsg are error and warning notes; Spinner is the
	// busy spinner.
	ErrorMsg, WarnMsg, Spinner lipgloss.Style
}

// NewBaseStyles builds the base styles for palette p on renderer r. With
// the no-colour palette the selection is reverse video and an error
// message bold.
func NewBaseStyles(r *lipgloss.Renderer, p themes.Palette) BaseStyles {
	ns := r.NewStyle
	s := BaseStyles{
		Mono:     p.Mono,
		Plain:    ns(),
		Prompt:   ns().Foreground(p.Primary).Bold(true),
		Title:    ns().Foreground(p.Primary).Bold(true),
		Muted:    ns().Foreground(p.Muted),
		Subtle:   ns().Foreground(p.Subtle),
		Selected: ns().Background(p.Selection),
		ErrorMsg: ns().Foreground(p.Error).Bold(true),
		WarnMsg:  ns().Foreground(p.Warning),
		Spinner:  ns().Foreground(p.Primary),
	}
	if p.Mono {
		s.Selected = ns().Reverse(true)
		s.ErrorMsg = ns().Bold(true)
	}
	return s
}
