package lag

import (
	"math"
	"testing"
)

func TestRowsPerPartitionOrPerTopic(t *testing.T) {
	parts := []Partition{
		{Group: "g", Topic: "t", Partition: 0, LagMessages: 5, LagSeconds: math.NaN()},
		{Group: "g", Topic: "t", Partition: 1, LagMessages: 7, LagSeconds: 3},
		{Group: "g", Topic: "u", Partition: 0, LagMessages: 1, LagSeconds: 1},
	}
	rows := Rows(parts, false)
	if len(rows) != 3 || rows[1].Partition == nil || *rows[1].Partition != 1 || rows[1].LagMessages != 7 {
		t.Fatalf("per partition: %+v", rows)
	}
	topics := Rows(parts, true)
	if len(topics) != 2 {
		t.Fatalf("per topic: %+v", topics)
	}
	for _, r := range topics {
		if r.Partition != nil {
			t.Errorf("a topic row names a partition: %+v", r)
		}
		if r.Topic == "t" && r.LagMessages != 12 {
			t.Errorf("topic t's lag %v, want the partitions' sum 12", r.LagMessages)
		}
	}
	if Rows(nil, true) == nil || Rows(nil, false) == nil {
		t.Error("no partitions must be an empty list, not null")
	}
}
