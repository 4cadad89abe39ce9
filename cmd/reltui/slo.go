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

// plannedWork opens the configured incident store (open is
// deps.sloIncidents) only when slo.MeasureAll asks for its planned work,
// after the probe and the discovery, and closes it after that one read;
// no store configured is no planned work.
type plannedWork struct {
	g    *globals
	open func(context.Context, *globals) (slo.PlannedWorkLister, func(), error)
}

// PlannedWork implements slo.PlannedWorkLister.
func (w plannedWork) PlannedWork(ctx context.Context, from, to time.Time) ([]slo.PlannedWork, error) {
	l, closeFn, err := w.open(ctx, w.g)
	if err != nil || l == nil {
		return nil, err
	}
	defer closeFn()
	return l.PlannedWork(ctx, from, to)
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
			b := slo.Backends{Prom: p, Planned: plannedWork{g: g, open: d.sloIncidents}}
			if r, ok := p.(slo.RuleLister); ok && st.discover {
				b.Rules = r
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			ms, err := slo.MeasureAll(ctx, b, slo.MeasureOptions{At: now, Configured: st.slos,
				Exclusions: st.exclusions, Searched: st.searched, Name: name, Probe: true})
			if n := ms.PlannedNote(); n != "" {
				printWarnings(g, []string{n})
			}
			printWarnings(g, ms.Searched.Notes)
			if err != nil {
				return &exitError{code: 1, msg: sanitize.Line(err.Error())}
			}
			if len(ms.Results) == 0 {
				if out == "json" {
					fmt.Fprintln(g.stderr, sanitize.Text(strings.Join(ms.Searched.NoneFound(), "\n")))
					return writeJSON(g.stdout, []slo.Report{})
				}
				fmt.Fprintln(g.stdout, sanitize.Text(strings.Join(ms.Searched.NoneFound(), "\n")))
				return nil
			}
			evals := make([]slo.Evaluation, len(ms.Results))
			for i, r := range ms.Results {
				printWarnings(g, r.Warnings)
				if r.Err != nil {
					return &exitError{code: 1, msg: sanitize.Line(fmt.Sprintf("slo %s: %v", r.SLO.Name, r.Err))}
				}
				evals[i] = r.Eval
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
