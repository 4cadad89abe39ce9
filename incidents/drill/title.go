package drill

import (
	"strings"

	"github.com/reltui/reltui/incidents"
)

// Title is a drill's incident title: the scenario's name first (the
// incident's kind already says drill), then ": description" when there
// is one, cut to incidents.MaxTitle runes. ScenarioOf reads the name
// back, so `drill watch` finds the scenario of an interrupted drill.
func Title(name, description string) string {
	title := name
	if d := strings.TrimSpace(description); d != "" {
		title += ": " + d
	}
	if r := []rune(title); len(r) > incidents.MaxTitle {
		title = string(r[:incidents.MaxTitle])
	}
	return title
}

// ScenarioOf reads the scenario's name from a drill's title, "NAME" or
// "NAME: description" as Title writes it, or one a person wrote,
// "drill NAME...".
func ScenarioOf(title string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(title, "drill "), ":")
	return strings.TrimSpace(name)
}
