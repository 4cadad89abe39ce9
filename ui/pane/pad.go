package pane

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// PadRight is s, styled or not, with spaces after it up to w cells; s as
// it is when it is already as wide. Widths are measured as the terminal
// draws them (lipgloss.Width: escape sequences take no cells, wide runes
// two).
func PadRight(s string, w int) string {
	if d := w - lipgloss.Width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// PadLeft is PadRight with the spaces before s (a right-aligned column).
func PadLeft(s string, w int) string {
	if d := w - lipgloss.Width(s); d > 0 {
		return strings.Repeat(" ", d) + s
	}
	return s
}
