package chart

import (
	"strings"
	"testing"
)

// The Logs pane's log-metric charts and the Metrics pane name their
// legends the same way.
func TestSeriesNames(t *testing.T) {
	cases := []struct {
		ls   []map[string]string
		want string
	}{
		{[]map[string]string{{"__name__": "hits", "level": "info"}, {"__name__": "hits", "level": "warn"}}, "level=info|level=warn"},
		{[]map[string]string{{"__name__": "hits"}}, "hits"},
		{[]map[string]string{{}}, "value"},
		{[]map[string]string{{"__name__": "x"}, {"__name__": "y"}}, "x|y"},
		{[]map[string]string{{"a": "1", "b": "2"}, {"a": "1", "b": "3"}}, "b=2|b=3"},
		{[]map[string]string{{"service": "p", "le": "1"}, {"service": "p", "le": "2"}}, "le=1|le=2"},
	}
	for _, c := range cases {
		if got := strings.Join(SeriesNames(c.ls, "", "value"), "|"); got != c.want {
			t.Errorf("SeriesNames(%v) = %q, want %q", c.ls, got, c.want)
		}
	}
}
