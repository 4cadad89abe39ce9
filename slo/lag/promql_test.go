package lag

import (
	"strings"
	"testing"
)

func TestSecondsQueryPerExporter(t *testing.T) {
	cases := []struct {
		exp          Exporter
		topic        string
		want, series []string
	}{
		{ExporterKafka, "", []string{`kafka_consumergroup_lag{consumergroup="orders-consumer"}`, "rate(kafka_topic_partition_current_offset{}[5m])", "group_left"}, nil},
		{ExporterKafka, "orders", []string{`consumergroup="orders-consumer",topic="orders"`, `kafka_topic_partition_current_offset{topic="orders"}`}, nil},
		{ExporterKminion, "orders", []string{`kminion_kafka_consumer_group_topic_partition_lag{group_id="orders-consumer",topic_name="orders"}`, "kminion_kafka_topic_partition_high_water_mark"}, nil},
		{ExporterKlag, "", []string{`kafka_consumergroup_group_lag_seconds{group="orders-consumer"}`}, nil},
	}
	for _, c := range cases {
		q, err := SecondsQuery(c.exp, "orders-consumer", c.topic)
		if err != nil {
			t.Fatalf("%s: %v", c.exp, err)
		}
		for _, w := range c.want {
			if !strings.Contains(q, w) {
				t.Errorf("%s: query lacks %q:\n%s", c.exp, w, q)
			}
		}
		if err := CheckQuery(q); err != nil {
			t.Errorf("%s: %v\n%s", c.exp, err, q)
		}
	}
	if _, err := SecondsQuery("burrow", "g", ""); err == nil || !strings.Contains(err.Error(), "kafka_exporter, kminion, klag-exporter") {
		t.Errorf("unknown exporter: %v", err)
	}
	if _, err := SecondsQuery(ExporterKafka, "", ""); err == nil {
		t.Error("a group is required")
	}
}
