package pane

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestListKeysMove(t *testing.T) {
	k := DefaultListKeys()
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	for _, c := range []struct {
		name string
		msg  tea.KeyMsg
		want int
		ok   bool
	}{
		{"k", runes("k"), 4, true},
		{"down", tea.KeyMsg{Type: tea.KeyDown}, 6, true},
		{"pgup", tea.KeyMsg{Type: tea.KeyPgUp}, -5, true},
		{"ctrl+f", tea.KeyMsg{Type: tea.KeyCtrlF}, 15, true},
		{"g", runes("g"), 0, true},
		{"end", tea.KeyMsg{Type: tea.KeyEnd}, 19, true},
		{"another key", runes("x"), 5, false},
	} {
		got, ok := k.Move(c.msg, 5, 20, 10)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: Move = %d, %v; want %d, %v", c.name, got, ok, c.want, c.ok)
		}
	}
	if n := len(k.Bindings()); n != 6 {
		t.Errorf("%d bindings", n)
	}
}
