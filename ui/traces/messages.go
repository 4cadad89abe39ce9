package traces

import (
	"context"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// searchAnswer is a search's answer: one summary per trace, computed in
// the Cmd, and the warnings the backend sent along.
type searchAnswer struct {
	rows     []sources.TraceSummary
	warnings []string
}

// searchMsg is the answer to the pane's search request.
type searchMsg = pane.Result[searchAnswer]

// traceMsg is one trace, prepared for the waterfall in the Cmd.
type traceMsg = pane.Result[*tree]

// findTraces runs one search. It captures its inputs by value and touches no
// model state; the summaries are computed here, off the UI goroutine.
func findTraces(src Source, q jaeger.FindQuery) func(context.Context) (searchAnswer, error) {
	return func(ctx context.Context) (searchAnswer, error) {
		trs, err := src.FindTraces(ctx, q)
		if err != nil {
			return searchAnswer{}, err
		}
		var a searchAnswer
		seen := map[string]bool{}
		a.rows = make([]sources.TraceSummary, 0, len(trs))
		for i := range trs {
			a.rows = append(a.rows, summarize(&trs[i]))
			for _, w := range trs[i].Warnings {
				if !seen[w] {
					seen[w] = true
					a.warnings = append(a.warnings, sanitize.Line(w))
				}
			}
		}
		return a, nil
	}
}

// fetchTrace fetches one trace and builds its tree, critical path and
// fold marks.
func fetchTrace(src Source, traceID string, foldShare float64) func(context.Context) (*tree, error) {
	return func(ctx context.Context) (*tree, error) {
		tr, err := src.GetTrace(ctx, traceID)
		if err != nil || tr == nil {
			return nil, err
		}
		return buildTree(tr, foldShare), nil
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
