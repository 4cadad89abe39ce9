package pane

import (
	"io"
	"testing"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

func TestNewInputRefusesClipboardPasteAndBlink(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	ti := NewInput(r, InputStyle{}, "/", "hint", 5)
	if ti.KeyMap.Paste.Enabled() {
		t.Fatal("ctrl+v would read the server's clipboard under reltui serve")
	}
	if ti.Cursor.Mode() != cursor.CursorStatic {
		t.Fatal("a blinking cursor redraws every half second")
	}
	ti.Focus()
	ti, _ = ti.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("abcdefgh")})
	if ti.Value() != "abcde" {
		t.Fatalf("limit not applied: %q", ti.Value())
	}
}
