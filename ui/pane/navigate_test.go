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
	for _, step := range []struct {
		key     string
		n, want int
		motion  bool
	}{
		{"G", 10, 6, true}, // the last page of 10 lines shown 4 at a time
		{"j", 10, 6, true}, // not past the end
		{"k", 10, 5, true},
		{"x", 10, 5, false},
		{"j", 3, 0, true}, // a document shorter than the view
	} {
		motion := k.ScrollLines(navKey(step.key), &top, step.n, 4)
		if top != step.want || motion != step.motion {
			t.Fatalf("%s over %d lines: top %d motion %v, want %d %v", step.key, step.n, top, motion, step.want, step.motion)
		}
	}
}
