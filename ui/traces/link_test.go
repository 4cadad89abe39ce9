package traces

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// copied runs the Cmd of key k and returns the link it put on the
// clipboard.
func copied(t *testing.T, m *Model, k string) string {
	t.Helper()
	msgs := run(panetest.Press(m, k))
	if len(msgs) != 1 {
		t.Fatalf("%s: %d msgs (flash %q)", k, len(msgs), m.flash)
	}
	c, ok := msgs[0].(pane.CopyMsg)
	if !ok || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") {
		t.Fatalf("%s: %#v", k, msgs[0])
	}
	if !strings.Contains(m.flash, c.Text) {
		t.Errorf("the flash does not show the link: %q", m.flash)
	}
	return c.Text
}

func TestLinkToSearchAndTrace(t *testing.T) {
	m, _ := newTestModel(t, termenv.Ascii, themes.NoColor(), shopSource(), 120, 40)
	m.links = links.Targets{JaegerUI: "http://jaeger.example:16686"}
	search(m, "frontend")
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
	m, _ := newTestModel(t, termenv.Ascii, themes.NoColor(), shopSource(), 120, 40)
	search(m, "frontend")
	if cmd := panetest.Press(m, "U"); cmd != nil {
		t.Error("a link was copied with no UI configured")
	}
	if !strings.Contains(m.flash, "jaeger.ui_url") {
		t.Errorf("flash %q", m.flash)
	}
}
