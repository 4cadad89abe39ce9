package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
)

// lagSourceFor opens where the selected context's lag comes from: the
// --source flag, else lag.source, else prometheus when configured, else
// kafka. A variable so unit tests swap in a fake.
var lagSourceFor = func(g *globals, source string) (lag.Source, string, func(), error) {
	_, name, c, err := selectContext(g)
	if err != nil {
		return nil, "", nil, err
	}
	if source == "" {
		source = c.LagSource()
	}
	switch source {
	case "kafka":
		if c.Kafka == nil {
			return nil, "", nil, &exitError{code: 1, msg: fmt.Sprintf("context %s has no kafka brokers configured", name)}
		}
		cfg, err := c.Kafka.ClientConfig(config.OSEnv())
		if err != nil {
			return nil, "", nil, &exitError{code: 1, msg: fmt.Sprintf("context %s: %v", name, err)}
		}
		cl, err := kafka.New(cfg)
		if err != nil {
			return nil, "", nil, &exitError{code: 1, msg: err.Error()}
		}
		return &lag.KafkaSource{Reader: cl}, "kafka", cl.Close, nil
	case "prometheus":
		p, closeFn, err := openProm(g)
		if err != nil {
			return nil, "", nil, err
		}
		return lag.PromSource{Querier: p, Queries: c.LagQueries()}, "prometheus", closeFn, nil
	case "":
		return nil, "", nil, &exitError{code: 1, msg: fmt.Sprintf("context %s has neither prometheus nor kafka configured", name)}
	}
	return nil, "", nil, usage("--source must be prometheus or kafka, not %q", source)
}

// kafkaSnapshots and kafkaInterval: the brokers hold no offset history, so
// a one-shot `reltui lag --source kafka` takes a few snapshots itself
// before judging.
const (
	kafkaSnapshots = 3
	kafkaInterval  = 2 * time.Second
)

func newLagCmd(g *globals) *cobra.Command {
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
			d, err := timespec.ParseDuration(since)
			if err != nil || d <= 0 {
				return usage("--since: invalid duration %q (examples: 15m, 6h)", since)
			}
			if source != "" && source != "prometheus" && source != "kafka" {
				return usage("--source must be prometheus or kafka, not %q", source)
			}
			src, kind, closeFn, err := lagSourceFor(g, source)
			if err != nil {
				return err
			}
			defer closeFn()
			ctx, cancel := signalContext()
			defer cancel()
			var parts []lag.Partition
			var warnings []string
			snaps := 1
			if kind == "kafka" {
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
				parts, warnings, err = src.Partitions(ctx, group, now.Add(-d), now)
				printWarnings(g, warnings)
				if err != nil {
					return &exitError{code: 1, msg: sanitize.Line(err.Error())}
				}
			}
			if group != "" && len(parts) == 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("no lag series for consumer group %q", sanitize.Line(group))}
			}
			rows := make([]lag.Row, 0, len(parts))
			if byTopic {
				for _, t := range lag.ByTopic(parts) {
					rows = append(rows, t.Row())
				}
			} else {
				for _, p := range parts {
					rows = append(rows, p.Row())
				}
			}
			if out == "json" {
				return writeJSON(g.stdout, rows)
			}
			writeLagText(g.stdout, rows)
			return nil
		},
	}
	textOrJSONFlag(cmd, &out)
	cmd.Flags().StringVar(&group, "group", "", "consumer group (default: all)")
	cmd.Flags().StringVar(&since, "since", "30m", "offset history Burrow's rules judge, e.g. 30m, 2h")
	cmd.Flags().StringVar(&source, "source", "", "prometheus (kafka_exporter series) or kafka (the brokers; takes 3 snapshots 2s apart); default: lag.source, else prometheus if configured")
	cmd.Flags().BoolVar(&byTopic, "by-topic", false, "one row per group and topic (partition left out)")
	return cmd
}

func writeLagText(w io.Writer, rows []lag.Row) {
	fmt.Fprintf(w, "%-24s %-20s %9s %12s %12s  %-12s %-6s %s\n", "GROUP", "TOPIC", "PARTITION", "LAG_MSGS", "LAG_SECONDS", "METHOD", "STATUS", "REASON")
	for _, r := range rows {
		secs := "-"
		if r.LagSeconds != nil {
			secs = strconv.FormatFloat(*r.LagSeconds, 'f', 1, 64)
		}
		part := "-"
		if r.Partition != nil {
			part = strconv.Itoa(int(*r.Partition))
		}
		fmt.Fprintf(w, "%-24s %-20s %9s %12.0f %12s  %-12s %-6s %s\n", r.Group, r.Topic, part, r.LagMessages, secs, r.Method, r.Status, r.Reason)
	}
}
