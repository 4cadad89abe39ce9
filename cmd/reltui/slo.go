package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storeopen"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/headless"
)

// promQuerier is the part of prom.Client the slo and lag commands use
// (instant and range queries); tests replace it with a fake.
type promQuerier = lag.Querier

// openProm opens the selected context's Prometheus client (deps.prom).
func openProm(g *globals) (promQuerier, func(), error) {
	bs, err := openWith(g, "prometheus", func(bs *backends) bool { return bs.prom != nil })
	if err != nil {
		return nil, nil, err
	}
	return bs.prom, func() { bs.Close() }, nil
}

// sloSetup is what the selected context says about SLOs.
type sloSetup struct {
	slos       []slo.SLO
	exclusions []slo.Exclusion
	// discover is false when slo_discovery: false or no prometheus:.
	discover bool
	searched slo.Searched
}

// configuredSLOs returns the selected context's SLOs (inline slos: and
// slo_files:), its exclusions and whether to discover SLOs from its
// Prometheus rules (deps.slos).
func configuredSLOs(g *globals) (sloSetup, error) {
	f, name, c, err := selectContext(g)
	if err != nil {
		return sloSetup{}, err
	}
	slos, _, err := c.SLOSpecs(f.Path)
	st := sloSetup{slos: slos, exclusions: c.Exclusions(), discover: c.DiscoverSLOs(),
		searched: slo.Searched{ConfigFile: f.Path, Context: name, Files: c.SLOFiles}}
	if c.Prometheus != nil {
		st.searched.Rules = c.Prometheus.URL
		st.searched.DiscoveryOff = !st.discover
	}
	return st, err
}

// configuredIncidents is the incident store `reltui slo` reads drills
// and maintenance from: only a store the config names (incidents:), so
// that asking about SLOs never creates the default SQLite file
// (deps.sloIncidents).
func configuredIncidents(ctx context.Context, g *globals) (slo.PlannedWorkLister, func(), error) {
	f, err := incidentConfig(g)
	if err != nil {
		return nil, func() {}, err
	}
	s, warnings, err := storeopen.Configured(ctx, f, config.OSEnv())
	if s, err = storeOpened(g, s, warnings, err); err != nil || s == nil {
		return nil, func() {}, err
	}
	return incidents.PlannedWorkOf(s), func() { s.Close() }, nil
}

// readSpecFile reads one SLO spec of any format (slo.ReadSpec detects it).
func readSpecFile(path string) ([]slo.SLO, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return slo.ReadSpec(path, data)
}

// pickSLOs is --file's specs, else the context's configuration.
func pickSLOs(g *globals, configured func(*globals) (sloSetup, error), files []string) (sloSetup, error) {
	if len(files) > 0 {
		st := sloSetup{searched: slo.Searched{Files: files}}
		for _, f := range files {
			s, err := readSpecFile(f)
			if err != nil {
				return st, &exitError{code: 1, msg: err.Error()}
			}
			for i := range s {
				s[i].Source, s[i].SourceDetail = slo.SourceFile, f
			}
			st.slos = append(st.slos, s...)
		}
		return st, nil
	}
	st, err := configured(g)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return st, err
		}
		return st, &exitError{code: 1, msg: err.Error()}
	}
	return st, nil
}

func newSLOCmd(g *globals, d deps) *cobra.Command {
	var out, atFlag string
	var files []string
	cmd := &cobra.Command{
		Use:   "slo [NAME]",
		Short: "Evaluate SLOs: burn rates, error budget left and when it runs out",
		Example: `  reltui slo
  reltui slo api-availability --output json
  reltui slo --file slos/sloth.yaml --file slos/openslo.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			st, err := pickSLOs(g, d.slos, files)
			if err != nil {
				return err
			}
			p, closeFn, err := d.prom(g)
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
			var rl slo.RuleLister
			if r, ok := p.(slo.RuleLister); ok && st.discover {
				rl = r
			}
			slolist, searched := slo.Gather(ctx, st.slos, rl, st.exclusions, st.searched)
			if l, closeInc, err := d.sloIncidents(ctx, g); err != nil {
				printWarnings(g, []string{"drills and maintenance could not be read from the incident store: " + err.Error()})
			} else if l != nil {
				ex, err := slo.ReadPlannedWork(ctx, l, now)
				closeInc()
				if err != nil {
					printWarnings(g, []string{"drills and maintenance could not be read from the incident store: " + err.Error()})
				}
				slolist = slo.ApplyExclusions(slolist, ex)
			}
			for _, n := range searched.Notes {
				printWarnings(g, []string{n})
			}
			if len(slolist) == 0 {
				if out == "json" {
					fmt.Fprintln(g.stderr, sanitize.Text(strings.Join(searched.NoneFound(), "\n")))
					return writeJSON(g.stdout, []slo.Report{})
				}
				fmt.Fprintln(g.stdout, sanitize.Text(strings.Join(searched.NoneFound(), "\n")))
				return nil
			}
			if len(args) == 1 {
				if slolist, err = slo.Named(slolist, args[0]); err != nil {
					return &exitError{code: 1, msg: sanitize.Line(err.Error())}
				}
			}
			sem := make(chan struct{}, slo.DefaultParallelism)
			evals := make([]slo.Evaluation, len(slolist))
			for i, s := range slolist {
				e, warnings, err := slo.Measure(ctx, p, s, now, sem)
				printWarnings(g, warnings)
				if err != nil {
					return &exitError{code: 1, msg: sanitize.Line(fmt.Sprintf("slo %s: %v", s.Name, err))}
				}
				evals[i] = e
			}
			if out == "json" {
				return writeJSON(g.stdout, headless.SLOReports(evals))
			}
			return headless.WriteSLOText(g.stdout, evals)
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().StringVar(&atFlag, "at", "", "judge the SLOs at this moment (RFC 3339) instead of now")
	cmd.Flags().StringArrayVar(&files, "file", nil, "SLO spec (Sloth, Pyrra, OpenSLO or an inline list; repeatable; default: the context's slos and slo_files plus the Sloth and Pyrra SLOs found in its Prometheus rules)")
	return cmd
}
