package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/ui/headless"
)

func newTraceDiffCmd(g *globals) *cobra.Command {
	var out string
	var limit int
	var listCandidates bool
	cmd := &cobra.Command{
		Use:   "diff TRACE_ID [BASELINE_ID]",
		Short: "What a slow trace did differently from a healthy one",
		Long: `Compares a trace with a baseline span by span. Without BASELINE_ID a healthy
baseline is found in Jaeger: traces of the same root service and operation
from 30 minutes before to 5 minutes after, with no error span, within 25% of
their median duration; of those, the nearest in time.

Spans are aligned by service, operation and position in the tree (a second
call of the same name, such as a retry, is its own position). Each row shows
the span's time on the critical path, self time and total time in both
traces, errors, and spans found in only one trace. Rows are ranked by how
much of the extra duration they explain: the change in the span's own time
on the critical path, largest first.
Exit status: 0 compared, 1 not found, no baseline or failed, 2 bad usage.`,
		Example: `  reltui trace diff 4bf92f3577b34da6a3ce929d0e0e4736
  reltui trace diff 4bf92f3577b34da6a3ce929d0e0e4736 --candidates
  reltui trace diff 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7a3ce929d0e0e4736 --output json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usage("trace diff needs a trace id and optionally a baseline trace id (got %d arguments); see reltui trace diff --help", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			if limit < 0 {
				return usage("--limit must not be negative")
			}
			return withBackends(g, "jaeger", hasJaeger, func(ctx context.Context, bs *backends) error {
				slow, err := getDiffTrace(ctx, bs.jaeger, args[0], "trace")
				if err != nil {
					return err
				}
				printWarnings(g, slow.Warnings)
				var base *sources.Trace
				var b correlate.Baseline
				if len(args) == 2 {
					if base, err = getDiffTrace(ctx, bs.jaeger, args[1], "baseline trace"); err != nil {
						return err
					}
					printWarnings(g, base.Warnings)
					b = correlate.GivenBaseline(*slow, *base)
				} else if base, b, err = findBaseline(ctx, g, bs.jaeger, *slow); err != nil {
					return err
				}
				d := correlate.Diff(*slow, *base)
				if out == "json" {
					return writeJSON(g.stdout, d.JSON(b, limit))
				}
				return headless.WriteTraceDiffText(g.stdout, &d, b, limit, listCandidates)
			})
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().IntVar(&limit, "limit", 20, "most rows to print (0: all)")
	cmd.Flags().BoolVar(&listCandidates, "candidates", false, "list every baseline candidate considered and why it was kept or rejected (text output; JSON always has them)")
	return cmd
}

// getDiffTrace fetches one of the traces to compare; an unknown id is a
// plain "not found" naming which one.
func getDiffTrace(ctx context.Context, c *jaeger.Client, id, what string) (*sources.Trace, error) {
	t, err := c.GetTrace(ctx, id)
	if sources.KindOf(err) == sources.KindNotFound {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("%s %s not found in jaeger", what, sanitizeLine(id))}
	}
	if err != nil {
		return nil, err
	}
	if len(t.Spans) == 0 {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("%s %s has no spans", what, sanitizeLine(id))}
	}
	return t, nil
}

// findBaseline lets correlate.FindBaseline search Jaeger for a healthy
// baseline; with none, every candidate considered is listed on stderr.
func findBaseline(ctx context.Context, g *globals, c *jaeger.Client, slow sources.Trace) (*sources.Trace, correlate.Baseline, error) {
	search := func(ctx context.Context, q correlate.BaselineQuery) ([]sources.Trace, error) {
		return c.FindTraces(ctx, jaeger.FindQuery{Service: q.Service, Operation: q.Operation, Start: q.From, End: q.To, Limit: q.Limit})
	}
	base, b, err := correlate.FindBaseline(ctx, slow, time.Now(), search)
	var nb *correlate.NoBaselineError
	if errors.As(err, &nb) {
		for _, c := range nb.Considered {
			fmt.Fprintf(g.stderr, "reltui: candidate %s: %s\n", c.TraceID, sanitizeLine(c.Reason))
		}
		return nil, b, &exitError{code: 1, msg: err.Error() + "; name one as BASELINE_ID"}
	}
	if err != nil {
		return nil, b, err
	}
	if base == nil {
		return nil, b, fmt.Errorf("baseline %s vanished from the candidates", b.TraceID)
	}
	printWarnings(g, base.Warnings)
	return base, b, nil
}
