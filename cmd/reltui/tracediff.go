package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
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
				writeTraceDiffText(g.stdout, &d, b, limit, listCandidates)
				return nil
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

// findBaseline searches the candidates correlate.BaselineQueries names and
// lets correlate.ChooseBaseline pick one.
func findBaseline(ctx context.Context, g *globals, c *jaeger.Client, slow sources.Trace) (*sources.Trace, correlate.Baseline, error) {
	qs, err := correlate.BaselineQueries(slow, time.Now())
	if err != nil {
		return nil, correlate.Baseline{}, &exitError{code: 1, msg: err.Error()}
	}
	var cands []sources.Trace
	for _, q := range qs {
		ts, err := c.FindTraces(ctx, jaeger.FindQuery{Service: q.Service, Operation: q.Operation, Start: q.From, End: q.To, Limit: q.Limit})
		if err != nil {
			return nil, correlate.Baseline{}, fmt.Errorf("search baseline candidates: %w", err)
		}
		cands = append(cands, ts...)
	}
	b, err := correlate.ChooseBaseline(slow, cands)
	var nb *correlate.NoBaselineError
	if errors.As(err, &nb) {
		for _, c := range nb.Considered {
			fmt.Fprintf(g.stderr, "reltui: candidate %s: %s\n", c.TraceID, sanitizeLine(c.Reason))
		}
		return nil, b, &exitError{code: 1, msg: err.Error() + "; name one as BASELINE_ID"}
	}
	if err != nil {
		return nil, b, &exitError{code: 1, msg: err.Error()}
	}
	for i := range cands {
		if cands[i].TraceID == b.TraceID {
			printWarnings(g, cands[i].Warnings)
			return &cands[i], b, nil
		}
	}
	return nil, b, fmt.Errorf("baseline %s vanished from the candidates", b.TraceID)
}

// writeTraceDiffText prints the header and the ranked rows.
func writeTraceDiffText(w io.Writer, d *correlate.TraceDiff, b correlate.Baseline, limit int, listCandidates bool) {
	side := func(label string, s correlate.TraceSide) {
		errs := ""
		if s.Errors > 0 {
			errs = fmt.Sprintf(", %d errors", s.Errors)
		}
		fmt.Fprintf(w, "%-9s %s  %s %s  %s  (%d spans%s)\n", label, s.TraceID, sanitizeLine(s.Service), sanitizeLine(s.Operation),
			fmtDur(s.Duration), s.Spans, errs)
	}
	side("slow", d.Slow)
	side("baseline", d.Base)
	fmt.Fprintf(w, "extra     %s\n", fmtDelta(d.Slow.Duration-d.Base.Duration))
	fmt.Fprintf(w, "why this baseline: %s\n", sanitizeLine(b.Reason))
	if n := len(b.Considered); n > 0 {
		fmt.Fprintf(w, "candidates: %d considered: %s\n", n, sanitizeLine(correlate.TallyCandidates(b.Considered)))
	}
	for _, n := range b.Notes {
		fmt.Fprintf(w, "note: %s\n", sanitizeLine(n))
	}
	fmt.Fprintf(w, "spans: %d in both, %d only in slow, %d only in baseline\n", d.Matched, d.OnlySlow, d.OnlyBase)
	fmt.Fprintf(w, "ranked %s\n\n", correlate.RankingRule)

	n := len(d.Rows)
	if limit > 0 && limit < n {
		n = limit
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tEXPLAINS\tCRIT slow/base\tSELF Δ\tTOTAL slow/base\tTOTAL Δ\tERR\tIN\tSPAN\tUNDER")
	for i, r := range d.Rows[:n] {
		name := sanitizeLine(r.Service + " " + r.Operation)
		if r.Ordinal > 0 {
			name += fmt.Sprintf("#%d", r.Ordinal+1)
		}
		under := "(root)"
		if r.Parent >= 0 {
			under = sanitizeLine(d.Path(r.Parent))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, fmtDelta(r.CriticalDelta),
			pair(r, func(s correlate.DiffSide) time.Duration { return s.Critical }), fmtDelta(r.SelfDelta),
			pair(r, func(s correlate.DiffSide) time.Duration { return s.Total }), fmtDelta(r.TotalDelta),
			errMark(r), presence(r.Presence), name, under)
	}
	tw.Flush()
	if n < len(d.Rows) {
		fmt.Fprintf(w, "… %d more rows (--limit 0 shows all)\n", len(d.Rows)-n)
	}
	if listCandidates && len(b.Considered) > 0 {
		fmt.Fprintln(w, "\ncandidates considered:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range b.Considered {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.TraceID, c.Start.UTC().Format("15:04:05"), fmtDur(c.Duration), sanitizeLine(c.Reason))
		}
		tw.Flush()
	}
}

// pair prints a row's value in both traces, "-" where the span is absent.
func pair(r correlate.DiffRow, get func(correlate.DiffSide) time.Duration) string {
	s, b := "-", "-"
	if r.Presence != correlate.OnlyBase {
		s = fmtDur(get(r.Slow))
	}
	if r.Presence != correlate.OnlySlow {
		b = fmtDur(get(r.Base))
	}
	return s + "/" + b
}

func errMark(r correlate.DiffRow) string {
	switch {
	case r.Slow.Error && r.Base.Error:
		return "both"
	case r.Slow.Error:
		return "slow"
	case r.Base.Error:
		return "base"
	}
	return ""
}

func presence(p correlate.Presence) string {
	switch p {
	case correlate.OnlySlow:
		return "slow only"
	case correlate.OnlyBase:
		return "base only"
	}
	return "both"
}

// fmtDur rounds for reading: 0.1 ms under a second, ms above.
func fmtDur(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	if d < time.Second && d > -time.Second {
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// fmtDelta is fmtDur with a sign.
func fmtDelta(d time.Duration) string {
	if d > 0 {
		return "+" + fmtDur(d)
	}
	return fmtDur(d)
}
