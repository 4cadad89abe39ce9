package pane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit is a pane's frame in a w×h area: nothing when the area is empty
// (draw is not called then, before the first SetSize), else draw's lines
// with those below h left out and each cut to w cells with an ellipsis.
func Fit(w, h int, draw func() []string) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := draw()
	lines = lines[:min(len(lines), h)]
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], w, "…")
	}
	return strings.Join(lines, "\n")
}
