package headless

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// secs reads a duration in seconds, "-" when unknown.
func secs(p *float64) string {
	if p == nil {
		return "-"
	}
	return incidents.FormatDuration(time.Duration(*p * float64(time.Second)))
}

// pct reads a share as a percentage, "-" when unknown.
func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

// WriteReliability prints `incident stats`: the MTTx table, recurrence by
// root cause and service, change failure rate and rollbacks, each against
// the previous period in brackets.
func WriteReliability(w io.Writer, r incidents.Reliability) error {
	nouns := make([]string, 0, len(r.Kinds))
	for _, k := range r.Kinds {
		nouns = append(nouns, string(k)+"s")
	}
	fmt.Fprintf(w, "%d %s started between %s and %s", r.Count, strings.Join(nouns, " and "), incidents.FormatTime(r.From), incidents.FormatTime(r.To))
	var ex []string
	for _, k := range sortedKeys(r.Excluded) {
		ex = append(ex, fmt.Sprintf("%d %s", r.Excluded[incidents.Kind(k)], k))
	}
	if len(ex) > 0 {
		fmt.Fprintf(w, " (left out: %s)", strings.Join(ex, ", "))
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tN\tMEAN\tMEDIAN\tP90")
	for _, m := range []struct {
		name string
		s    incidents.SummaryView
	}{{"MTTD", r.MTTD}, {"MTTA", r.MTTA}, {"MTTI", r.MTTI}, {"MTTM", r.MTTM}, {"MTTR", r.MTTR}} {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", m.name, m.s.Count, secs(m.s.Mean), secs(m.s.Median), secs(m.s.P90))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	cur, prev := r.Current, r.Previous
	fmt.Fprintf(w, "\nrecurrence (within %s; previous period in brackets)\n", incidents.FormatDuration(time.Duration(cur.Recurrence.WithinSeconds*float64(time.Second))))
	fmt.Fprintf(w, "  recurred %d of %d (%s) [%d of %d (%s)]\n", cur.Recurrence.Recurred, cur.Recurrence.Count, pct(cur.Recurrence.Share),
		prev.Recurrence.Recurred, prev.Recurrence.Count, pct(prev.Recurrence.Share))
	for _, g := range []struct {
		name      string
		cur, prev map[string]int
	}{{"CATEGORY", cur.Recurrence.ByCategory, prev.Recurrence.ByCategory}, {"SERVICE", cur.Recurrence.ByService, prev.Recurrence.ByService}} {
		keys := sortedKeys(merge(g.cur, g.prev))
		if len(keys) == 0 {
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  %s\tNOW\tBEFORE\tTREND\n", g.name)
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%+d\n", sanitize.Line(k), g.cur[k], g.prev[k], g.cur[k]-g.prev[k])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nchange failure rate: %s (%d of %d deploys) [%s (%d of %d)]\n", pct(cur.Change.Rate), cur.Change.Failed, cur.Change.Deploys,
		pct(prev.Change.Rate), prev.Change.Failed, prev.Change.Deploys)
	fmt.Fprintf(w, "rollbacks: %d of %d deploys (%s) [%d of %d (%s)]\n", cur.Change.Rollbacks, cur.Change.Deploys, pct(cur.Change.RollbackRate),
		prev.Change.Rollbacks, prev.Change.Deploys, pct(prev.Change.RollbackRate))
	keys := sortedKeys(cur.Change.ByService)
	if len(keys) == 0 {
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  SERVICE\tDEPLOYS\tFAILED\tRATE\tBEFORE\tROLLBACKS\tBEFORE")
	for _, k := range keys {
		c, p := cur.Change.ByService[k], prev.Change.ByService[k]
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\t%d\t%d\n", sanitize.Line(k), c.Deploys, c.Failed, pct(c.Rate), pct(p.Rate), c.Rollbacks, p.Rollbacks)
	}
	return tw.Flush()
}

// merge is the keys of a and b.
func merge(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for k := range a {
		out[k] = 1
	}
	for k := range b {
		out[k] = 1
	}
	return out
}

// sortedKeys is m's keys in order.
func sortedKeys[K ~string, V any](m map[K]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	slices.Sort(out)
	return out
}
