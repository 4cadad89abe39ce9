package pane

import (
	"strconv"
	"strings"
	"testing"
)

func TestBody(t *testing.T) {
	row := func(i int) string { return "r" + strconv.Itoa(i) }
	for _, c := range []struct {
		name   string
		h      int
		lead   []string
		top, n int
		want   string
	}{
		{"rows from top, padded", 4, nil, 1, 3, "r1|r2||"},
		{"lead then rows, cut", 3, []string{"a", "b"}, 0, 5, "a|b|r0"},
		{"lead longer than the body", 2, []string{"a", "b", "c"}, 0, 5, "a|b"},
		{"no rows", 2, nil, 0, 0, "|"},
		{"no room", 0, []string{"a"}, 0, 5, ""},
	} {
		got := strings.Join(Body(c.h, c.lead, c.top, c.n, row), "|")
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
