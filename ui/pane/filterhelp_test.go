package pane

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

func TestFilterShortHelp(t *testing.T) {
	apply, cancel, other := Bind("enter", "apply"), Bind("esc", "cancel"), Bind("r", "refresh")
	f := NewFilter(lipgloss.DefaultRenderer(), FilterConfig{Apply: apply, Cancel: cancel})
	help := func(bs []key.Binding) (out []string) {
		for _, b := range bs {
			out = append(out, b.Help().Key)
		}
		return out
	}
	if got := help(f.ShortHelp([]key.Binding{other})); len(got) != 1 || got[0] != "r" {
		t.Errorf("closed: %v", got)
	}
	f.Open()
	if got := help(f.ShortHelp([]key.Binding{other})); len(got) != 2 || got[0] != "enter" || got[1] != "esc" {
		t.Errorf("editing: %v", got)
	}
}
