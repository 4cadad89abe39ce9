package demo

import (
	"hash/fnv"
	"sync"
	"time"
)

// message is one order event on the simulated orders topic. Headers carry
// the W3C trace context and the request id, as a Kafka record's headers
// would, so the consumer's span joins the checkout's trace.
type message struct {
	offset   int64
	orderID  string
	headers  map[string]string
	produced time.Time
}

// topicRetention bounds each partition's backlog; a stall left running for
// hours must not eat the machine. Messages beyond it are lost, as they would
// be to retention in a real broker.
const topicRetention = 50_000

type partition struct {
	msgs      []message // offsets [base, next)
	base      int64
	next      int64 // high watermark: the offset the next message gets
	committed int64 // the consumer group's committed offset
	lost      int64
}

// topic is a tiny in-process stand-in for one Kafka topic and one consumer
// group. The workload only needs its offsets to behave like Kafka's, since
// it reports them under kafka_exporter's metric names.
type topic struct {
	mu    sync.Mutex
	parts []partition
}

func newTopic(partitions int) *topic {
	return &topic{parts: make([]partition, partitions)}
}

// produce appends a message keyed by its order id, as a keyed producer
// would, and returns where it landed.
func (t *topic) produce(orderID string, headers map[string]string, at time.Time) (part int, offset int64) {
	h := fnv.New32a()
	h.Write([]byte(orderID))
	part = int(h.Sum32() % uint32(len(t.parts)))
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &t.parts[part]
	offset = p.next
	p.msgs = append(p.msgs, message{offset: offset, orderID: orderID, headers: headers, produced: at})
	p.next++
	if over := len(p.msgs) - topicRetention; over > 0 {
		p.msgs = append(p.msgs[:0:0], p.msgs[over:]...)
		p.base += int64(over)
	}
	return part, offset
}

// fetch returns up to n messages after the committed offset. If retention
// removed some, the group skips ahead to the oldest one left, which is what
// auto.offset.reset=earliest does.
func (t *topic) fetch(part, n int) (msgs []message, skipped int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &t.parts[part]
	if p.committed < p.base {
		skipped = p.base - p.committed
		p.lost += skipped
		p.committed = p.base
	}
	from := int(p.committed - p.base)
	to := min(from+n, len(p.msgs))
	return append([]message(nil), p.msgs[from:to]...), skipped
}

// commit advances the group to offset (the next one to read) and releases
// everything before it.
func (t *topic) commit(part int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &t.parts[part]
	if offset <= p.committed {
		return
	}
	p.committed = offset
	if drop := int(offset - p.base); drop > 0 {
		p.msgs = append(p.msgs[:0:0], p.msgs[drop:]...)
		p.base = offset
	}
}

// PartitionStatus is one partition's offsets as kafka_exporter reports them.
type PartitionStatus struct {
	Partition int   `json:"partition"`
	Offset    int64 `json:"topic_offset"`
	Committed int64 `json:"group_offset"`
	Lag       int64 `json:"lag"`
}

func (t *topic) status() []PartitionStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]PartitionStatus, len(t.parts))
	for i, p := range t.parts {
		out[i] = PartitionStatus{Partition: i, Offset: p.next, Committed: p.committed, Lag: p.next - p.committed}
	}
	return out
}
