package request

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// copiedLink presses U and returns the link put on the clipboard.
func copiedLink(t *testing.T, m *Model) string {
	t.Helper()
	return panetest.Copied(t, m, "U", func() string { return m.flash })
}

// The request's link opens its lines beside its trace, over the view's
// window, and survives being parsed back.
func TestRequestLinkRoundTrip(t *testing.T) {
	m, _ := loaded(t)
	m.links = links.Targets{Grafana: links.Grafana{URL: "https://grafana.example"}, LogsDatasource: "loki-uid", TracesDatasource: "jaeger-uid"}
	ps, err := links.ParseExplore(copiedLink(t, m))
	if err != nil || len(ps) != 2 {
		t.Fatalf("%v %+v", err, ps)
	}
	w := m.view.Window
	ms := func(t time.Time) time.Time { return t.Truncate(time.Millisecond) }
	logs, trace := ps[0], ps[1]
	if logs.Datasource != "loki-uid" || !strings.Contains(logs.Expr, reqID) || !strings.HasPrefix(logs.Expr, `{service_name=~".+"}`) {
		t.Errorf("logs side %+v", logs)
	}
	if trace.Datasource != "jaeger-uid" || trace.TraceID != traceA {
		t.Errorf("trace side %+v", trace)
	}
	for _, p := range ps {
		if !p.From.Equal(ms(w.From)) || !p.To.Equal(ms(w.To)) {
			t.Errorf("range %v–%v, want the view's %v–%v", p.From, p.To, w.From, w.To)
		}
	}
	// Only Jaeger UI: the trace.
	m.links = links.Targets{JaegerUI: "http://jaeger.example:16686"}
	if id, _, err := links.ParseJaeger(copiedLink(t, m)); err != nil || id != traceA {
		t.Errorf("jaeger link %q %v", id, err)
	}
}

func TestRequestLinkWithoutTargets(t *testing.T) {
	m, _ := loaded(t)
	if cmd := panetest.Press(m, "U"); cmd != nil {
		t.Error("a link was copied with no UI configured")
	}
	if !strings.Contains(m.flash, "jaeger.ui_url") {
		t.Errorf("flash %q", m.flash)
	}
}
