package request

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
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

// open pivots from the selected row: a span to its trace, a line to the
// logs around it, a service heading to that service's logs.
func (m *Model) open() tea.Cmd {
	r, ok := m.selected()
	if !ok {
		return nil
	}
	v := m.view
	switch r.kind {
	case rowSpan:
		sp := v.Spans[r.ref]
		return pivotCmd(pane.PivotMsg{Target: pane.TargetTraces, TraceID: sp.TraceID, SpanID: sp.SpanID,
			Service: sp.Service, From: sp.Start.Add(-m.pad), To: sp.End().Add(m.pad)})
	case rowLog:
		l := v.Logs[r.ref]
		return pivotCmd(pane.PivotMsg{Target: pane.TargetLogs, Query: streamSelector(l.Labels, l.Service),
			Service: l.Service, TraceID: l.TraceID, SpanID: l.SpanID, From: l.Time.Add(-m.pad), To: l.Time.Add(m.pad)})
	}
	return m.serviceLogs(r.svc)
}

// logsOf pivots to the logs written in the selected span (by its trace
// id, over the span's padded window), or to a service's logs.
func (m *Model) logsOf() tea.Cmd {
	r, ok := m.selected()
	if !ok {
		return nil
	}
	v := m.view
	switch r.kind {
	case rowSpan:
		sp := v.Spans[r.ref]
		sel := m.selectorFor(sp.Service)
		return pivotCmd(pane.PivotMsg{Target: pane.TargetLogs, Query: sel + " |= " + strconv.Quote(sp.TraceID),
			TraceID: sp.TraceID, SpanID: sp.SpanID, Service: sp.Service, From: sp.Start.Add(-m.pad), To: sp.End().Add(m.pad)})
	case rowLog:
		return m.open()
	}
	return m.serviceLogs(r.svc)
}

// serviceLogs pivots to every line of a service that mentions the request,
// over the view's window.
func (m *Model) serviceLogs(g int) tea.Cmd {
	v := m.view
	svc := v.Services[g]
	q := m.selectorFor(svc)
	if len(v.RequestIDs) > 0 {
		q += " |= " + strconv.Quote(v.RequestIDs[0])
	}
	return pivotCmd(pane.PivotMsg{Target: pane.TargetLogs, Query: q, Service: svc, From: v.Window.From, To: v.Window.To})
}

// selectorFor is the stream selector of a service: the label its lines
// came under in this view, or service="…".
func (m *Model) selectorFor(svc string) string {
	for i := range m.view.Logs {
		if l := &m.view.Logs[i]; l.Service == svc {
			return streamSelector(l.Labels, svc)
		}
	}
	return fmt.Sprintf("{service=%s}", strconv.Quote(svc))
}

func streamSelector(labels map[string]string, svc string) string {
	if _, label := correlate.ServiceOf(labels); label != "" {
		return fmt.Sprintf("{%s=%s}", label, strconv.Quote(svc))
	}
	return fmt.Sprintf("{service=%s}", strconv.Quote(svc))
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
		q := streamSelector(l.Labels, l.Service)
		if len(v.RequestIDs) > 0 {
			q += " |= " + strconv.Quote(v.RequestIDs[0])
		}
		return incidents.Evidence{Kind: incidents.EvidenceLog, Source: "loki", Query: q,
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
	default:
		text = m.view.Services[r.svc]
	}
	text = sanitize.Line(text)
	seq := osc52.New(text).String()
	m.flash = fmt.Sprintf("copied %d bytes (OSC 52; your terminal must allow clipboard writes)", len(text))
	return func() tea.Msg { return pane.CopyMsg{Text: text, Sequence: seq} }
}
