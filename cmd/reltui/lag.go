package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
)

// PartitionLag is one row of `reltui lag`.
type PartitionLag struct {
	Group       string   `json:"group"`
	Topic       string   `json:"topic"`
	Partition   int      `json:"partition"`
	LagMessages float64  `json:"lag_messages"`
	LagSeconds  *float64 `json:"lag_seconds"`
	Method      string   `json:"lag_seconds_method"`
	Status      string   `json:"status"`
	Reason      string   `json:"status_reason,omitempty"`
}

type partKey struct{ group, topic, partition string }

func keyOf(ls map[string]string) partKey {
	return partKey{ls["consumergroup"], ls["topic"], ls["partition"]}
}

// collectLag reads kafka_exporter's series and works out lag in seconds
// and Burrow's status per partition.
func collectLag(ctx context.Context, p promQuerier, group string, from, now time.Time) ([]PartitionLag, []string, error) {
	sel := ""
	if group != "" {
		sel = fmt.Sprintf("{consumergroup=%q}", group)
	}
	var warnings []string
	q := func(expr string) ([]sources.Series, error) {
		s, w, err := p.Query(ctx, expr, now)
		warnings = append(warnings, w...)
		return s, err
	}
	qr := func(expr string) ([]sources.Series, error) {
		// Whole seconds: Prometheus rounds the end of a range, and a sample
		// stamped a few microseconds after now would read as a future commit.
		s, w, err := p.QueryRange(ctx, expr, from.Truncate(time.Second), now.Truncate(time.Second), 0)
		warnings = append(warnings, w...)
		return s, err
	}
	current, err := q("kafka_consumergroup_lag" + sel)
	if err != nil {
		return nil, warnings, err
	}
	committedNow, err := q("kafka_consumergroup_current_offset" + sel)
	if err != nil {
		return nil, warnings, err
	}
	rates, err := q(fmt.Sprintf("rate(kafka_consumergroup_current_offset%s[5m])", sel))
	if err != nil {
		return nil, warnings, err
	}
	producer, err := qr("kafka_topic_partition_current_offset")
	if err != nil {
		return nil, warnings, err
	}
	committedHist, err := qr("kafka_consumergroup_current_offset" + sel)
	if err != nil {
		return nil, warnings, err
	}
	lagHist, err := qr("kafka_consumergroup_lag" + sel)
	if err != nil {
		return nil, warnings, err
	}

	last := func(s sources.Series) float64 {
		if len(s.Samples) == 0 {
			return math.NaN()
		}
		return s.Samples[len(s.Samples)-1].Value
	}
	byKey := func(ss []sources.Series) map[partKey]sources.Series {
		m := map[partKey]sources.Series{}
		for _, s := range ss {
			m[keyOf(s.Labels)] = s
		}
		return m
	}
	committedByKey, rateByKey := byKey(committedNow), byKey(rates)
	commitHistByKey, lagHistByKey := byKey(committedHist), byKey(lagHist)
	producerByTP := map[[2]string][]lag.OffsetSample{}
	for _, s := range producer {
		tp := [2]string{s.Labels["topic"], s.Labels["partition"]}
		for _, smp := range s.Samples {
			producerByTP[tp] = append(producerByTP[tp], lag.OffsetSample{Time: smp.Time, Offset: smp.Value})
		}
	}

	var rows []PartitionLag
	for _, s := range current {
		k := keyOf(s.Labels)
		part, _ := strconv.Atoi(k.partition)
		row := PartitionLag{Group: sanitize.Line(k.group), Topic: sanitize.Line(k.topic), Partition: part, LagMessages: last(s)}
		if math.IsNaN(row.LagMessages) || math.IsInf(row.LagMessages, 0) {
			row.LagMessages = 0 // JSON cannot carry NaN; a missing value is no known lag
		}
		committed := math.NaN()
		if c, ok := committedByKey[k]; ok {
			committed = last(c)
		}
		rate := 0.0
		if r, ok := rateByKey[k]; ok && !math.IsNaN(last(r)) {
			rate = last(r)
		}
		est := lag.Seconds(lag.Input{Producer: producerByTP[[2]string{k.topic, k.partition}], Committed: committed, ConsumeRate: rate, Now: now})
		row.Method = string(est.Method)
		if !math.IsNaN(est.Seconds) && !math.IsInf(est.Seconds, 0) {
			v := est.Seconds
			row.LagSeconds = &v
		}
		lags := map[int64]int64{}
		for _, smp := range lagHistByKey[k].Samples {
			lags[smp.Time.UnixMilli()] = int64(smp.Value)
		}
		var commits []lag.Commit
		for _, smp := range commitHistByKey[k].Samples {
			l, ok := lags[smp.Time.UnixMilli()]
			if !ok || math.IsNaN(smp.Value) {
				continue
			}
			commits = append(commits, lag.Commit{Time: smp.Time, Offset: int64(smp.Value), Lag: l})
		}
		cur := int64(0)
		if !math.IsNaN(row.LagMessages) {
			cur = int64(row.LagMessages)
		}
		v := lag.PartitionStatus(commits, cur, now)
		row.Status, row.Reason = string(v.Status), sanitize.Line(v.Reason)
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		return a.Partition < b.Partition
	})
	return rows, warnings, nil
}

func newLagCmd(g *globals) *cobra.Command {
	var out, group, since string
	cmd := &cobra.Command{
		Use:   "lag",
		Short: "Kafka consumer lag in messages and seconds, with Burrow's partition status",
		Example: `  reltui lag
  reltui lag --group orders-consumer --since 1h --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out != "text" && out != "json" {
				return usage("--output must be text or json, not %q", out)
			}
			d, err := timespec.ParseDuration(since)
			if err != nil || d <= 0 {
				return usage("--since: invalid duration %q (examples: 15m, 6h)", since)
			}
			p, closeFn, err := openProm(g)
			if err != nil {
				return err
			}
			defer closeFn()
			ctx, cancel := signalContext()
			defer cancel()
			now := time.Now()
			rows, warnings, err := collectLag(ctx, p, group, now.Add(-d), now)
			printWarnings(g, dedupe(warnings))
			if err != nil {
				return &exitError{code: 1, msg: sanitize.Line(err.Error())}
			}
			if group != "" && len(rows) == 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("no lag series for consumer group %q", group)}
			}
			if out == "json" {
				if rows == nil {
					rows = []PartitionLag{}
				}
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			writeLagText(g.stdout, rows)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "text", "output format: text or json")
	cmd.Flags().StringVar(&group, "group", "", "consumer group (default: all)")
	cmd.Flags().StringVar(&since, "since", "30m", "offset history to use, e.g. 30m, 2h")
	return cmd
}

func writeLagText(w io.Writer, rows []PartitionLag) {
	fmt.Fprintf(w, "%-24s %-20s %9s %12s %12s  %-12s %-6s %s\n", "GROUP", "TOPIC", "PARTITION", "LAG_MSGS", "LAG_SECONDS", "METHOD", "STATUS", "REASON")
	for _, r := range rows {
		secs := "-"
		if r.LagSeconds != nil {
			secs = strconv.FormatFloat(*r.LagSeconds, 'f', 1, 64)
		}
		fmt.Fprintf(w, "%-24s %-20s %9d %12.0f %12s  %-12s %-6s %s\n", r.Group, r.Topic, r.Partition, r.LagMessages, secs, r.Method, r.Status, r.Reason)
	}
}
