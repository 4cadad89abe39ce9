package pane

import (
	"strings"
	"testing"
)

func TestLabelsSortedAndSanitized(t *testing.T) {
	if got := Labels(nil); got != "{}" {
		t.Errorf("no labels: %q", got)
	}
	if got := Labels(map[string]string{"b": "2", "a": "1", "c": ""}); got != `{a="1", b="2", c=""}` {
		t.Errorf("sorted: %q", got)
	}
	got := Labels(map[string]string{"job\x1b]0;t\x07": "api\n\x1b[2Jx"})
	if !strings.HasPrefix(got, `{job`) || !strings.Contains(got, `="api`) || !strings.HasSuffix(got, `x"}`) || strings.ContainsAny(got, "\n\x1b\x07") {
		t.Errorf("hostile: %q", got)
	}
}
