package pane

import (
	"slices"
	"testing"
)

func TestHistoryWalkKeepsTheDraft(t *testing.T) {
	h := NewHistory(3)
	for _, q := range []string{"a", "b", "b", "c", "d"} {
		h.Add(q)
	}
	if got := h.Entries(); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("entries %v: repeats dropped, oldest evicted past 3", got)
	}
	if s, ok := h.Move(-1, "typing"); !ok || s != "d" {
		t.Fatalf("older: %q %v", s, ok)
	}
	h.Move(-1, "d")
	if s, ok := h.Move(-1, "c"); !ok || s != "b" {
		t.Fatalf("oldest: %q %v", s, ok)
	}
	if _, ok := h.Move(-1, "b"); ok {
		t.Fatal("walked past the oldest")
	}
	h.Move(1, "b")
	h.Move(1, "c")
	if s, ok := h.Move(1, "d"); !ok || s != "typing" {
		t.Fatalf("back at the newest end the draft returns: %q %v", s, ok)
	}
	if _, ok := h.Move(1, "typing"); ok {
		t.Fatal("walked past the newest")
	}
}

func TestHistorySetSanitizesAndBounds(t *testing.T) {
	h := NewHistory(2)
	h.Set([]string{"old", " ", "x\x1b]52;c;aGk=\x07y", "new"})
	got := h.Entries()
	if len(got) != 2 || got[1] != "new" {
		t.Fatalf("entries %q", got)
	}
	for _, e := range got {
		for _, r := range e {
			if r < 0x20 {
				t.Fatalf("control character survived: %q", e)
			}
		}
	}
}
