package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/demo/backfill"
	"github.com/reltui/reltui/demo/shop"
)

func newBackfillCmd() *cobra.Command {
	var (
		out, end   string
		days       int
		gap, step  time.Duration
		rate       float64
		env        string
		seed       uint64
		histograms []string
	)
	cmd := &cobra.Command{
		Use:   "backfill --out FILE",
		Short: "Write 30 days of SLI history as OpenMetrics for promtool",
		Long: `Write SLI history for the simulated shop as an OpenMetrics file, for
  promtool tsdb create-blocks-from openmetrics FILE DIR

The history ends --gap before --end, so the blocks do not overlap the live
head block that "reltui-demo run" fills through remote write.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("--out is required")
			}
			ref, err := parseEnd(end, time.Now())
			if err != nil {
				return err
			}
			if days < 1 {
				return errors.New("--days must be at least 1")
			}
			cfg := backfill.Config{
				End:               ref.Add(-gap).Truncate(step),
				Span:              time.Duration(days) * 24 * time.Hour,
				Step:              step,
				Rate:              rate,
				Env:               env,
				Seed:              seed,
				HistogramServices: histograms,
			}
			var w io.Writer = os.Stdout
			var f *os.File
			if out != "-" {
				if f, err = os.Create(out); err != nil {
					return err
				}
				w = f
			}
			start := time.Now()
			res, err := backfill.Write(w, cfg)
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				return err
			}
			log := cmd.ErrOrStderr()
			fmt.Fprintf(log, "wrote %s: %d series, %d samples, %.1f MB, %s..%s (UTC) in %s\n",
				out, res.Series, res.Samples, float64(res.Bytes)/1e6,
				cfg.End.Add(-cfg.Span).UTC().Format(time.RFC3339), cfg.End.UTC().Format(time.RFC3339),
				time.Since(start).Round(time.Millisecond))
			for _, in := range res.Incidents {
				fmt.Fprintf(log, "incident %s..%s  %s\n", in.Start.UTC().Format("2006-01-02 15:04"), in.End.UTC().Format("15:04"), in.Summary)
			}
			for _, ep := range shop.Endpoints() {
				fmt.Fprintf(log, "%-9s error ratio %.3f%%\n", ep.Service, 100*res.ErrorRatio[ep.Service])
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", `output file ("-" for stdout)`)
	f.IntVar(&days, "days", 30, "days of history")
	f.StringVar(&end, "end", "now", `reference time: "now", RFC 3339 or Unix seconds`)
	f.DurationVar(&gap, "gap", 3*time.Hour, "how long before --end the history stops")
	f.DurationVar(&step, "step", time.Minute, "sample spacing")
	f.Float64Var(&rate, "rate", 5, "mean frontend requests per second (match run --rate)")
	f.StringVar(&env, "env", "demo", "env label (match run --env)")
	f.Uint64Var(&seed, "seed", 1, "seed for traffic and historic incidents")
	f.StringSliceVar(&histograms, "histograms", []string{shop.Frontend, shop.Payments}, "services that get latency histograms")
	return cmd
}

func parseEnd(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "now" {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(sec, 0), nil
	}
	return time.Time{}, fmt.Errorf("--end %q: want now, RFC 3339 or Unix seconds", s)
}
