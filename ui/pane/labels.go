package pane

import (
	"maps"
	"slices"
	"strings"

	"github.com/reltui/reltui/sources/sanitize"
)

// Labels renders a label set as {k="v", ...}, sorted by key, each key
// and value sanitized to one line: how a log stream's or a series' labels
// read in a pane and in the headless text output.
func Labels(l map[string]string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(l)) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sanitize.Line(k))
		b.WriteString(`="`)
		b.WriteString(sanitize.Line(l[k]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
