package pane

import "testing"

func TestPad(t *testing.T) {
	for _, c := range []struct {
		s           string
		w           int
		right, left string
	}{
		{"ab", 4, "ab  ", "  ab"},
		{"abcd", 2, "abcd", "abcd"},
		{"日本", 5, "日本 ", " 日本"},
		{"\x1b[1mab\x1b[0m", 3, "\x1b[1mab\x1b[0m ", " \x1b[1mab\x1b[0m"},
		{"", 0, "", ""},
	} {
		if got := PadRight(c.s, c.w); got != c.right {
			t.Errorf("PadRight(%q, %d) = %q, want %q", c.s, c.w, got, c.right)
		}
		if got := PadLeft(c.s, c.w); got != c.left {
			t.Errorf("PadLeft(%q, %d) = %q, want %q", c.s, c.w, got, c.left)
		}
	}
}
