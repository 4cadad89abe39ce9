package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/headless"
)

// window holds the shared --since / --from / --to flags.
type window struct {
	since, from, to string
}

func (w *window) add(cmd *cobra.Command, defSince string) {
	cmd.Flags().StringVar(&w.since, "since", defSince, "how far back from now, e.g. 15m, 6h, 7d")
	cmd.Flags().StringVar(&w.from, "from", "", "start time (RFC 3339, unix seconds, or now-1h); overrides --since")
	cmd.Flags().StringVar(&w.to, "to", "", "end time (default now)")
}

// bounds resolves the window against now; errors are usage errors.
func (w *window) bounds(now time.Time) (time.Time, time.Time, error) {
	to := now
	if w.to != "" {
		t, err := timespec.ParseTime(w.to, now)
		if err != nil {
			return time.Time{}, time.Time{}, usage("--to: %v", err)
		}
		to = t
	}
	var from time.Time
	if w.from != "" {
		t, err := timespec.ParseTime(w.from, now)
		if err != nil {
			return time.Time{}, time.Time{}, usage("--from: %v", err)
		}
		from = t
	} else {
		d, err := timespec.ParseDuration(w.since)
		if err != nil || d == 0 {
			return time.Time{}, time.Time{}, usage("--since: invalid duration %q (examples: 15m, 6h, 7d)", w.since)
		}
		from = to.Add(-d)
	}
	if !from.Before(to) {
		return time.Time{}, time.Time{}, usage("the window is empty: --from %s is not before --to %s", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	return from, to, nil
}

func usage(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// selectContext loads config and picks the --context context (or the
// current one); failures are exit 1 with the reason on one line.
func selectContext(g *globals) (*config.File, string, *config.Context, error) {
	f, err := loadConfig(g)
	if err != nil {
		return nil, "", nil, &exitError{code: 1, msg: "invalid configuration: " + err.Error()}
	}
	name, c, err := f.Select(g.context)
	if err != nil {
		return nil, "", nil, &exitError{code: 1, msg: err.Error()}
	}
	return f, name, c, nil
}

// openContext loads config and builds the selected context's clients.
func openContext(g *globals) (*backends, error) {
	_, name, c, err := selectContext(g)
	if err != nil {
		return nil, err
	}
	return contextBackends(name, c)
}

// contextBackends builds the clients of context name; a failure is exit 1
// naming the context.
func contextBackends(name string, c *config.Context) (*backends, error) {
	bs, err := buildBackends(c, config.OSEnv())
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("context %s: %v", name, err)}
	}
	bs.name = name
	return bs, nil
}

// openWith opens the context and checks it configures the backend the
// command needs (has; nil needs none), closing the clients again when it
// does not.
func openWith(g *globals, backend string, has func(*backends) bool) (*backends, error) {
	bs, err := openContext(g)
	if err != nil {
		return nil, err
	}
	if has != nil && !has(bs) {
		bs.Close()
		return nil, bs.missing(backend)
	}
	return bs, nil
}

func (bs *backends) missing(backend string) error {
	return &exitError{code: 1, msg: fmt.Sprintf("context %s has no %s configured", bs.name, backend)}
}

// withBackends opens the context, checks it configures backend (has; nil
// asks for nothing), and runs fn under a context Ctrl-C cancels.
func withBackends(g *globals, backend string, has func(*backends) bool, fn func(ctx context.Context, bs *backends) error) error {
	bs, err := openWith(g, backend, has)
	if err != nil {
		return err
	}
	defer bs.Close()
	ctx, cancel := signalContext()
	defer cancel()
	return fn(ctx, bs)
}

// signalContext is cancelled by Ctrl-C so a long query stops cleanly.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func outputFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "output", "o", "text", "output format: text, json or jsonl")
}

// parseFormat reads --output as bound by outputFlag; a bad one is a usage
// error.
func parseFormat(out string) (headless.Format, error) {
	f, err := headless.ParseFormat(out)
	if err != nil {
		return f, usage("%v", err)
	}
	return f, nil
}

// textOrJSONFlag binds --output for commands that print text or JSON.
func textOrJSONFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "output", "o", "text", "output format: text or json")
}

// checkTextOrJSON validates --output as bound by textOrJSONFlag.
func checkTextOrJSON(out string) error {
	if out != "text" && out != "json" {
		return usage("--output must be text or json, not %q", out)
	}
	return nil
}

