package pane

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func TestDefaultEditorKeys(t *testing.T) {
	k := DefaultEditorKeys()
	for _, c := range []struct {
		b    key.Binding
		msgs []tea.KeyMsg
		help string
	}{
		{k.Run, []tea.KeyMsg{{Type: tea.KeyEnter}}, "enter run"},
		{k.HistPrev, []tea.KeyMsg{{Type: tea.KeyUp}, {Type: tea.KeyCtrlP}}, "↑ older query"},
		{k.HistNext, []tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyCtrlN}}, "↓ newer query"},
		{k.Back, []tea.KeyMsg{{Type: tea.KeyEsc}}, "esc back"},
	} {
		if h := c.b.Help(); h.Key+" "+h.Desc != c.help {
			t.Errorf("help %q %q, want %q", h.Key, h.Desc, c.help)
		}
		for _, msg := range c.msgs {
			if !key.Matches(msg, c.b) {
				t.Errorf("%s does not match %q", c.help, msg)
			}
		}
	}
	if key.Matches(tea.KeyMsg{Type: tea.KeyEnter}, k.Back) || key.Matches(tea.KeyMsg{Type: tea.KeyEsc}, k.Run) {
		t.Error("enter and esc overlap")
	}
}
