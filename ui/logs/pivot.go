package logs

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

// Pivot shows what another pane asked for: a query over the sender's
// padded window. Without a query, an id becomes a line filter over the
// service (or every service); when no line mentions it, the pane asks
// again through structured metadata, where some loggers keep their ids.
func (m *Model) Pivot(p pane.PivotMsg) tea.Cmd {
	q := strings.TrimSpace(p.Query)
	m.fallback, m.fallbackFor, m.chartBack = "", "", nil
	if q == "" {
		d := m.dialect()
		label := p.ServiceLabel
		if label == "" {
			label = "service"
		}
		sel := d.Stream(label, p.Service)
		kind, id := correlate.IDTrace, p.TraceID
		if id == "" {
			kind, id = correlate.IDRequest, p.RequestID
		}
		q = sel
		if id != "" {
			// The line-text query first; when no line mentions the id, the
			// fields query (LogQL needs a second one; LogsQL does both at once).
			qs := d.IDQueries(sel, m.ids.MetadataKeys(kind), []string{id})
			q = qs[0]
			if len(qs) > 1 {
				m.fallback, m.fallbackFor = qs[1], q
			}
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() {
		m.SetRange(p.From, p.To, false)
	}
	return m.Run(q)
}

// pivotFallback runs the structured-metadata form of a pivot's query
// when the line filter found nothing. A result of any other query (the
// user typed one meanwhile) drops the fallback.
func (m *Model) pivotFallback(found int, expr string) tea.Cmd {
	q, want := m.fallback, m.fallbackFor
	m.fallback, m.fallbackFor = "", ""
	if q == "" || found > 0 || expr != want {
		return nil
	}
	m.flash = "no line mentions the id; searching the fields that carry ids"
	return m.Run(q)
}

// AtRest reports whether esc would do nothing here: no input, no detail
// view, no query running, no filter and no chart to return to.
func (m *Model) AtRest() bool {
	return m.mode == modeList && !m.query.Busy() && !m.older.Busy() && m.flt == nil && m.chartBack == nil
}

// Selection is the line under the cursor as evidence: the query that
// finds it again over a minute around it, and a sanitized snapshot.
func (m *Model) Selection() (incidents.Evidence, bool) {
	abs, ok := m.meant()
	if !ok {
		return incidents.Evidence{}, false
	}
	e := m.buf.at(abs).e
	keys := sortedKeys(e.Labels)
	var lb strings.Builder
	for i, k := range keys {
		if i > 0 {
			lb.WriteString(", ")
		}
		fmt.Fprintf(&lb, "%s=%q", k, e.Labels[k])
	}
	snap := e.Time.UTC().Format(time.RFC3339Nano) + " {" + lb.String() + "} " + e.Line
	return incidents.Evidence{
		Kind:     incidents.EvidenceLog,
		Source:   m.backendName(),
		Query:    m.shown.Expr,
		From:     e.Time.Add(-time.Minute),
		To:       e.Time.Add(time.Minute),
		Snapshot: sanitize.Text(snap),
	}, true
}

// PivotPad is how far either side of a line a pivot searches.
const PivotPad = 5 * time.Minute

// pivotFromLine opens the selected line's request view or trace. The IDs
// come from the line, its labels and its structured metadata, so a trace id
// kept only in metadata is found too.
func (m *Model) pivotFromLine(to pane.Target) tea.Cmd {
	abs, ok := m.meant()
	if !ok {
		m.flash = "no line selected"
		return nil
	}
	e := m.buf.at(abs).e
	f := m.ids.Extract(e)
	msg := pane.PivotMsg{Target: to, TraceID: f.TraceID, SpanID: f.SpanID, RequestID: f.RequestID,
		From: e.Time.Add(-PivotPad), To: e.Time.Add(PivotPad)}
	switch {
	case to == pane.TargetTraces && f.TraceID == "":
		m.flash = "this line carries no trace id (looked in the line, its labels and structured metadata)"
		return nil
	case to == pane.TargetRequest && f.RequestID == "" && f.TraceID == "":
		m.flash = "this line carries no request id or trace id"
		return nil
	case to == pane.TargetRequest && f.RequestID == "":
		msg.RequestID = f.TraceID
	}
	return func() tea.Msg { return msg }
}