func newLogsCmd(g *globals) *cobra.Command {
	var w window
	var out, direction, step string
	var limit int
	var instant bool
	cmd := &cobra.Command{
		Use:   "logs QUERY",
		Short: "Run a log query, or a metric query over logs (LogQL on Loki, LogsQL on VictoriaLogs)",
		Example: `  reltui logs '{service="api"} |= "timeout"' --since 1h        # Loki, LogQL
  reltui logs '{service="api"} "timeout"' --since 1h           # VictoriaLogs, LogsQL
  reltui logs '{service="api", level="error"}' --limit 50000 --output jsonl
  reltui logs 'sum by (level) (count_over_time({service="api"}[5m]))' --since 6h   # LogQL metric query
  reltui logs '{service="api"} | stats by (level) count() hits' --since 15m -o json  # LogsQL stats
  reltui logs 'sum by (level) (count_over_time({service="api"}[5m]))' --instant    # at --to (now), as logcli instant-query`,
		Args: exactArgs(1, "a log query in the backend's language, e.g. '{service=\"payments\"}'"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(out)
			if err != nil {
				return err
			}
			from, to, err := w.bounds(time.Now())
			if err != nil {
				return err
			}
			dir := sources.Backward
			switch direction {
			case "backward":
			case "forward":
				dir = sources.Forward
			default:
				return usage("--direction must be backward or forward, not %q", direction)
			}
			if limit <= 0 {
				return usage("--limit must be positive")
			}
			var st time.Duration
			if step != "" {
				if st, err = timespec.ParseDuration(step); err != nil || st <= 0 {
					return usage("--step: invalid duration %q", step)
				}
			}
			return withBackends(g, "log backend (loki or victorialogs)", func(bs *backends) bool { return bs.logs != nil }, func(ctx context.Context, bs *backends) error {
				if instant {
					li, ok := bs.logs.(sources.LogMetricsInstant)
					if _, metric := sources.AsMetricQuery(bs.logs, args[0]); !ok || !metric {
						return usage("--instant evaluates a metric query (a LogQL metric query, a LogsQL query with a | stats pipe)")
					}
					series, warnings, err := li.MetricInstant(ctx, args[0], to)
					printWarnings(g, warnings)
					if err != nil {
						return err
					}
					return headless.WriteSeries(g.stdout, f, series)
				}
				if lm, ok := sources.AsMetricQuery(bs.logs, args[0]); ok {
					series, warnings, err := lm.MetricRange(ctx, args[0], from, to, st)
					printWarnings(g, warnings)
					if err != nil {
						return err
					}
					return headless.WriteSeries(g.stdout, f, series)
				}
				if step != "" {
					return usage("--step applies to metric queries only (LogQL metric queries, LogsQL queries with a | stats pipe)")
				}
				lw := headless.NewLogWriter(g.stdout, f)
				warnings, err := bs.logs.QueryRangeFunc(ctx, sources.LogQuery{Expr: args[0], From: from, To: to, Limit: limit, Direction: dir}, lw.Write)
				if cerr := lw.Close(); err == nil {
					err = cerr
				}
				printWarnings(g, warnings)
				return err
			})
		},
	}
	w.add(cmd, "1h")
	outputFlag(cmd, &out)
	cmd.Flags().IntVar(&limit, "limit", 1000, "most lines to return (pages past the backend's per-query limit)")
	cmd.Flags().StringVar(&direction, "direction", "backward", "backward (newest first) or forward")
	cmd.Flags().StringVar(&step, "step", "", "metric queries: resolution, e.g. 30s (default: range/250, at least 1s)")
	cmd.Flags().BoolVar(&instant, "instant", false, "metric queries: evaluate at --to only (logcli instant-query)")
	return cmd
}

func newMetricsCmd(g *globals) *cobra.Command {
	var w window
	var out, step string
	var instant bool
	cmd := &cobra.Command{
		Use:     "metrics QUERY",
		Short:   "Run a PromQL query over a range (or at one instant with --instant)",
		Example: `  reltui metrics 'sum by (service) (rate(http_requests_total[5m]))' --since 6h --output json`,
		Args:    exactArgs(1, "a PromQL query"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(out)
			if err != nil {
				return err
			}
			from, to, err := w.bounds(time.Now())
			if err != nil {
				return err
			}
			var st time.Duration
			if step != "" {
				if st, err = timespec.ParseDuration(step); err != nil || st == 0 {
					return usage("--step: invalid duration %q", step)
				}
			}
			return withBackends(g, "prometheus", func(bs *backends) bool { return bs.prom != nil }, func(ctx context.Context, bs *backends) error {
				var series []sources.Series
				var warnings []string
				var err error
				if instant {
					series, warnings, err = bs.prom.Query(ctx, args[0], to)
				} else {
					series, warnings, err = bs.prom.QueryRange(ctx, args[0], from, to, st)
				}
				if err != nil {
					return err
				}
				printWarnings(g, warnings)
				return headless.WriteSeries(g.stdout, f, series)
			})
		},
	}
	w.add(cmd, "1h")
	outputFlag(cmd, &out)
	cmd.Flags().StringVar(&step, "step", "", "resolution, e.g. 30s (default: automatic, ~250 points)")
	cmd.Flags().BoolVar(&instant, "instant", false, "evaluate at --to only")
	return cmd
}

