package kafka_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/kafka"
)

// cluster is an in-process Kafka (kfake) with topic "orders" of three
// partitions, a producer and an admin client for committing offsets.
type cluster struct {
	addrs []string
	prod  *kgo.Client
	adm   *kadm.Client
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "orders"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	prod, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(prod.Close)
	return &cluster{addrs: c.ListenAddrs(), prod: prod, adm: kadm.NewClient(prod)}
}

// produce writes n records to each partition.
func (c *cluster) produce(t *testing.T, n map[int32]int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var rs []*kgo.Record
	for p, k := range n {
		for i := 0; i < k; i++ {
			rs = append(rs, &kgo.Record{Topic: "orders", Partition: p, Value: []byte(fmt.Sprintf("order-%d-%d", p, i))})
		}
	}
	if err := c.prod.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// commit sets the group's committed offsets.
func (c *cluster) commit(t *testing.T, group string, at map[int32]int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var os kadm.Offsets
	for p, o := range at {
		os.Add(kadm.Offset{Topic: "orders", Partition: p, At: o, LeaderEpoch: -1})
	}
	resp, err := c.adm.CommitOffsets(ctx, group, os)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func newClient(t *testing.T, addrs []string) *kafka.Client {
	t.Helper()
	cl, err := kafka.New(kafka.Config{Brokers: addrs, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func TestOffsetsAndLagPerPartition(t *testing.T) {
	c := newCluster(t)
	c.produce(t, map[int32]int{0: 10, 1: 20, 2: 5})
	c.commit(t, "billing", map[int32]int64{0: 10, 1: 7, 2: 0})
	c.commit(t, "audit", map[int32]int64{1: 20})
	cl := newClient(t, c.addrs)
	ctx := context.Background()

	groups, err := cl.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(groups) != "[audit billing]" {
		t.Fatalf("groups %v, want [audit billing]", groups)
	}
	offs, err := cl.Offsets(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	want := []kafka.PartitionOffsets{
		{Group: "billing", Topic: "orders", Partition: 0, Committed: 10, End: 10},
		{Group: "billing", Topic: "orders", Partition: 1, Committed: 7, End: 20},
		{Group: "billing", Topic: "orders", Partition: 2, Committed: 0, End: 5},
	}
	if fmt.Sprint(offs) != fmt.Sprint(want) {
		t.Fatalf("offsets\n got %+v\nwant %+v", offs, want)
	}
	// All groups: audit has committed on partition 1 only.
	all, err := cl.Offsets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var audit []kafka.PartitionOffsets
	for _, o := range all {
		if o.Group == "audit" {
			audit = append(audit, o)
		}
	}
	if len(audit) == 0 || len(all) < 4 {
		t.Fatalf("all groups: %+v", all)
	}
	for _, o := range audit {
		if o.Partition == 1 && (o.Committed != 20 || o.End != 20) {
			t.Errorf("audit p1: %+v", o)
		}
	}
}

// A consumer that stops moving while the producer keeps writing reads
// STALL (commits of the same offset) with lag in seconds rising; one that
// keeps up reads OK.
func TestStallFromSnapshots(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c.addrs)
	src := &lag.KafkaSource{Reader: cl}
	ctx := context.Background()
	t0 := time.Now()
	const window = 100 * time.Second

	var parts []lag.Partition
	var secs []float64
	for i := 0; i < 5; i++ {
		c.produce(t, map[int32]int{0: 10, 1: 10, 2: 10})
		// Partition 0 keeps up. Partition 1 keeps up once, then sticks at
		// offset 15, written between the first two snapshots.
		p1 := int64(15)
		if i == 0 {
			p1 = 10
		}
		c.commit(t, "orders-consumer", map[int32]int64{0: int64(10 * (i + 1)), 1: p1, 2: int64(10 * (i + 1))})
		now := t0.Add(time.Duration(i) * 30 * time.Second)
		var err error
		parts, _, err = src.Partitions(ctx, "orders-consumer", now.Add(-window), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 3 {
			t.Fatalf("snapshot %d: %d partitions", i, len(parts))
		}
		secs = append(secs, parts[1].LagSeconds)
	}
	if p := parts[0]; p.Verdict.Status != lag.StatusOK || p.LagMessages != 0 {
		t.Errorf("partition 0: %+v, want OK and no lag", p)
	}
	// The window (100 s) no longer holds the caught-up commit at 0 s.
	if p := parts[1]; p.Verdict.Status != lag.StatusStall || p.LagMessages != 35 {
		t.Errorf("partition 1: %+v, want STALL with 35 messages of lag", p)
	}
	// Offset 15 was produced half way between the snapshots at 0 s (end
	// 10) and 30 s (end 20): at 15 s, so at 120 s it is 105 s old.
	if p := parts[1]; p.Method != lag.MethodInterpolated || p.LagSeconds != 105 {
		t.Errorf("partition 1: %v s by %s, want 105 s interpolated", p.LagSeconds, p.Method)
	}
	for i := 2; i < len(secs); i++ {
		if !(secs[i] > secs[i-1]) {
			t.Errorf("lag seconds did not rise: %v", secs)
		}
	}
	if got := parts[1].Trend; len(got) != 4 || got[3] <= got[0] {
		t.Errorf("trend %v, want 4 rising points (the window's commits)", got)
	}

	// No snapshot for 5 minutes after two 10 s apart: a gap longer than
	// the commits span reads STOP.
	tr := lag.Tracker{Window: time.Hour}
	offs, _ := cl.Offsets(ctx, "orders-consumer")
	tr.Add(lag.SnapshotOf(t0, offs))
	tr.Add(lag.SnapshotOf(t0.Add(10*time.Second), offs))
	ps := tr.Partitions(t0.Add(5 * time.Minute))
	if ps[1].Verdict.Status != lag.StatusStop {
		t.Errorf("partition 1 after 5m without a snapshot: %+v, want STOP", ps[1].Verdict)
	}
}

func TestUnreachableBrokersAreTyped(t *testing.T) {
	cl, err := kafka.New(kafka.Config{Brokers: []string{"127.0.0.1:1"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = cl.Offsets(ctx, "g")
	var se *sources.Error
	if !errors.As(err, &se) || se.Backend != "kafka" {
		t.Fatalf("err %v (%T), want a kafka sources.Error", err, err)
	}
	if k := se.Kind; k != sources.KindUnreachable && k != sources.KindTimeout && k != sources.KindCircuitOpen {
		t.Errorf("kind %s, want unreachable or timeout", k)
	}
}

func TestNewRejectsBadBrokers(t *testing.T) {
	for _, b := range [][]string{nil, {"nohost"}, {":9092"}} {
		if _, err := kafka.New(kafka.Config{Brokers: b}); err == nil {
			t.Errorf("brokers %q: no error", b)
		}
	}
}
