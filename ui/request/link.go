package request

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
)

// requestLink is the shown request's link.
func (m *Model) requestLink() (links.Link, bool) { return m.view.Link(m.links, m.logDialect) }

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
