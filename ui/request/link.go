package request

import (
	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// requestLink is the link to the shown request: its lines (the log
// backend's query for the request id over every service's streams) beside
// its trace in Grafana Explore, over the view's window; or the trace in
// Jaeger UI, or the lines in VictoriaLogs' UI, when that is all the
// context can link to.
func (m *Model) requestLink() (links.Link, bool) {
	v := m.view
	if v == nil || v.Joined == nil {
		return links.Link{}, false
	}
	id := ""
	if len(v.RequestIDs) > 0 {
		id = v.RequestIDs[0]
	}
	traceID := ""
	if len(v.TraceIDs) > 0 {
		traceID = v.TraceIDs[0]
	}
	label := "service"
	if len(v.Services) > 0 {
		label = m.labelFor(v.Services[0])
	}
	logQuery := ""
	if id != "" {
		logQuery = m.logQuery(label, "", id)
	}
	return m.links.Request(logQuery, traceID, v.Window.From, v.Window.To)
}

// copyLink copies (OSC 52) and shows the request's link.
func (m *Model) copyLink() tea.Cmd {
	if m.view == nil {
		m.flash = "search a request or trace id first (i)"
		return nil
	}
	l, ok := m.requestLink()
	if !ok {
		m.flash = "no web UI to link to: set grafana.url with loki_datasource/jaeger_datasource, or jaeger.ui_url, in this context's config"
		return nil
	}
	text := sanitize.Line(l.URL)
	seq := osc52.New(text).String()
	m.flash = "copied link to " + l.Where + ": " + text
	return func() tea.Msg { return pane.CopyMsg{Text: text, Sequence: seq} }
}
