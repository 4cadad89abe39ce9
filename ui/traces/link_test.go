package traces

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestLinkToSearchAndTrace(t *testing.T) {
	m := searchShop(t, 120, 40)
	m.links = links.Targets{JaegerUI: "http://jaeger.example:16686"}
	_, s, err := links.ParseJaeger(copied(t, m, "U"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Service != "frontend" || !s.From.Equal(m.shownQ.Start) || !s.To.Equal(m.shownQ.End) {
		t.Errorf("search link lost the search: %+v vs %+v", s, m.shownQ)
	}
	settle(m, panetest.Press(m, "enter"))
	id, _, err := links.ParseJaeger(copied(t, m, "U"))
	if err != nil || id != m.tr.traceID {
		t.Errorf("trace link names %q (%v), want %q", id, err, m.tr.traceID)
	}
	// With Grafana and a trace datasource, Explore is preferred.
	m.links.Grafana, m.links.TracesDatasource = links.Grafana{URL: "https://grafana.example"}, "jaeger-uid"
	ps, err := links.ParseExplore(copied(t, m, "U"))
	if err != nil || len(ps) != 1 || ps[0].TraceID != m.tr.traceID || ps[0].Datasource != "jaeger-uid" ||
		!ps[0].From.Equal(m.tr.start.Truncate(1e6)) {
		t.Errorf("explore link: %v %+v", err, ps)
	}
}

func TestLinkWithoutUISaysWhatToSet(t *testing.T) {
	m := searchShop(t, 120, 40)
	if cmd := panetest.Press(m, "U"); cmd != nil {
		t.Error("a link was copied with no UI configured")
	}
	if !strings.Contains(m.flash, "jaeger.ui_url") {
		t.Errorf("flash %q", m.flash)
	}
}
