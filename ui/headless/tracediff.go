package headless

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources/sanitize"
)

// WriteTraceDiffText prints `reltui trace diff`'s text: both traces, why
// the baseline was chosen, and the rows ranked by how much of the extra
// duration they explain (at most limit; 0: all), then, with
// listCandidates, every baseline candidate considered.
func WriteTraceDiffText(out io.Writer, d *correlate.TraceDiff, b correlate.Baseline, limit int, listCandidates bool) error {
	var w strings.Builder
	writeTraceDiff(&w, d, b, limit, listCandidates)
	_, err := io.WriteString(out, w.String())
	return err
}

func writeTraceDiff(w *strings.Builder, d *correlate.TraceDiff, b correlate.Baseline, limit int, listCandidates bool) {
	side := func(label string, s correlate.TraceSide) {
		errs := ""
		if s.Errors > 0 {
			errs = fmt.Sprintf(", %d errors", s.Errors)
		}
		fmt.Fprintf(w, "%-9s %s  %s %s  %s  (%d spans%s)\n", label, s.TraceID, sanitize.Line(s.Service), sanitize.Line(s.Operation),
			fmtDur(s.Duration), s.Spans, errs)
	}
	side("slow", d.Slow)
	side("baseline", d.Base)
	fmt.Fprintf(w, "extra     %s\n", fmtDelta(d.Slow.Duration-d.Base.Duration))
	fmt.Fprintf(w, "why this baseline: %s\n", sanitize.Line(b.Reason))
	if n := len(b.Considered); n > 0 {
		fmt.Fprintf(w, "candidates: %d considered: %s\n", n, sanitize.Line(correlate.TallyCandidates(b.Considered)))
	}
	for _, n := range b.Notes {
		fmt.Fprintf(w, "note: %s\n", sanitize.Line(n))
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
		name := sanitize.Line(r.Service + " " + r.Operation)
		if r.Ordinal > 0 {
			name += fmt.Sprintf("#%d", r.Ordinal+1)
		}
		under := "(root)"
		if r.Parent >= 0 {
			under = sanitize.Line(d.Path(r.Parent))
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
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.TraceID, c.Start.UTC().Format("15:04:05"), fmtDur(c.Duration), sanitize.Line(c.Reason))
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

// errMark says which trace the row's span failed in.
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

// presence says which traces have the row's span: "both", or "slow
// only" and "base only" (correlate's only_slow, only_base).
func presence(p correlate.Presence) string {
	if side, ok := strings.CutPrefix(string(p), "only_"); ok {
		return side + " only"
	}
	return string(p)
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
