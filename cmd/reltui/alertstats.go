package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/timespec"
)

// newAlertsStatsCmd is `reltui alerts stats`: alert noise per rule.
func newAlertsStatsCmd(g *globals) *cobra.Command {
	var out, since, at, flap string
	var noIncidents bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Alert noise per rule: times fired, time firing, flaps, median self-resolve, actionable rate",
		Long: `Reads Prometheus's ALERTS{alertstate="firing"} samples over the period, the rules
API and the incident store, and lists every alerting rule noisiest and least
actionable first. A firing is actionable when an incident about that alert
(declared from it, or with it attached as evidence) was open while it fired.`,
		Example: `  reltui alerts stats --since 24h
  reltui alerts stats --since 7d --flap-window 15m --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			period, err := timespec.ParseDuration(since)
			if err != nil || period <= 0 {
				return usage("--since: invalid duration %q (examples: 24h, 7d)", since)
			}
			window, err := timespec.ParseDuration(flap)
			if err != nil || window <= 0 {
				return usage("--flap-window: invalid duration %q (examples: 10m, 1h)", flap)
			}
			to := time.Now().UTC().Truncate(time.Second)
			if at != "" {
				if to, err = parseWhen("--at", at, to); err != nil {
					return err
				}
			}
			opt := alertnoise.Options{From: to.Add(-period), To: to, FlapWindow: window}
			return withBackends(g, "prometheus", func(bs *backends) bool { return bs.prom != nil }, func(ctx context.Context, bs *backends) error {
				var lister alertnoise.IncidentLister
				if !noIncidents {
					s, err := openStore(ctx, g)
					if err != nil {
						printWarnings(g, []string{"incident store: " + err.Error()})
					} else {
						defer s.Close()
						lister = s
					}
				}
				r, warnings, err := alertnoise.Gather(ctx, bs.prom, lister, opt)
				printWarnings(g, warnings)
				if err != nil {
					return err
				}
				if out == "json" {
					return writeJSON(g.stdout, r)
				}
				return alertnoise.WriteText(g.stdout, r)
			})
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().StringVar(&since, "since", "24h", "period ending at --at, e.g. 6h, 7d")
	cmd.Flags().StringVar(&at, "at", "", "end of the period (RFC 3339 or a time reltui understands; default now)")
	cmd.Flags().StringVar(&flap, "flap-window", "10m", "a firing that starts this soon after the same alert resolved is a flap")
	cmd.Flags().BoolVar(&noIncidents, "no-incidents", false, "do not read the incident store (every actionable rate is then unknown)")
	return cmd
}
