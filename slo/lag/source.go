package lag

import (
	"context"
	"sync"
	"time"

	"github.com/reltui/reltui/sources/kafka"
)

// Source yields evaluated partitions for one group (all when ""), judging
// the history from from to now. The Lag pane and `reltui lag` read lag
// through it, whichever backend holds the offsets.
type Source interface {
	Partitions(ctx context.Context, group string, from, now time.Time) ([]Partition, []string, error)
}

// PromSource reads kafka_exporter's series from Prometheus.
type PromSource struct {
	Querier Querier
	Queries Queries
}

// Partitions implements Source.
func (s PromSource) Partitions(ctx context.Context, group string, from, now time.Time) ([]Partition, []string, error) {
	return FromPrometheus(ctx, s.Querier, s.Queries, group, from, now)
}

// OffsetReader reads offsets from brokers; *kafka.Client implements it.
type OffsetReader interface {
	Offsets(ctx context.Context, groups ...string) ([]kafka.PartitionOffsets, error)
}

// KafkaSource reads offsets straight from the brokers. The brokers keep
// no offset history, so it keeps its own: every call adds a snapshot to a
// Tracker, and lag in seconds and Burrow's status come from the snapshots
// taken so far (a first call reads ERR: one snapshot is not a window).
// It is safe for concurrent use.
type KafkaSource struct {
	Reader OffsetReader

	mu       sync.Mutex
	trackers map[string]*Tracker
}

// Partitions implements Source. The window kept is now-from.
func (s *KafkaSource) Partitions(ctx context.Context, group string, from, now time.Time) ([]Partition, []string, error) {
	var groups []string
	if group != "" {
		groups = []string{group}
	}
	offs, err := s.Reader.Offsets(ctx, groups...)
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.trackers == nil {
		s.trackers = map[string]*Tracker{}
	}
	t := s.trackers[group]
	if t == nil {
		t = &Tracker{}
		s.trackers[group] = t
	}
	t.Window = now.Sub(from)
	t.Add(SnapshotOf(now, offs))
	return t.Partitions(now), nil, nil
}

// SnapshotOf turns offsets read from brokers at one moment into a Snapshot.
func SnapshotOf(at time.Time, offs []kafka.PartitionOffsets) Snapshot {
	s := Snapshot{Time: at, Offsets: make([]Offsets, len(offs))}
	for i, o := range offs {
		s.Offsets[i] = Offsets{Group: o.Group, Topic: o.Topic, Partition: o.Partition, Committed: o.Committed, End: o.End}
	}
	return s
}
