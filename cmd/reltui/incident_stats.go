package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/headless"
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
			return storeReport(g, f, get, func(r incidents.Reliability) any { return r }, headless.WriteReliability)
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
