package drill

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reltui/reltui/incidents"
)

func TestScenarioOf(t *testing.T) {
	for title, want := range map[string]string{
		"payments-errors: payments answers 5xx": "payments-errors",
		"scale-down":                            "scale-down",
		"drill scale-down: by hand":             "scale-down",
	} {
		if got := ScenarioOf(title); got != want {
			t.Errorf("ScenarioOf(%q) = %q, want %q", title, got, want)
		}
	}
}

// TestTitleReadsBack: whatever Title writes, ScenarioOf finds the name
// in, and the title fits an incident's.
func TestTitleReadsBack(t *testing.T) {
	long := strings.Repeat("é", incidents.MaxTitle)
	for _, c := range []struct{ name, desc, want string }{
		{"payments-errors", "payments answers 5xx", "payments-errors: payments answers 5xx"},
		{"scale-down", "  ", "scale-down"},
		{"cut", long, ""},
	} {
		got := Title(c.name, c.desc)
		if c.want != "" && got != c.want {
			t.Errorf("Title(%q, %q) = %q, want %q", c.name, c.desc, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > incidents.MaxTitle || !utf8.ValidString(got) {
			t.Errorf("Title(%q, ...) has %d runes (valid %v), limit %d", c.name, n, utf8.ValidString(got), incidents.MaxTitle)
		}
		if back := ScenarioOf(got); back != c.name {
			t.Errorf("ScenarioOf(Title(%q, ...)) = %q", c.name, back)
		}
	}
}
