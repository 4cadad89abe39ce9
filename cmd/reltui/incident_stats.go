package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
)

// statsPeriod turns --since/--from/--to into [from, to].
func statsPeriod(since, fromS, toS string, now time.Time) (time.Time, time.Time, error) {
	to := now.UTC()
	if toS != "" {
		t, err := timespec.ParseTime(toS, now)
		if err != nil {
			return time.Time{}, time.Time{}, usage("--to: %v", err)
		}
		to = t.UTC()
	}
	if fromS != "" {
		t, err := timespec.ParseTime(fromS, now)
		if err != nil {
			return time.Time{}, time.Time{}, usage("--from: %v", err)
		}
		if !t.Before(to) {
			return time.Time{}, time.Time{}, usage("--from must be before --to")
		}
		return t.UTC(), to, nil
	}
	d, err := timespec.ParseDuration(since)
	if err != nil || d <= 0 {
		return time.Time{}, time.Time{}, usage("--since: invalid duration %q (examples: 30d, 12w, 24h)", since)
	}
	return to.Add(-d), to, nil
}

func newIncidentStatsCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var since, fromS, toS, within, kindS string
	var include []string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "MTTD, MTTA, MTTI, MTTM, MTTR, recurrence by root cause and service, and change failure rate, against the previous period",
		Long: "Counts incidents whose impact started in the period. Drills and maintenance are left out (and counted apart) unless --include names them;\n" +
			"--kind drill reports the drills alone (their MTTD is the real alerting's, from the injected fault to the expected alert firing).\n" +
			"Recurred: started within --recur-within after an earlier incident with the same root-cause category and a shared service.\n" +
			"Change failure rate: deploys in the period linked to an incident ÷ deploys in the period; rollbacks: the deploys recorded\n" +
			"with --rollback, per service, beside it.",
		Args: cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			from, to, err := statsPeriod(since, fromS, toS, time.Now())
			if err != nil {
				return err
			}
			w, err := timespec.ParseDuration(within)
			if err != nil || w <= 0 {
				return usage("--recur-within: invalid duration %q", within)
			}
			kind, err := incidents.ParseKind(kindS)
			if err != nil {
				return usage("--kind: %v", err)
			}
			kinds := []incidents.Kind{kind}
			for _, k := range include {
				kk, err := incidents.ParseKind(k)
				if err != nil {
					return usage("--include: %v", err)
				}
				kinds = append(kinds, kk)
			}
			get := func(ctx context.Context, s incidents.Store) (incidents.Reliability, error) {
				// Every incident: recurrence looks before the period and
				// a deploy's incident may start after it.
				incs, err := s.List(ctx, incidents.Filter{})
				if err != nil {
					return incidents.Reliability{}, err
				}
				deps, err := s.Deploys(ctx, incidents.DeployFilter{})
				if err != nil {
					return incidents.Reliability{}, err
				}
				return incidents.NewReliability(incs, deps, kinds, from, to, w), nil
			}
			return storeReport(g, f, get, func(r incidents.Reliability) any { return r }, writeReliability)
		}),
	}
	o.addOutput(cmd)
	cmd.Flags().StringVar(&since, "since", "90d", "period ending now (or at --to), e.g. 30d, 12w")
	cmd.Flags().StringVar(&fromS, "from", "", "period start (instead of --since)")
	cmd.Flags().StringVar(&toS, "to", "", "period end (default now)")
	cmd.Flags().StringVar(&within, "recur-within", "30d", "an incident recurs when it starts this soon after a like one")
	cmd.Flags().StringVar(&kindS, "kind", string(incidents.KindIncident), "report this kind: incident, drill or maintenance")
	cmd.Flags().StringSliceVar(&include, "include", nil, "also count these kinds: drill, maintenance")
	return cmd
}

func secs(p *float64) string {
	if p == nil {
		return "-"
	}
	return incidents.FormatDuration(time.Duration(*p * float64(time.Second)))
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

func writeReliability(w io.Writer, r incidents.Reliability) error {
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
