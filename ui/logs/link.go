package logs

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// copyLink copies (OSC 52) and shows a link that opens the query on
// screen, over the range it ran on, in the team's web UI: Grafana Explore
// on the context's logs datasource, else VictoriaLogs' own UI.
func (m *Model) copyLink() tea.Cmd {
	expr, from, to := m.shown.Expr, m.shown.From, m.shown.To
	if m.plot != nil {
		expr, from, to = m.plot.expr, m.plot.from, m.plot.to
	}
	if expr == "" || (m.plot == nil && !m.hasResult) {
		m.flash = "run a query first (i, then enter); U links to it"
		return nil
	}
	l, ok := m.links.Logs(expr, from, to)
	if !ok {
		m.flash = "no web UI to link to: set grafana.url and grafana.loki_datasource in this context's config"
		return nil
	}
	text, cmd := pane.CopyCmd(l.URL)
	m.flash = "copied link to " + l.Where + ": " + text
	return cmd
}
