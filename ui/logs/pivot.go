package logs

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Pivot shows what another pane asked for: a query over the sender's
// padded window. Without a query, a trace id becomes a line filter over
// every service, so a trace's logs are found whatever their format.
func (m *Model) Pivot(p pane.PivotMsg) (*Model, tea.Cmd) {
	q := strings.TrimSpace(p.Query)
	if q == "" {
		sel := `{service=~".+"}`
		if p.Service != "" {
			sel = fmt.Sprintf("{service=%q}", p.Service)
		}
		switch {
		case p.TraceID != "":
			q = fmt.Sprintf("%s |= %q", sel, p.TraceID)
		case p.RequestID != "":
			q = fmt.Sprintf("%s |= %q", sel, p.RequestID)
		default:
			q = sel
		}
	}
	if !p.From.IsZero() && !p.To.IsZero() {
		m.SetRange(p.From, p.To, false)
	}
	return m, m.Run(q)
}

// AtRest reports whether esc would do nothing here: no input, no detail
// view, no query running and no filter.
func (m *Model) AtRest() bool {
	return m.mode == modeList && !m.querying && m.flt == nil
}

// Selection is the line under the cursor as evidence: the query that
// finds it again over a minute around it, and a sanitized snapshot.
func (m *Model) Selection() (incidents.Evidence, bool) {
	abs, ok := m.selected()
	if m.mode == modeDetail {
		abs, ok = m.detailAbs, m.detailAbs >= m.buf.first() && m.detailAbs < m.buf.end()
	}
	if !ok {
		return incidents.Evidence{}, false
	}
	e := m.buf.at(abs).e
	keys := make([]string, 0, len(e.Labels))
	for k := range e.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
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
		Source:   "loki",
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
	abs, ok := m.selected()
	if m.mode == modeDetail {
		abs, ok = m.detailAbs, m.detailAbs >= m.buf.first() && m.detailAbs < m.buf.end()
	}
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
