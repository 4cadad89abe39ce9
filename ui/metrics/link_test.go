package metrics

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// U links the focused chart's query, over the range it ran on, to
// Prometheus's own UI when the context names no Grafana; the link reads
// back to the same query and range.
func TestLinkOut(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	if out := settle(m, panetest.Press(m, "U")); len(out) != 0 || !strings.Contains(m.View(), "no web UI to link to") {
		t.Fatalf("without targets: %+v\n%s", out, m.View())
	}
	m.links = links.Targets{Prometheus: "http://prom.example:9090"}
	panetest.Press(m, "j") // traffic
	out := settle(m, panetest.Press(m, "U"))
	c, ok := out[0].(pane.CopyMsg)
	if !ok {
		t.Fatalf("U = %+v", out)
	}
	q, from, to, err := links.ParsePromGraph(c.Text)
	p, _ := m.cursorPanel()
	if err != nil || q != p.exprs[len(p.exprs)-1] || !strings.HasPrefix(q, "sum(rate(http_requests_total") ||
		!from.Equal(p.from.Truncate(1e9)) || !to.Equal(p.to.UTC().Truncate(1e9)) {
		t.Fatalf("link %q reads back as %q %v–%v (%v); the chart ran %q over %v–%v", c.Text, q, from, to, err, p.exprs, p.from, p.to)
	}
	if !strings.Contains(m.View(), "copied link to Prometheus UI") {
		t.Errorf("no flash:\n%s", m.View())
	}
}
