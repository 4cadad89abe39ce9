package traces

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
)

// traceLink copies a link to the open trace in the team's web UI:
// Explore on the context's trace datasource, else Jaeger UI.
func (m *Model) traceLink() tea.Cmd {
	if m.tr == nil {
		m.flash = "open a trace first (enter on a row)"
		return nil
	}
	l, ok := m.links.Trace(m.tr.traceID, m.tr.start, m.tr.end)
	return m.copyLink(l, ok, "grafana.url with jaeger_datasource, or jaeger.ui_url")
}

// searchLink copies a link to the shown search in Jaeger UI.
func (m *Model) searchLink() tea.Cmd {
	q := m.shownQ
	if q.Service == "" {
		m.flash = "run a search first (i)"
		return nil
	}
	u := links.JaegerSearchLink(m.links.JaegerUI, links.JaegerSearch{Service: q.Service, Operation: q.Operation,
		Tags: q.Tags, From: q.Start, To: q.End, MinDuration: q.MinDuration, MaxDuration: q.MaxDuration, Limit: q.Limit})
	return m.copyLink(links.Link{URL: u, Where: links.WhereJaeger}, u != "", "jaeger.ui_url")
}

// copyLink puts a link on the clipboard (OSC 52) and shows it, or says
// which setting would make one.
func (m *Model) copyLink(l links.Link, ok bool, needs string) tea.Cmd {
	if !ok {
		m.flash = "no web UI to link to: set " + needs + " in this context's config"
		return nil
	}
	text, cmd := pane.CopyCmd(l.URL)
	m.flash = "copied link to " + l.Where + ": " + text
	return cmd
}
