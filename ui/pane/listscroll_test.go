package pane

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

func TestListKeysScroll(t *testing.T) {
	k := DefaultListKeys()
	v := viewport.New(10, 5)
	lines := make([]string, 50)
	for i := range lines {
		lines[i] = "line"
	}
	v.SetContent(strings.Join(lines, "\n"))
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	for _, c := range []struct {
		msg  tea.KeyMsg
		want int
	}{
		{runes("j"), 1},
		{tea.KeyMsg{Type: tea.KeyPgDown}, 6},
		{runes("k"), 5},
		{runes("G"), 45},
		{tea.KeyMsg{Type: tea.KeyPgUp}, 40},
		{runes("g"), 0},
	} {
		if !k.Scroll(c.msg, &v) || v.YOffset != c.want {
			t.Errorf("%s: offset %d, want %d", c.msg, v.YOffset, c.want)
		}
	}
	if k.Scroll(runes("x"), &v) {
		t.Error("x scrolled")
	}
}
