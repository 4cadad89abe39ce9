package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// promQuerier is the part of prom.Client the slo and lag commands use; tests
// replace it with a fake.
type promQuerier interface {
	Query(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error)
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
}

// openProm opens the selected context's Prometheus client. A variable so
// unit tests can swap in a fake.
var openProm = func(g *globals) (promQuerier, func(), error) {
	bs, err := openContext(g)
	if err != nil {
		return nil, nil, err
	}
	if bs.prom == nil {
		bs.Close()
		return nil, nil, bs.missing("prometheus")
	}
	return bs.prom, func() { bs.Close() }, nil
}

// sloQueryParallelism bounds the instant queries in flight at once.
const sloQueryParallelism = 4

// defaultSLOs are the demo's SLOs, built from the metric names the demo
// workload exports. They are used when no --file is given.
func defaultSLOs() []slo.SLO {
	avail := func(svc string) slo.SLO {
		return slo.SLO{
			Name: svc + "-availability", Service: svc, Objective: 0.999, Window: slo.DefaultWindow,
			SLI: slo.SLI{Kind: slo.KindEventRatio, Events: &slo.EventRatioSLI{
				Bad:   fmt.Sprintf(`sum(rate(http_requests_total{service=%q,code=~"5.."}[{{.window}}]))`, svc),
				Total: fmt.Sprintf(`sum(rate(http_requests_total{service=%q}[{{.window}}]))`, svc),
			}},
		}
	}
	return []slo.SLO{
		avail("payments"),
		avail("checkout"),
		avail("frontend"),
		{
			Name: "payments-latency", Service: "payments", Objective: 0.99, Window: slo.DefaultWindow,
			SLI: slo.SLI{Kind: slo.KindLatency, Latency: &slo.LatencySLI{
				Metric: "http_request_duration_seconds", Matchers: `service="payments"`, LE: "1",
			}},
		},
	}
}

// readSpecFile reads one SLO spec, detecting its format by content: an
// OpenSLO document (apiVersion openslo/...), a Sloth prometheus/v1 spec
// (version), or reltui's inline list (a top-level list, or a list under
// slos:).
func readSpecFile(path string) ([]slo.SLO, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if derr := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); derr != nil && !errors.Is(derr, io.EOF) {
		return slo.ReadSloth(path, data) // reports the syntax error with the file's position
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	switch root.Kind {
	case yaml.SequenceNode:
		return slo.DecodeInline(path, root, "")
	case yaml.MappingNode:
		keys := map[string]string{}
		for i := 0; i+1 < len(root.Content); i += 2 {
			keys[root.Content[i].Value] = root.Content[i+1].Value
		}
		if strings.HasPrefix(keys["apiVersion"], "openslo/") {
			return slo.ReadOpenSLO(path, data)
		}
		if _, ok := keys["slos"]; ok {
			if _, v := keys["version"]; !v {
				return slo.ReadInline(path, data, "slos")
			}
		}
	}
	return slo.ReadSloth(path, data)
}

// evaluateSLO runs every query the SLO's alert table needs, at most
// sloQueryParallelism at a time, and evaluates it.
func evaluateSLO(ctx context.Context, p promQuerier, s slo.SLO, at time.Time, sem chan struct{}) (slo.Evaluation, []string, error) {
	windows := slo.RequiredWindows(s)
	in := slo.Inputs{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var errs []error
	var warnings []string
	query := func(expr string, set func(float64)) {
		defer wg.Done()
		sem <- struct{}{}
		defer func() { <-sem }()
		series, warn, err := p.Query(ctx, expr, at)
		mu.Lock()
		defer mu.Unlock()
		warnings = append(warnings, warn...)
		if err != nil {
			errs = append(errs, err)
			return
		}
		set(scalarValue(series))
	}
	for _, w := range windows {
		in[w] = slo.Observation{ErrorRatio: math.NaN(), Events: math.NaN()}
	}
	for _, w := range windows {
		ratioQ, err := slo.ErrorRatioQuery(s, w)
		if err != nil {
			return slo.Evaluation{}, nil, err
		}
		wg.Add(1)
		go query(ratioQ, func(v float64) { o := in[w]; o.ErrorRatio = v; in[w] = o })
		if evQ, ok := slo.EventsQuery(s, w); ok {
			wg.Add(1)
			go query(evQ, func(v float64) { o := in[w]; o.Events = v; in[w] = o })
		}
	}
	wg.Wait()
	if len(errs) > 0 {
		// One line: the rest are the same failure. Parallel queries to a
		// dead Prometheus trip its circuit breaker, so prefer the error that
		// says why over "circuit open".
		for _, err := range errs {
			if !strings.Contains(err.Error(), "circuit open") {
				return slo.Evaluation{}, warnings, err
			}
		}
		return slo.Evaluation{}, warnings, errs[0]
	}
	return slo.Evaluate(s, in), warnings, nil
}

// scalarValue is the single value of an instant query; NaN when the query
// returned nothing. Several series (a query without sum) count as their
// maximum, the worst case.
func scalarValue(series []sources.Series) float64 {
	v := math.NaN()
	for _, s := range series {
		if len(s.Samples) == 0 {
			continue
		}
		x := s.Samples[len(s.Samples)-1].Value
		if math.IsNaN(v) || x > v {
			v = x
		}
	}
	return v
}

func newSLOCmd(g *globals) *cobra.Command {
	var out string
	var files []string
	cmd := &cobra.Command{
		Use:   "slo [NAME]",
		Short: "Evaluate SLOs: burn rates, error budget left and when it runs out",
		Example: `  reltui slo
  reltui slo payments-availability --output json
  reltui slo --file slos/sloth.yaml --file slos/openslo.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "text" && out != "json" {
				return usage("--output must be text or json, not %q", out)
			}
			var slos []slo.SLO
			if len(files) == 0 {
				slos = defaultSLOs()
			}
			for _, f := range files {
				s, err := readSpecFile(f)
				if err != nil {
					return &exitError{code: 1, msg: err.Error()}
				}
				slos = append(slos, s...)
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
			// One probe first: when Prometheus is down, the parallel
			// queries would trip its circuit breaker and hide the reason.
			if _, _, err := p.Query(ctx, "vector(1)", now); err != nil {
				return &exitError{code: 1, msg: sanitize.Line(err.Error())}
			}
			sem := make(chan struct{}, sloQueryParallelism)
			evals := make([]slo.Evaluation, len(slos))
			for i, s := range slos {
				e, warnings, err := evaluateSLO(ctx, p, s, now, sem)
				printWarnings(g, dedupe(warnings))
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
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(reports)
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
	cmd.Flags().StringVarP(&out, "output", "o", "text", "output format: text or json")
	cmd.Flags().StringArrayVar(&files, "file", nil, "SLO spec (Sloth prometheus/v1, OpenSLO v1 or an inline list; repeatable; default: the demo's SLOs)")
	return cmd
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
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
