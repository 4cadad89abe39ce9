package request

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
)

// Link is the link to request view v in the team's web UI: its lines
// (the log backend's query, in dialect d, for the request id over every
// service's streams) beside its trace in Grafana Explore, over the view's
// window; or the trace in Jaeger UI, or the lines in VictoriaLogs' UI,
// when that is all t can link to. `reltui request -o json` carries it.
func Link(t links.Targets, d sources.LogDialect, v *correlate.View) (links.Link, bool) {
	if v == nil || v.Joined == nil {
		return links.Link{}, false
	}
	traceID := ""
	if len(v.TraceIDs) > 0 {
		traceID = v.TraceIDs[0]
	}
	logQuery := ""
	if len(v.RequestIDs) > 0 && d != nil {
		label := "service"
		if len(v.Services) > 0 {
			label = labelIn(v, v.Services[0])
		}
		logQuery = d.Contains(d.Stream(label, ""), v.RequestIDs[0])
	}
	return t.Request(logQuery, traceID, v.Window.From, v.Window.To)
}

// requestLink is the shown request's link.
func (m *Model) requestLink() (links.Link, bool) { return Link(m.links, m.logDialect, m.view) }

// copyLink copies (OSC 52) and shows the request's link.
func (m *Model) copyLink() tea.Cmd {
	if m.view == nil {
		m.flash = "search a request or trace id first (i)"
		return nil
	}
	l, ok := m.requestLink()
	var cmd tea.Cmd
	m.flash, cmd = pane.CopyLink(l, ok, "no web UI to link to: set grafana.url with loki_datasource/jaeger_datasource, or jaeger.ui_url, in this context's config")
	return cmd
}
