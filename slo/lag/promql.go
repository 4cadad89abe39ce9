package lag

import (
	"fmt"
	"strings"
)

// Exporter names a consumer-lag exporter whose series a lag SLO reads.
type Exporter string

// The exporters SecondsQuery knows.
const (
	// ExporterKafka is danielqsj/kafka_exporter, the demo's names: lag in
	// messages (kafka_consumergroup_lag) and the partitions' log-end
	// offsets (kafka_topic_partition_current_offset). It exports no
	// seconds, so they are derived.
	ExporterKafka Exporter = "kafka_exporter"
	// ExporterKminion is redpanda-data/kminion: lag in messages
	// (kminion_kafka_consumer_group_topic_partition_lag) and high water
	// marks, labelled group_id, topic_name, partition_id. It exports no
	// seconds either.
	ExporterKminion Exporter = "kminion"
	// ExporterKlag is klag-exporter (and seglo/kafka-lag-exporter, which
	// uses the same names): it exports lag in seconds itself, as
	// kafka_consumergroup_group_lag_seconds{group,topic,partition}.
	ExporterKlag Exporter = "klag-exporter"
)

// Exporters lists them, for error messages; a fresh slice each call.
func Exporters() []Exporter { return []Exporter{ExporterKafka, ExporterKminion, ExporterKlag} }

// SecondsRate is the window over which the producer's rate is taken when
// lag in seconds is derived from lag in messages.
const SecondsRate = "5m"

// SecondsQuery returns an instant PromQL expression giving each of the
// group's partitions' lag in seconds (of one topic when topic is set).
//
// Where the exporter has only messages, the seconds are the lag in
// messages divided by the rate at which the producer wrote to the
// partition over the last SecondsRate: how long ago the producer was at
// the consumer's offset if it kept that pace. That is what Seconds (the
// Lag pane's estimate) finds by interpolating the producer's offset
// history whenever production is steady; when it is not, the two differ
// by how much the rate changed. A partition with lag and no production at
// all gives +Inf, which counts as over any bound; one with neither gives
// no number (NaN), which counts as within it.
func SecondsQuery(exp Exporter, group, topic string) (string, error) {
	if group == "" {
		return "", fmt.Errorf("a consumer group is required")
	}
	q := func(v string) string { return fmt.Sprintf("%q", v) }
	switch exp {
	case ExporterKafka, "":
		return derivedSeconds(kafkaExporterNames, group, topic), nil
	case ExporterKminion:
		return derivedSeconds(kminionNames, group, topic), nil
	case ExporterKlag:
		sel := "group=" + q(group)
		if topic != "" {
			sel += ",topic=" + q(topic)
		}
		return fmt.Sprintf("max by (group, topic, partition) (kafka_consumergroup_group_lag_seconds{%s})", sel), nil
	}
	exps := Exporters()
	names := make([]string, len(exps))
	for i, e := range exps {
		names[i] = string(e)
	}
	return "", fmt.Errorf("unknown exporter %q (one of %s)", exp, strings.Join(names, ", "))
}

// seriesNames are an exporter's names for lag in messages, the log-end
// offset and their labels.
type seriesNames struct {
	lag, produced           string
	group, topic, partition string
}

var (
	kafkaExporterNames = seriesNames{"kafka_consumergroup_lag", "kafka_topic_partition_current_offset", "consumergroup", "topic", "partition"}
	kminionNames       = seriesNames{"kminion_kafka_consumer_group_topic_partition_lag", "kminion_kafka_topic_partition_high_water_mark", "group_id", "topic_name", "partition_id"}
)

// derivedSeconds is lag in messages over the producer's recent rate, per
// partition (see SecondsQuery).
func derivedSeconds(n seriesNames, group, topic string) string {
	sel := fmt.Sprintf("%s=%q", n.group, group)
	tsel := ""
	if topic != "" {
		tsel = fmt.Sprintf("%s=%q", n.topic, topic)
		sel += "," + tsel
	}
	return fmt.Sprintf("max by (%s, %s, %s) (%s{%s})\n/ on (%s, %s) group_left\nmax by (%s, %s) (rate(%s{%s}[%s]))",
		n.group, n.topic, n.partition, n.lag, sel, n.topic, n.partition, n.topic, n.partition, n.produced, tsel, SecondsRate)
}
