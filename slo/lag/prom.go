package lag

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Querier runs PromQL; *prom.Client satisfies it.
type Querier interface {
	Query(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error)
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
}

// Queries are the PromQL expressions consumer lag is read from. Each must
// give series labelled consumergroup (except Produced), topic and partition,
// as kafka_exporter's do.
type Queries struct {
	// Lag is the lag in messages per group, topic and partition.
	Lag string
	// Committed is the group's committed offset.
	Committed string
	// Produced is the partition's log-end offset.
	Produced string
}

// DefaultQueries are kafka_exporter's series names.
func DefaultQueries() Queries {
	return Queries{
		Lag:       "kafka_consumergroup_lag",
		Committed: "kafka_consumergroup_current_offset",
		Produced:  "kafka_topic_partition_current_offset",
	}
}

// QueryRoles returns the config keys that override Queries' fields, a
// fresh slice each call.
func QueryRoles() []string { return []string{"lag", "committed", "produced"} }

// WithOverrides replaces the queries named in m (keys from QueryRoles).
func (q Queries) WithOverrides(m map[string]string) Queries {
	for k, v := range m {
		switch k {
		case "lag":
			q.Lag = v
		case "committed":
			q.Committed = v
		case "produced":
			q.Produced = v
		}
	}
	return q
}

var metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// forGroup narrows a bare metric name to one group on the server; other
// expressions are filtered after the answer comes back.
func forGroup(expr, group string) string {
	if group == "" || !metricName.MatchString(expr) {
		return expr
	}
	return fmt.Sprintf("%s{consumergroup=%q}", expr, group)
}

type partKey struct {
	group, topic string
	partition    int32
}

func keyOf(ls map[string]string) (partKey, bool) {
	p, err := strconv.ParseInt(ls["partition"], 10, 32)
	if err != nil {
		return partKey{}, false
	}
	return partKey{ls["consumergroup"], ls["topic"], int32(p)}, true
}

// MinProducedHistory is the least log-end offset history FromPrometheus
// reads for interpolating lag in seconds.
const MinProducedHistory = 30 * time.Minute

// FromPrometheus reads the queries' series for the window from..now (one
// group, or all when group is "") and evaluates every partition, sorted
// by group, topic and partition. Label values are sanitized.
func FromPrometheus(ctx context.Context, p Querier, qs Queries, group string, from, now time.Time) ([]Partition, []string, error) {
	var warnings []string
	// Whole seconds: Prometheus rounds the end of a range, and a sample
	// stamped a few microseconds after now would read as a future commit.
	from, now = from.Truncate(time.Second), now.Truncate(time.Second)
	instant := func(expr string) ([]sources.Series, error) {
		s, w, err := p.Query(ctx, expr, now)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", expr, err)
		}
		return s, nil
	}
	// The producer's history reaches further back than the window judged:
	// a consumer stuck for longer than the window is on an offset produced
	// before it, and lag in seconds needs that moment.
	producedFrom := now.Add(-max(KeepFactor*now.Sub(from), MinProducedHistory))
	rangedFrom := func(expr string, from time.Time) ([]sources.Series, error) {
		s, w, err := p.QueryRange(ctx, expr, from, now, 0)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", expr, err)
		}
		return s, nil
	}
	current, err := instant(forGroup(qs.Lag, group))
	if err != nil {
		return nil, warnings, err
	}
	committedNow, err := instant(forGroup(qs.Committed, group))
	if err != nil {
		return nil, warnings, err
	}
	ranged := func(expr string) ([]sources.Series, error) { return rangedFrom(expr, from) }
	produced, err := rangedFrom(qs.Produced, producedFrom)
	if err != nil {
		return nil, warnings, err
	}
	commitHist, err := ranged(forGroup(qs.Committed, group))
	if err != nil {
		return nil, warnings, err
	}
	lagHist, err := ranged(forGroup(qs.Lag, group))
	if err != nil {
		return nil, warnings, err
	}

	byKey := func(ss []sources.Series) map[partKey]sources.Series {
		m := map[partKey]sources.Series{}
		for _, s := range ss {
			if k, ok := keyOf(s.Labels); ok && (group == "" || k.group == group) {
				m[k] = s
			}
		}
		return m
	}
	committedByKey, commitHistByKey, lagHistByKey := byKey(committedNow), byKey(commitHist), byKey(lagHist)
	producedByTP := map[[2]string][]OffsetSample{}
	for _, s := range produced {
		tp := [2]string{s.Labels["topic"], s.Labels["partition"]}
		for _, smp := range s.Samples {
			producedByTP[tp] = append(producedByTP[tp], OffsetSample{Time: smp.Time, Offset: smp.Value})
		}
	}
	var out []Partition
	for _, s := range current {
		k, ok := keyOf(s.Labels)
		if !ok || (group != "" && k.group != group) {
			continue
		}
		h := History{Group: k.group, Topic: k.topic, Partition: k.partition, Committed: math.NaN(), CurrentLag: last(s)}
		if c, ok := committedByKey[k]; ok {
			h.Committed = last(c)
		}
		h.Produced = producedByTP[[2]string{k.topic, strconv.Itoa(int(k.partition))}]
		lags := map[int64]int64{}
		for _, smp := range lagHistByKey[k].Samples {
			lags[smp.Time.UnixMilli()] = int64(smp.Value)
		}
		for _, smp := range commitHistByKey[k].Samples {
			l, ok := lags[smp.Time.UnixMilli()]
			if !ok || math.IsNaN(smp.Value) {
				continue
			}
			h.Commits = append(h.Commits, Commit{Time: smp.Time, Offset: int64(smp.Value), Lag: l})
		}
		part := Evaluate(h, now)
		part.Group, part.Topic = sanitize.Line(part.Group), sanitize.Line(part.Topic)
		part.Verdict.Reason = sanitize.Line(part.Verdict.Reason)
		out = append(out, part)
	}
	SortPartitions(out)
	return out, warnings, nil
}

// SortPartitions orders by group, topic and partition.
func SortPartitions(ps []Partition) {
	slices.SortFunc(ps, func(a, b Partition) int {
		if c := cmpStr(a.Group, b.Group); c != 0 {
			return c
		}
		if c := cmpStr(a.Topic, b.Topic); c != 0 {
			return c
		}
		return int(a.Partition) - int(b.Partition)
	})
}

func last(s sources.Series) float64 {
	if len(s.Samples) == 0 {
		return math.NaN()
	}
	return s.Samples[len(s.Samples)-1].Value
}

// promParser is stateless; Options{} keeps experimental functions off, as a
// default Prometheus server has them.
var promParser = parser.NewParser(parser.Options{})

// CheckQuery says what is wrong with a lag query: it must parse and give
// an instant vector.
func CheckQuery(q string) error {
	if strings.TrimSpace(q) == "" {
		return fmt.Errorf("query is empty")
	}
	expr, err := promParser.ParseExpr(q)
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return fmt.Errorf("not valid PromQL: %s", msg)
	}
	if t := expr.Type(); t != parser.ValueTypeVector {
		return fmt.Errorf("must give an instant vector, got a %s", t)
	}
	return nil
}
