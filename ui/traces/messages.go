package traces

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// searchMsg is a search's answer: one summary per trace, computed in the
// Cmd, and the warnings the backend sent along.
type searchMsg struct {
	pane     string
	seq      int
	q        jaeger.FindQuery
	rows     []sources.TraceSummary
	warnings []string
	err      error
}

// traceMsg is one trace, prepared for the waterfall in the Cmd.
type traceMsg struct {
	pane string
	seq  int
	id   string
	tree *tree
	err  error
}

// PaneID makes the messages pane.Routed.
func (m searchMsg) PaneID() string { return m.pane }

// PaneID makes the messages pane.Routed.
func (m traceMsg) PaneID() string { return m.pane }

var (
	_ pane.Routed = searchMsg{}
	_ pane.Routed = traceMsg{}
)

// searchCmd runs one search. It captures its inputs by value and touches
// no model state; the summaries are computed here, off the UI goroutine.
func searchCmd(ctx context.Context, src Source, id string, seq int, q jaeger.FindQuery, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		trs, err := src.FindTraces(ctx, q)
		msg := searchMsg{pane: id, seq: seq, q: q, err: err}
		if err != nil {
			return msg
		}
		seen := map[string]bool{}
		msg.rows = make([]sources.TraceSummary, 0, len(trs))
		for i := range trs {
			msg.rows = append(msg.rows, summarize(&trs[i]))
			for _, w := range trs[i].Warnings {
				if !seen[w] {
					seen[w] = true
					msg.warnings = append(msg.warnings, sanitize.Line(w))
				}
			}
		}
		return msg
	}
}

// traceCmd fetches one trace and builds its tree, critical path and fold
// marks.
func traceCmd(ctx context.Context, src Source, id string, seq int, traceID string, timeout time.Duration, foldShare float64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		tr, err := src.GetTrace(ctx, traceID)
		msg := traceMsg{pane: id, seq: seq, id: traceID, err: err}
		if err == nil && tr != nil {
			msg.tree = buildTree(tr, foldShare)
		}
		return msg
	}
}

// summarize condenses a trace into a result row with sanitized strings.
func summarize(tr *sources.Trace) sources.TraceSummary {
	s := jaeger.Summarize(*tr)
	s.TraceID = sanitize.Line(s.TraceID)
	s.RootSvc = sanitize.Line(s.RootSvc)
	s.RootOp = sanitize.Line(s.RootOp)
	svcs := make([]string, len(s.Services))
	for i, v := range s.Services {
		svcs[i] = sanitize.Line(v)
	}
	s.Services = svcs
	return s
}
