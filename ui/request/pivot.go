package request

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Pivot shows what a pivot asks for: a request id or a trace id opens its
// view, over the pivot's window when it carries one.
func (m *Model) Pivot(p pane.PivotMsg) tea.Cmd {
	id := strings.TrimSpace(p.RequestID)
	if id == "" {
		id = strings.TrimSpace(p.TraceID)
	}
	if id == "" {
		return nil
	}
	if !p.From.IsZero() && !p.To.IsZero() {
		m.SetRange(p.From, p.To, false)
	}
	m.setFilter("")
	return m.Resolve(id)
}

// pivotCmd hands msg to the root.
func pivotCmd(msg pane.PivotMsg) tea.Cmd { return func() tea.Msg { return msg } }

// open pivots from the selected row: a span to its trace (or, with
// spanLogs, to the logs written in it: by its trace id over the span's
// padded window), a line to the logs around it, a change to the logs
// around it, a service heading to that service's logs.
func (m *Model) open(spanLogs bool) tea.Cmd {
	r, ok := m.selected()
	if !ok {
		return nil
	}
	v := m.view
	switch r.kind {
	case rowSpan:
		sp := v.Spans[r.ref]
		msg := pane.PivotMsg{Target: pane.TargetTraces, TraceID: sp.TraceID, SpanID: sp.SpanID,
			Service: sp.Service, From: sp.Start.Add(-m.pad), To: sp.End().Add(m.pad)}
		if spanLogs {
			msg.Target, msg.ServiceLabel = pane.TargetLogs, m.labelFor(sp.Service)
		}
		return pivotCmd(msg)
	case rowLog:
		l := v.Logs[r.ref]
		// Every line of the service around this one: its context.
		return pivotCmd(pane.PivotMsg{Target: pane.TargetLogs, Query: m.logQuery(m.labelFor(l.Service), l.Service, ""),
			Service: l.Service, TraceID: l.TraceID, SpanID: l.SpanID, From: l.Time.Add(-m.pad), To: l.Time.Add(m.pad)})
	case rowChange:
		return m.changeLogs(r.ref)
	case rowChanges:
		return nil
	}
	return m.serviceLogs(r.svc)
}

// serviceLogs pivots to every line of a service that mentions the request,
// over the view's window.
func (m *Model) serviceLogs(g int) tea.Cmd {
	v := m.view
	svc := v.Services[g]
	msg := pane.PivotMsg{Target: pane.TargetLogs, Service: svc, ServiceLabel: m.labelFor(svc), From: v.Window.From, To: v.Window.To}
	if len(v.RequestIDs) > 0 {
		msg.RequestID = v.RequestIDs[0]
	}
	return pivotCmd(msg)
}

// labelFor is the stream label a service's lines came under in this view,
// or "service".
func (m *Model) labelFor(svc string) string { return m.view.ServiceLabel(svc) }

// logQuery is the log backend's query for a service's lines that mention
// id (all its lines when id is empty), for evidence.
func (m *Model) logQuery(label, svc, id string) string {
	d := m.logDialect
	if d == nil {
		return ""
	}
	q := d.Stream(label, svc)
	if id != "" {
		q = d.Contains(q, id)
	}
	return q
}

// Selection is the span or line under the cursor, as incident evidence.
func (m *Model) Selection() (incidents.Evidence, bool) {
	r, ok := m.selected()
	if !ok || m.mode != modeList {
		return incidents.Evidence{}, false
	}
	v := m.view
	switch r.kind {
	case rowSpan:
		sp := v.Spans[r.ref]
		return incidents.Evidence{Kind: incidents.EvidenceSpan, Source: "jaeger", Query: sp.TraceID,
			From: sp.Start.Add(-m.pad), To: sp.End().Add(m.pad),
			Snapshot: sanitize.Text(fmt.Sprintf("%s %s %s span %s of trace %s", sp.Service, sp.Operation,
				sp.Duration.Round(time.Microsecond), sp.SpanID, sp.TraceID))}, true
	case rowLog:
		l := v.Logs[r.ref]
		label, id := "service", ""
		if _, l := correlate.ServiceOf(l.Labels); l != "" {
			label = l
		}
		if len(v.RequestIDs) > 0 {
			id = v.RequestIDs[0]
		}
		return incidents.Evidence{Kind: incidents.EvidenceLog, Source: m.logBackend, Query: m.logQuery(label, l.Service, id),
			From: l.Time.Add(-m.pad), To: l.Time.Add(m.pad),
			Snapshot: sanitize.Text(l.Time.UTC().Format(time.RFC3339Nano) + " " + l.Line)}, true
	}
	return incidents.Evidence{}, false
}

// copySelected puts the selected line, or the span's trace id, on the
// clipboard through the root (OSC 52).
func (m *Model) copySelected() tea.Cmd {
	r, ok := m.selected()
	if !ok {
		return nil
	}
	var text string
	switch r.kind {
	case rowSpan:
		text = m.view.Spans[r.ref].TraceID
	case rowLog:
		text = m.view.Logs[r.ref].Line
	case rowChange:
		text = m.view.Changes[r.ref].String()
	case rowChanges:
		text = m.changesHeading()
	default:
		text = m.view.Services[r.svc]
	}
	text, cmd := pane.CopyCmd(text)
	m.flash = fmt.Sprintf("copied %d bytes (OSC 52; your terminal must allow clipboard writes)", len(text))
	return cmd
}
