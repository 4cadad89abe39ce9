package traces

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// logsPivot asks the root for the Logs pane showing span i's service
// around the span, narrowed to lines that carry the trace id.
func (m *Model) logsPivot(i int32) tea.Cmd {
	if m.tr == nil || i < 0 || int(i) >= len(m.tr.nodes) {
		return nil
	}
	msg := m.logsPivotMsg(i)
	return func() tea.Msg { return msg }
}

func (m *Model) logsPivotMsg(i int32) pane.PivotMsg {
	s := m.tr.nodes[i].span
	return pane.PivotMsg{
		Target:       pane.TargetLogs,
		ServiceLabel: m.logLabel,
		TraceID:      m.tr.traceID,
		SpanID:       s.SpanID,
		Service:      s.Service,
		From:         s.Start.Add(-m.pad),
		To:           s.End().Add(m.pad),
	}
}

// Selection is what `p` pins: the span under the cursor (or in the detail
// view) with its trace id as the query, or the trace under the table's
// cursor.
func (m *Model) Selection() (incidents.Evidence, bool) {
	switch m.mode {
	case modeTrace, modeDetail, modeFilter:
		i := m.selSpan()
		if m.mode == modeDetail {
			i = m.detailSpan
		}
		if m.tr == nil || i < 0 || int(i) >= len(m.tr.nodes) {
			return incidents.Evidence{}, false
		}
		s := m.tr.nodes[i].span
		return incidents.Evidence{
			Kind:     incidents.EvidenceSpan,
			Source:   "jaeger",
			Query:    m.tr.traceID,
			From:     s.Start,
			To:       s.End(),
			Snapshot: sanitize.Text(spanSnapshot(m.tr, i)),
		}, true
	case modeDiff:
		return m.diffSelection()
	case modeResults:
		if m.rsel >= len(m.rows) {
			return incidents.Evidence{}, false
		}
		r := m.rows[m.rsel]
		snap := fmt.Sprintf("trace %s %s: %s %s, %d spans, %d errors, services %s",
			r.TraceID, r.RootSvc, r.RootOp, fmtDur(r.Duration), r.SpanCount, r.ErrorCount, strings.Join(r.Services, ","))
		return incidents.Evidence{
			Kind: incidents.EvidenceSpan, Source: "jaeger", Query: r.TraceID,
			From: r.Start, To: r.Start.Add(r.Duration), Snapshot: sanitize.Text(snap),
		}, true
	}
	return incidents.Evidence{}, false
}

// spanSnapshot is a span as plain text for the incident record.
func spanSnapshot(t *tree, i int32) string {
	nd := &t.nodes[i]
	s := nd.span
	var b strings.Builder
	fmt.Fprintf(&b, "trace %s span %s %s: %s\n", t.traceID, s.SpanID, s.Service, s.Operation)
	fmt.Fprintf(&b, "start %s duration %s", s.Start.UTC().Format(time.RFC3339Nano), fmtDur(s.Duration))
	if s.Error {
		b.WriteString(" error")
	}
	if nd.critical > 0 {
		fmt.Fprintf(&b, " critical-path %s", fmtDur(nd.critical))
	}
	for _, kv := range s.Tags {
		fmt.Fprintf(&b, "\n%s=%s", kv.Key, kv.Value)
	}
	return b.String()
}