func newTracesCmd(g *globals) *cobra.Command {
	var w window
	var out, service, operation, minDur, maxDur string
	var tags []string
	var limit int
	cmd := &cobra.Command{
		Use:     "traces",
		Short:   "Search traces in Jaeger",
		Example: `  reltui traces --service api --min-duration 500ms --tag http.status_code=500 --limit 20`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseFormat(out)
			if err != nil {
				return err
			}
			if service == "" {
				return usage("--service is required (Jaeger cannot search without it)")
			}
			from, to, err := w.bounds(time.Now())
			if err != nil {
				return err
			}
			q := jaeger.FindQuery{Service: service, Operation: operation, Start: from, End: to, Limit: limit, Tags: map[string]string{}}
			for _, t := range tags {
				k, v, ok := strings.Cut(t, "=")
				if !ok || k == "" {
					return usage("--tag %q is not key=value", t)
				}
				q.Tags[k] = v
			}
			if minDur != "" {
				if q.MinDuration, err = timespec.ParseDuration(minDur); err != nil {
					return usage("--min-duration: %v", err)
				}
			}
			if maxDur != "" {
				if q.MaxDuration, err = timespec.ParseDuration(maxDur); err != nil {
					return usage("--max-duration: %v", err)
				}
			}
			if limit <= 0 {
				return usage("--limit must be positive")
			}
			return withBackends(g, "jaeger", hasJaeger, func(ctx context.Context, bs *backends) error {
				traces, err := bs.jaeger.FindTraces(ctx, q)
				if err != nil {
					return err
				}
				sums := make([]sources.TraceSummary, len(traces))
				for i, t := range traces {
					sums[i] = jaeger.Summarize(t)
				}
				sort.SliceStable(sums, func(i, j int) bool { return sums[i].Start.After(sums[j].Start) })
				return headless.WriteTraceSummaries(g.stdout, f, sums)
			})
		},
	}
	w.add(cmd, "1h")
	outputFlag(cmd, &out)
	cmd.Flags().StringVar(&service, "service", "", "service name (required)")
	cmd.Flags().StringVar(&operation, "operation", "", "operation name")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "span tag key=value (repeatable; all must match)")
	cmd.Flags().StringVar(&minDur, "min-duration", "", "only traces at least this long, e.g. 500ms")
	cmd.Flags().StringVar(&maxDur, "max-duration", "", "only traces at most this long")
	cmd.Flags().IntVar(&limit, "limit", 20, "most traces to return")
	return cmd
}

func hasJaeger(bs *backends) bool { return bs.jaeger != nil }

func newTraceCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "trace TRACE_ID",
		Short: "Fetch one trace by id",
		Args:  exactArgs(1, "a trace id (up to 32 hex characters)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(out)
			if err != nil {
				return err
			}
			return withBackends(g, "jaeger", hasJaeger, func(ctx context.Context, bs *backends) error {
				t, err := bs.jaeger.GetTrace(ctx, args[0])
				if err != nil {
					return err
				}
				printWarnings(g, t.Warnings)
				return headless.WriteTrace(g.stdout, f, t)
			})
		},
	}
	outputFlag(cmd, &out)
	cmd.AddCommand(newTraceDiffCmd(g))
	return cmd
}

func newAlertsCmd(g *globals) *cobra.Command {
	var out, source string
	var filters []string
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "List firing and pending alerts from Prometheus and Alertmanager",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseFormat(out)
			if err != nil {
				return err
			}
			if source != "all" && source != "prometheus" && source != "alertmanager" {
				return usage("--source must be all, prometheus or alertmanager, not %q", source)
			}
			return withBackends(g, "", nil, func(ctx context.Context, bs *backends) error {
				return listAlerts(ctx, g, bs, f, source, filters)
			})
		},
	}
	outputFlag(cmd, &out)
	cmd.Flags().StringVar(&source, "source", "all", "all, prometheus or alertmanager")
	cmd.Flags().StringArrayVar(&filters, "filter", nil, `Alertmanager matcher, e.g. alertname="HighErrorRate" (repeatable)`)
	cmd.AddCommand(newAlertsStatsCmd(g))
	return cmd
}

// listAlerts prints the alerts of the sources that source names.
func listAlerts(ctx context.Context, g *globals, bs *backends, f headless.Format, source string, filters []string) error {
	var all []sources.Alert
	var errs []error
	asked := 0
	if (source == "all" || source == "prometheus") && bs.prom != nil {
		asked++
		a, err := bs.prom.Alerts(ctx)
		errs = append(errs, err)
		all = append(all, a...)
	}
	if (source == "all" || source == "alertmanager") && bs.am != nil {
		asked++
		a, err := bs.am.Alerts(ctx, filters)
		errs = append(errs, err)
		all = append(all, a...)
	}
	if asked == 0 {
		if source == "all" {
			return bs.missing("prometheus or alertmanager")
		}
		return bs.missing(source)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	sources.SortNewestFirst(all)
	return headless.WriteAlerts(g.stdout, f, all)
}

func printWarnings(g *globals, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintln(g.stderr, "reltui: warning: "+sanitizeLine(w))
	}
}

// exactArgs is cobra.ExactArgs with a message that says what is missing.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usage("%s needs %s (got %d arguments); see reltui %s --help", cmd.Name(), what, len(args), cmd.Name())
		}
		return nil
	}
}
