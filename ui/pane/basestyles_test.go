package pane

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

func TestBaseStylesMono(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	mono := NewBaseStyles(r, themes.NoColor())
	if !mono.Mono || !mono.Selected.GetReverse() || !mono.ErrorMsg.GetBold() {
		t.Errorf("no-colour: mono %v, reverse selection %v, bold error %v", mono.Mono, mono.Selected.GetReverse(), mono.ErrorMsg.GetBold())
	}
	dark := NewBaseStyles(r, themes.Dark())
	if dark.Mono || dark.Selected.GetReverse() || dark.Selected.GetBackground() != themes.Dark().Selection {
		t.Errorf("dark: selection %+v", dark.Selected)
	}
}
