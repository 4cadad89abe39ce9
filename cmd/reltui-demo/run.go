package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/logpush"
)

func newRunCmd() *cobra.Command {
	var cfg demo.Config
	var logsAPI, lokiURL string
	cmd := &cobra.Command{
		Use:   "run --logs URL --prometheus URL --otlp URL",
		Short: "Emit traces, logs and metrics from the simulated shop until interrupted",
		Long: `Run the simulated shop (frontend → checkout → payments, inventory; an orders
consumer on Kafka topic "orders") and send its telemetry to real backends:
logs in Loki's push format to VictoriaLogs (or, with --logs-api loki, to a
Loki), metrics by Prometheus remote write, spans over OTLP/HTTP. Faults (latency, errors, stall) recur on a schedule unless
--schedule=false, and can be started with "reltui-demo fault".

A backend that is down is retried; the workload keeps running and warns at
most every 30 s per backend. SIGINT or SIGTERM flushes and exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if lokiURL != "" {
				if cfg.LogsURL != "" {
					return fmt.Errorf("give --logs or --loki, not both")
				}
				cfg.LogsURL, logsAPI = lokiURL, string(logpush.Loki)
			}
			b, err := logpush.ParseBackend(logsAPI)
			if err != nil {
				return fmt.Errorf("--logs-api: %w", err)
			}
			cfg.LogsBackend = b
			if cfg.LogsURL == "" && cfg.PrometheusURL == "" && cfg.OTLPURL == "" {
				return fmt.Errorf("give at least one of --logs, --prometheus, --otlp")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			cfg.Stderr = cmd.ErrOrStderr()
			if !cmd.Flags().Changed("seed") {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			w, err := demo.New(ctx, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cfg.Stderr, "reltui-demo: running at %.1f req/s, env=%s, seed=%d, schedule=%t", cfg.Rate, cfg.Env, cfg.Seed, cfg.Schedule)
			if cfg.ControlAddr != "" {
				fmt.Fprintf(cfg.Stderr, ", control on %s", cfg.ControlAddr)
			}
			fmt.Fprintln(cfg.Stderr)
			if err := w.Run(ctx); err != nil {
				return err
			}
			s := w.Status().Counters
			fmt.Fprintf(cfg.Stderr, "reltui-demo: stopped after %d requests, %d log lines, %d spans, %d metric pushes\n",
				s.Requests, s.LogLinesPushed, s.SpansExported, s.MetricPushes)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.LogsURL, "logs", "", "log backend base URL, e.g. http://127.0.0.1:9428 (VictoriaLogs)")
	f.StringVar(&logsAPI, "logs-api", string(logpush.VictoriaLogs), "what listens at --logs: victorialogs or loki")
	f.StringVar(&lokiURL, "loki", "", "a real Loki's base URL; the same as --logs URL --logs-api loki")
	f.StringVar(&cfg.PrometheusURL, "prometheus", "", "Prometheus base URL with the remote-write receiver on, e.g. http://127.0.0.1:9090")
	f.StringVar(&cfg.OTLPURL, "otlp", "", "OTLP/HTTP base URL, e.g. http://127.0.0.1:4318")
	f.StringVar(&cfg.ControlAddr, "control", "", "loopback host:port for the fault control server (off when empty)")
	f.Float64Var(&cfg.Rate, "rate", demo.DefaultRate, "frontend requests per second")
	f.StringVar(&cfg.Env, "env", "demo", "env label on every stream and series")
	f.Uint64Var(&cfg.Seed, "seed", 0, "seed for traffic and the fault schedule (default: random)")
	f.BoolVar(&cfg.Schedule, "schedule", true, "inject each fault on a recurring schedule")
	f.DurationVar(&cfg.FaultEvery, "fault-every", 20*time.Minute, "period of the fault schedule (each fault once per period)")
	f.DurationVar(&cfg.MetricsInterval, "metrics-interval", demo.DefaultMetricsInterval, "how often to remote-write metrics")
	f.DurationVar(&cfg.LogsInterval, "logs-interval", demo.DefaultLogsInterval, "how often to push logs")
	return cmd
}

// withTimeout is for the short client commands.
func withTimeout(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), 10*time.Second)
}
