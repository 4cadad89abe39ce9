package pane

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/themes"
)

func TestBaseStylesMono(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	mono := NewBaseStyles(r, themes.NoColor())
	if !mono.Mono || !mono.Selected.GetReverse() || !mono.ErrorMsg.GetBold() {
		t.Errorf("no-colour: mono %v, reverse selection %v, bold error %v", mono.Mono, mono.Selected.GetReverse(), mono.ErrorMsg.GetBold())
	}
	dark := NewBaseStyles(r, themes.Dark())
	if dark.Mono || dark.Selected.GetReverse() || dark.Selected.GetBackground() != themes.Dark().Selection {
		t.Errorf("dark: selection %+v", dark.Selected)
	}
}
