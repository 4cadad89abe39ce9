package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// canWrite reports whether a write about the selection can go: ok says
// there is one (else none is flashed) and an incident store must be open
// (else the flash says so, then noStore).
func (m *Model) canWrite(ok bool, none, noStore string) bool {
	switch {
	case !ok:
		m.flash = none
	case m.store == nil:
		m.flash = "✗ no incident store is open for this session; " + noStore
	default:
		return true
	}
	return false
}

// allowed reports whether the session's role may do a; when it may not,
// the flash says why.
func (m *Model) allowed(a incidents.Action) bool {
	err := incidents.Allowed(m.role, a)
	if err != nil {
		m.flash = "✗ " + strings.TrimPrefix(err.Error(), "not allowed: ")
	}
	return err == nil
}

// prefilled answers the prefill request: the declaration with honest
// milestones (or the alert's own times, and why) for one alert firing.
type prefilled struct {
	firing string
	name   string
	res    alertstart.Result
}

// declared answers a declaration of one alert firing.
type declared struct {
	firing string
	inc    incidents.Incident
}

// declare opens an incident from the selected alert. A declaration is
// kept, key and all, until it succeeds, so d after a timeout retries the
// same request and cannot declare twice; d on an alert this session
// already declared from opens that incident instead.
func (m *Model) declare() tea.Cmd {
	it, ok := m.selected()
	if !m.canWrite(ok, "no alert selected", "see reltui incident --help") || m.decl.Busy() || m.prefill.Busy() {
		return nil
	}
	firing := firingKey(it.a)
	if id, ok := m.declared[firing]; ok {
		return m.pivotTo(id, fmt.Sprintf("%s was already declared from this alert", incidents.Ref(id)))
	}
	if !m.allowed(incidents.ActionDeclare) {
		return nil
	}
	d, ok := m.pending[firing]
	if ok {
		return m.declareNow(d, firing, it.a.Name)
	}
	// First the honest milestones, in a Cmd: the rule is evaluated
	// backwards in Prometheus (nil: the alert's own times). Its inputs
	// are copies; it reads no model.
	m.flash = "reading " + it.a.Name + "'s rule and history for when impact began…"
	q, a, now, graf := m.prom, it.a, m.b.Now(), m.grafana
	return tea.Batch(m.prefill.Start(m.ctx, func(ctx context.Context) (prefilled, error) {
		return prefilled{firing: firing, name: a.Name, res: alertstart.Declare(ctx, q, a, now, graf)}, nil
	}), m.spin.Start())
}

// onPrefilled keeps the declaration, key and all, so d after a failed
// declare retries the same request, then declares.
func (m *Model) onPrefilled(msg pane.Result[prefilled]) tea.Cmd {
	p := msg.Value
	d := p.res.Declaration
	d.Key, d.Author = newKey(), m.author
	m.pending[p.firing] = d
	cmd := m.declareNow(d, p.firing, p.name)
	if len(p.res.Warnings) > 0 {
		m.flash += " (" + sanitize.Line(strings.Join(p.res.Warnings, "; ")) + ")"
	}
	return cmd
}

// declareNow sends the kept declaration for firing.
func (m *Model) declareNow(d incidents.Declaration, firing, name string) tea.Cmd {
	m.flash = "declaring an incident from " + name + "…"
	s := m.store
	return tea.Batch(m.decl.Start(m.ctx, func(ctx context.Context) (declared, error) {
		inc, err := s.Declare(ctx, d)
		return declared{firing: firing, inc: inc}, err
	}), m.spin.Start())
}

func newKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "ui-alert-" + hex.EncodeToString(b[:])
}

func (m *Model) onDeclared(msg pane.Result[declared]) tea.Cmd {
	firing, inc := msg.Value.firing, msg.Value.inc
	if msg.Err != nil {
		_, reason := m.decl.ErrText()
		m.flash = "✗ declare failed: " + reason
		if errors.Is(msg.Err, incidents.ErrUnavailable) || errors.Is(msg.Err, context.DeadlineExceeded) {
			m.flash += " (d again is safe: it cannot declare twice)"
		} else {
			delete(m.pending, firing) // nothing was written
		}
		return nil
	}
	delete(m.pending, firing)
	m.declared[firing] = inc.ID
	if m.rb.open && m.rb.firing == firing {
		// Stay in the runbook: the steps marked next go on this incident.
		m.rb.incID = inc.ID
		m.flash = fmt.Sprintf("declared %s; steps marked done go on its timeline", incidents.Ref(inc.ID))
		return nil
	}
	return m.pivotTo(inc.ID, fmt.Sprintf("declared %s: %s", incidents.Ref(inc.ID), sanitize.Line(inc.Title)))
}

// pivotTo flashes text and asks the root to show incident id.
func (m *Model) pivotTo(id int64, text string) tea.Cmd {
	m.flash = ""
	pivot := pane.IncidentPivot(id)
	return tea.Batch(
		func() tea.Msg { return pane.FlashMsg{Text: text} },
		func() tea.Msg { return pivot },
	)
}
