package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
)

// promQuerier is the part of prom.Client the slo and lag commands use
// (instant and range queries); tests replace it with a fake.
type promQuerier = lag.Querier

// openProm opens the selected context's Prometheus client. A variable so
// unit tests can swap in a fake.
var openProm = func(g *globals) (promQuerier, func(), error) {
	bs, err := openWith(g, "prometheus", func(bs *backends) bool { return bs.prom != nil })
	if err != nil {
		return nil, nil, err
	}
	return bs.prom, func() { bs.Close() }, nil
}

// configuredSLOs returns the selected context's SLOs (inline slos: and
// slo_files:), and false when it configures none. A variable so unit tests
// run without a config file.
var configuredSLOs = func(g *globals) ([]slo.SLO, bool, error) {
	f, _, c, err := selectContext(g)
	if err != nil {
		return nil, false, err
	}
	return c.SLOSpecs(f.Path)
}

// readSpecFile reads one SLO spec of any format (slo.ReadSpec detects it).
func readSpecFile(path string) ([]slo.SLO, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return slo.ReadSpec(path, data)
}

// pickSLOs is --file's specs, else the context's, else slo.Defaults.
func pickSLOs(g *globals, files []string) ([]slo.SLO, error) {
	var slos []slo.SLO
	for _, f := range files {
		s, err := readSpecFile(f)
		if err != nil {
			return nil, &exitError{code: 1, msg: err.Error()}
		}
		slos = append(slos, s...)
	}
	if len(files) > 0 {
		return slos, nil
	}
	slos, ok, err := configuredSLOs(g)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return nil, err
		}
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	if !ok {
		return slo.Defaults(), nil
	}
	return slos, nil
}

func newSLOCmd(g *globals) *cobra.Command {
	var out, atFlag string
	var files []string
	cmd := &cobra.Command{
		Use:   "slo [NAME]",
		Short: "Evaluate SLOs: burn rates, error budget left and when it runs out",
		Example: `  reltui slo
  reltui slo payments-availability --output json
  reltui slo --file slos/sloth.yaml --file slos/openslo.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			slos, err := pickSLOs(g, files)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				var names []string
				var picked []slo.SLO
				for _, s := range slos {
					names = append(names, s.Name)
					if s.Name == args[0] {
						picked = append(picked, s)
					}
				}
				if len(picked) == 0 {
					sort.Strings(names)
					return &exitError{code: 1, msg: fmt.Sprintf("no SLO named %q; known SLOs: %s", args[0], strings.Join(names, ", "))}
				}
				slos = picked
			}
			p, closeFn, err := openProm(g)
			if err != nil {
				return err
			}
			defer closeFn()
			ctx, cancel := signalContext()
			defer cancel()
			now := time.Now()
			if atFlag != "" {
				t, err := time.Parse(time.RFC3339, atFlag)
				if err != nil {
					return usage("--at: %q is not an RFC 3339 time such as 2026-03-01T12:00:00Z", atFlag)
				}
				now = t
			}
			// One probe first: when Prometheus is down, the parallel
			// queries would trip its circuit breaker and hide the reason.
			if _, _, err := p.Query(ctx, "vector(1)", now); err != nil {
				return &exitError{code: 1, msg: sanitize.Line(err.Error())}
			}
			sem := make(chan struct{}, slo.DefaultParallelism)
			evals := make([]slo.Evaluation, len(slos))
			for i, s := range slos {
				e, warnings, err := slo.Measure(ctx, p, s, now, sem)
				printWarnings(g, warnings)
				if err != nil {
					return &exitError{code: 1, msg: sanitize.Line(fmt.Sprintf("slo %s: %v", s.Name, err))}
				}
				evals[i] = e
			}
			if out == "json" {
				reports := make([]slo.Report, len(evals))
				for i, e := range evals {
					r := e.Report()
					r.Name = sanitize.Line(r.Name)
					r.Summary = sanitize.Line(r.Summary)
					reports[i] = r
				}
				return writeJSON(g.stdout, reports)
			}
			for i, e := range evals {
				if i > 0 {
					fmt.Fprintln(g.stdout)
				}
				writeSLOText(g.stdout, e)
			}
			return nil
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().StringVar(&atFlag, "at", "", "judge the SLOs at this moment (RFC 3339) instead of now")
	cmd.Flags().StringArrayVar(&files, "file", nil, "SLO spec (Sloth prometheus/v1, OpenSLO v1 or an inline list; repeatable; default: the context's slos and slo_files, else the built-in defaults)")
	return cmd
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

func writeSLOText(w io.Writer, e slo.Evaluation) {
	fmt.Fprintf(w, "%s  %s  objective %s over %s\n", sanitize.Line(e.SLO.Name), strings.ToUpper(string(e.Status)),
		slo.FormatPercent(e.SLO.Objective), slo.FormatPromDuration(e.SLO.Window))
	fmt.Fprintf(w, "  budget %s\n", budgetBar(e))
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
