package alerts

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// prefilledMsg answers prefillCmd: the declaration with honest
// milestones (or the alert's own times, and why).
type prefilledMsg struct {
	pane   string
	seq    int
	firing string
	name   string
	res    alertstart.Result
}

// PaneID routes the message to the pane.
func (m prefilledMsg) PaneID() string { return m.pane }

// prefillCmd evaluates a's rule backwards through q (nil: the alert's own
// times) under its own timeout; its inputs are copies, it reads no model.
func prefillCmd(ctx context.Context, q alertstart.Querier, id string, seq int, a sources.Alert, firing string, now time.Time, graf incidents.Grafana, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		return prefilledMsg{pane: id, seq: seq, firing: firing, name: a.Name, res: alertstart.Declare(ctx, q, a, now, graf)}
	}
}

// onPrefilled keeps the declaration, key and all, so d after a failed
// declare retries the same request, then declares.
func (m *Model) onPrefilled(msg prefilledMsg) tea.Cmd {
	m.prefilling = false
	d := msg.res.Declaration
	d.Key, d.Author = newKey(), m.author
	m.pending[msg.firing] = d
	cmd := m.declareNow(d, msg.firing, msg.name)
	if len(msg.res.Warnings) > 0 {
		m.flash += " (" + sanitize.Line(strings.Join(msg.res.Warnings, "; ")) + ")"
	}
	return cmd
}
