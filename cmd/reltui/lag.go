package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/headless"
)

// lagSource is where lag comes from, with its kind ("prometheus",
// "kafka") and how to close it.
type lagSource struct {
	src   lag.Source
	kind  string
	close func()
}

// lagOpener opens the lag source of the selected context for --source
// (empty: the context's choice).
type lagOpener func(g *globals, source string) (lagSource, error)

// lagSourceFor opens where the selected context's lag comes from: the
// --source flag, else lag.source, else prometheus when configured, else
// kafka. openProm opens its Prometheus.
func lagSourceFor(g *globals, openProm func(*globals) (promQuerier, func(), error), source string) (lagSource, error) {
	_, name, c, err := selectContext(g)
	if err != nil {
		return lagSource{}, err
	}
	if source == "" {
		source = c.LagSource()
	}
	switch source {
	case "kafka":
		if c.Kafka == nil {
			return lagSource{}, &exitError{code: 1, msg: fmt.Sprintf("context %s has no kafka brokers configured", name)}
		}
		cfg, err := c.Kafka.ClientConfig(config.OSEnv())
		if err != nil {
			return lagSource{}, &exitError{code: 1, msg: fmt.Sprintf("context %s: %v", name, err)}
		}
		cl, err := kafka.New(cfg)
		if err != nil {
			return lagSource{}, &exitError{code: 1, msg: err.Error()}
		}
		return lagSource{&lag.KafkaSource{Reader: cl}, "kafka", cl.Close}, nil
	case "prometheus":
		p, closeFn, err := openProm(g)
		if err != nil {
			return lagSource{}, err
		}
		return lagSource{lag.PromSource{Querier: p, Queries: c.LagQueries()}, "prometheus", closeFn}, nil
	case "":
		return lagSource{}, &exitError{code: 1, msg: fmt.Sprintf("context %s has neither prometheus nor kafka configured", name)}
	}
	return lagSource{}, usage("--source must be prometheus or kafka, not %q", source)
}

// kafkaSnapshots and kafkaInterval: the brokers hold no offset history, so
// a one-shot `reltui lag --source kafka` takes a few snapshots itself
// before judging.
const (
	kafkaSnapshots = 3
	kafkaInterval  = 2 * time.Second
)

func newLagCmd(g *globals, d deps) *cobra.Command {
	var out, group, since, source string
	var byTopic bool
	cmd := &cobra.Command{
		Use:   "lag",
		Short: "Kafka consumer lag in messages and seconds, with Burrow's partition status",
		Example: `  reltui lag
  reltui lag --group orders-consumer --since 1h --output json
  reltui lag --by-topic
  reltui lag --source kafka`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			history, err := timespec.ParseDuration(since)
			if err != nil || history <= 0 {
				return usage("--since: invalid duration %q (examples: 15m, 6h)", since)
			}
			if source != "" && source != "prometheus" && source != "kafka" {
				return usage("--source must be prometheus or kafka, not %q", source)
			}
			ls, err := d.lagSource(g, source)
			if err != nil {
				return err
			}
			defer ls.close()
			ctx, cancel := signalContext()
			defer cancel()
			var parts []lag.Partition
			var warnings []string
			snaps := 1
			if ls.kind == "kafka" {
				snaps = kafkaSnapshots
			}
			for i := 0; i < snaps; i++ {
				if i > 0 {
					select {
					case <-time.After(kafkaInterval):
					case <-ctx.Done():
						return &exitError{code: 1, msg: "interrupted"}
					}
				}
				now := time.Now()
				parts, warnings, err = ls.src.Partitions(ctx, group, now.Add(-history), now)
				printWarnings(g, warnings)
				if err != nil {
					return &exitError{code: 1, msg: sanitize.Line(err.Error())}
				}
			}
			if group != "" && len(parts) == 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("no lag series for consumer group %q", sanitize.Line(group))}
			}
			rows := lag.Rows(parts, byTopic)
			if out == "json" {
				return writeJSON(g.stdout, rows)
			}
			return headless.WriteLagText(g.stdout, rows)
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().StringVar(&group, "group", "", "consumer group (default: all)")
	cmd.Flags().StringVar(&since, "since", "30m", "offset history Burrow's rules judge, e.g. 30m, 2h")
	cmd.Flags().StringVar(&source, "source", "", "prometheus (kafka_exporter series) or kafka (the brokers; takes 3 snapshots 2s apart); default: lag.source, else prometheus if configured")
	cmd.Flags().BoolVar(&byTopic, "by-topic", false, "one row per group and topic (partition left out)")
	return cmd
}
