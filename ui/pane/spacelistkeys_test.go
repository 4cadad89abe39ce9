package pane

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestSpaceListKeys(t *testing.T) {
	k := SpaceListKeys()
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	if got, ok := k.Move(space, 5, 20, 10); got != 15 || !ok {
		t.Errorf("space: Move = %d, %v; want 15, true", got, ok)
	}
	if got, ok := k.Move(tea.KeyMsg{Type: tea.KeyPgDown}, 5, 20, 10); got != 15 || !ok {
		t.Errorf("pgdown: Move = %d, %v; want 15, true", got, ok)
	}
	if h := k.Top.Help(); h.Key != "g" || h.Desc != "top" {
		t.Errorf("top help %+v", h)
	}
	if h := k.Bottom.Help(); h.Key != "G" || h.Desc != "bottom" {
		t.Errorf("bottom help %+v", h)
	}
	if _, ok := DefaultListKeys().Move(space, 5, 20, 10); ok {
		t.Error("space pages in DefaultListKeys too: SpaceListKeys changed the default")
	}
}
