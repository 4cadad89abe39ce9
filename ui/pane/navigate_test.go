package pane

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func navKey(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestNavigateMovesAndKeepsTheCursorInView(t *testing.T) {
	k := DefaultListKeys()
	sel, top := 0, 0
	for range 5 {
		if !k.Navigate(navKey("j"), &sel, &top, 10, 3) {
			t.Fatal("j is a motion key")
		}
	}
	if sel != 5 || top != 3 {
		t.Fatalf("after 5×j: sel %d top %d, want 5 and 3", sel, top)
	}
	k.Navigate(navKey("G"), &sel, &top, 10, 3)
	if sel != 9 || top != 7 {
		t.Fatalf("after G: sel %d top %d, want 9 and 7", sel, top)
	}
	if k.Navigate(navKey("x"), &sel, &top, 10, 3) || sel != 9 || top != 7 {
		t.Fatalf("x moved: sel %d top %d", sel, top)
	}
}

func TestScrollLinesStopsAtEitherEnd(t *testing.T) {
	k := DefaultListKeys()
	top := 0
	k.ScrollLines(navKey("G"), &top, 10, 4)
	if top != 6 {
		t.Fatalf("G: top %d, want 6 (the last page)", top)
	}
	k.ScrollLines(navKey("j"), &top, 10, 4)
	if top != 6 {
		t.Fatalf("j past the end: top %d", top)
	}
	k.ScrollLines(navKey("k"), &top, 10, 4)
	if top != 5 {
		t.Fatalf("k: top %d, want 5", top)
	}
	k.ScrollLines(navKey("j"), &top, 3, 4)
	if top != 0 {
		t.Fatalf("a document shorter than the view: top %d, want 0", top)
	}
	if k.ScrollLines(navKey("x"), &top, 10, 4) {
		t.Fatal("x is not a motion key")
	}
}
