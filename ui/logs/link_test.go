package logs

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// copiedLink presses U and returns the link put on the clipboard.
func copiedLink(t *testing.T, m *Model) string {
	t.Helper()
	cmd := press(m, "U")
	if cmd == nil {
		t.Fatalf("U copied nothing: %q", m.flash)
	}
	c, ok := cmd().(pane.CopyMsg)
	if !ok || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") || !strings.Contains(m.flash, c.Text) {
		t.Fatalf("U: %#v, flash %q", c, m.flash)
	}
	return c.Text
}

func TestLinkKeepsQueryDatasourceAndRange(t *testing.T) {
	m, _, _ := loaded(t, 50, 120, 30)
	m.links = links.Targets{Grafana: links.Grafana{URL: "https://grafana.example", OrgID: 2}, LogsDatasource: "loki-prod"}
	ps, err := links.ParseExplore(copiedLink(t, m))
	if err != nil || len(ps) != 1 {
		t.Fatalf("%v %+v", err, ps)
	}
	ms := func(t time.Time) time.Time { return t.Truncate(time.Millisecond) }
	if p := ps[0]; p.Expr != m.shown.Expr || p.Datasource != "loki-prod" || !p.From.Equal(ms(m.shown.From)) || !p.To.Equal(ms(m.shown.To)) {
		t.Errorf("link %+v, shown %q %v–%v", p, m.shown.Expr, m.shown.From, m.shown.To)
	}

	// VictoriaLogs without Grafana: its own UI.
	m.links = links.Targets{VictoriaLogs: "http://vl.example:9428"}
	q, from, to, err := links.ParseVMUI(copiedLink(t, m))
	s := func(t time.Time) time.Time { return t.Truncate(time.Second) }
	if err != nil || q != m.shown.Expr || !from.Equal(s(m.shown.From)) || !to.Equal(s(m.shown.To)) {
		t.Errorf("vmui link: %v %q %v %v", err, q, from, to)
	}
}

func TestLinkToMetricQueryChart(t *testing.T) {
	m, _, _ := loaded(t, 5, 120, 30)
	m.links = links.Targets{Grafana: links.Grafana{URL: "https://grafana.example"}, LogsDatasource: "loki-prod"}
	from, to := fixedNow.Add(-time.Hour), fixedNow
	m.Update(metricAnswer(m, plot{expr: metricExpr, from: from, to: to, step: time.Minute,
		series: first(chartSeries(levelSeries(from, to, time.Minute)))}))
	ps, err := links.ParseExplore(copiedLink(t, m))
	if err != nil || len(ps) != 1 || ps[0].Expr != metricExpr || !ps[0].From.Equal(from) || !ps[0].To.Equal(to) {
		t.Errorf("%v %+v", err, ps)
	}
}

func TestLinkWithoutTargetsSaysWhatToSet(t *testing.T) {
	m, _, _ := loaded(t, 5, 120, 30)
	if _, cmd := m.Update(panetest.Key("U")); cmd != nil {
		t.Error("a link was copied with no UI configured")
	}
	if !strings.Contains(m.flash, "loki_datasource") {
		t.Errorf("flash %q", m.flash)
	}
}
