package headless

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
)

// SLOReports are `reltui slo -o json`'s documents: each evaluation's
// report with the strings that came from outside sanitized.
func SLOReports(evals []slo.Evaluation) []slo.Report {
	reports := make([]slo.Report, len(evals))
	for i, e := range evals {
		r := e.Report()
		r.Name = sanitize.Line(r.Name)
		r.Summary = sanitize.Line(r.Summary)
		for j := range r.Excluded {
			r.Excluded[j].Reason = sanitize.Line(r.Excluded[j].Reason)
		}
		reports[i] = r
	}
	return reports
}

// WriteSLOText prints `reltui slo`'s text: per SLO its status, budget bar,
// excluded periods, burn-rate table and a sentence, a blank line between
// SLOs.
func WriteSLOText(w io.Writer, evals []slo.Evaluation) error {
	var b strings.Builder
	for i, e := range evals {
		if i > 0 {
			b.WriteString("\n")
		}
		writeSLO(&b, e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// budgetBar draws the remaining budget as [#####.....] in plain ASCII.
func budgetBar(e slo.Evaluation) string {
	const width = 20
	if !e.BudgetKnown {
		return "[" + strings.Repeat("?", width) + "] unknown"
	}
	f := math.Min(math.Max(e.BudgetRemaining, 0), 1)
	n := int(math.Round(f * width))
	return fmt.Sprintf("[%s%s] %s left", strings.Repeat("#", n), strings.Repeat(".", width-n), slo.FormatPercent(e.BudgetRemaining))
}

func writeSLO(w *strings.Builder, e slo.Evaluation) {
	fmt.Fprintf(w, "%s  %s  objective %s over %s\n", sanitize.Line(e.SLO.Name), strings.ToUpper(string(e.Status)),
		slo.FormatPercent(e.SLO.Objective), slo.FormatPromDuration(e.SLO.Window))
	if e.SLO.Source != "" {
		src := string(e.SLO.Source)
		if e.SLO.SourceDetail != "" {
			src += " (" + e.SLO.SourceDetail + ")"
		}
		fmt.Fprintf(w, "  source %s\n", sanitize.Line(src))
	}
	fmt.Fprintf(w, "  budget %s\n", budgetBar(e))
	if len(e.Excluded) > 0 {
		all := "unknown"
		if !math.IsNaN(e.BudgetWithoutExclusions) {
			all = slo.FormatPercent(e.BudgetWithoutExclusions) + " left"
		}
		fmt.Fprintf(w, "  budget counting the excluded periods: %s\n", all)
		for _, x := range e.Excluded {
			kind := x.Kind
			if kind == "" {
				kind = "excluded"
			}
			fmt.Fprintf(w, "    %s %s .. %s %s\n", kind, x.From.UTC().Format(time.RFC3339), x.To.UTC().Format(time.RFC3339), sanitize.Line(x.Reason))
		}
	}
	fmt.Fprintf(w, "  %-8s %-6s %-6s %8s %10s %10s  %s\n", "severity", "long", "short", "factor", "long_rate", "short_rate", "firing")
	rate := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "-"
		}
		return slo.FormatRate(v)
	}
	for _, c := range e.Conditions {
		firing := "no"
		if c.Firing {
			firing = "YES"
		}
		fmt.Fprintf(w, "  %-8s %-6s %-6s %8s %10s %10s  %s\n", c.Severity, slo.FormatPromDuration(c.Long), slo.FormatPromDuration(c.Short),
			slo.FormatRate(c.Factor), rate(c.LongRate), rate(c.ShortRate), firing)
	}
	fmt.Fprintf(w, "  %s\n", sanitize.Line(e.Sentence()))
}
