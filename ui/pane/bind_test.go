package pane

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func TestBindKeysAndHelp(t *testing.T) {
	b := Bind("enter", "open")
	if h := b.Help(); h.Key != "enter" || h.Desc != "open" {
		t.Errorf("help %+v", h)
	}
	if !key.Matches(tea.KeyMsg{Type: tea.KeyEnter}, b) {
		t.Error("enter does not match a binding of enter")
	}
	u := Bind("↑/k", "up", "k", "up")
	if !key.Matches(tea.KeyMsg{Type: tea.KeyUp}, u) || !key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")}, u) {
		t.Error("k and up must both match")
	}
	if key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("↑/k")}, u) {
		t.Error("the help text is not a key when keys are given")
	}
}
