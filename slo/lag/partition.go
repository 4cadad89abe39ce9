package lag

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// History is everything observed about one partition of one consumer
// group over a window, whichever source it came from (Prometheus series
// or snapshots of a Kafka admin client).
type History struct {
	Group     string
	Topic     string
	Partition int32
	// Produced is the partition's log-end offset over the window.
	Produced []OffsetSample
	// Commits are the group's committed offsets, with the lag at each, oldest first.
	Commits []Commit
	// Committed is the committed offset now, and CurrentLag the lag in
	// messages now; NaN when unknown.
	Committed  float64
	CurrentLag float64
}

// Partition is the verdict on one partition: what the Lag pane and
// `reltui lag` show.
type Partition struct {
	Group     string
	Topic     string
	Partition int32
	// LagMessages is the lag now; 0 when unknown.
	LagMessages float64
	// LagSeconds is the age of the oldest unread message; NaN when Method
	// is MethodUnknown.
	LagSeconds float64
	Method     Method
	Verdict    Verdict
	// Trend is the lag in messages at each commit of the window, oldest
	// first, for a sparkline.
	Trend []float64
}

// rateSpan is how much of the commit history the rate fallback uses: a
// recent pace, not the window's average.
const rateSpan = 5 * time.Minute

// Evaluate works out lag in seconds and Burrow's status for one partition.
func Evaluate(h History, now time.Time) Partition {
	p := Partition{Group: h.Group, Topic: h.Topic, Partition: h.Partition, LagMessages: h.CurrentLag}
	if math.IsNaN(p.LagMessages) || math.IsInf(p.LagMessages, 0) || p.LagMessages < 0 {
		p.LagMessages = 0
	}
	est := Seconds(Input{Producer: h.Produced, Committed: h.Committed, ConsumeRate: consumeRate(h.Commits, now), Now: now})
	p.LagSeconds, p.Method = est.Seconds, est.Method
	p.Verdict = PartitionStatus(h.Commits, int64(p.LagMessages), now)
	p.Trend = make([]float64, len(h.Commits))
	for i, c := range h.Commits {
		p.Trend[i] = float64(max(c.Lag, 0))
	}
	return p
}

// consumeRate is the committed offset's growth per second over the last
// rateSpan of commits; 0 when it cannot be told.
func consumeRate(cs []Commit, now time.Time) float64 {
	if len(cs) < 2 {
		return 0
	}
	last := cs[len(cs)-1]
	first := last
	for i := len(cs) - 2; i >= 0 && now.Sub(cs[i].Time) <= rateSpan; i-- {
		first = cs[i]
	}
	dt := last.Time.Sub(first.Time).Seconds()
	if dt <= 0 || last.Offset < first.Offset {
		return 0
	}
	return float64(last.Offset-first.Offset) / dt
}

// statusRank orders statuses from healthy to worst, as Burrow's group
// status is its worst partition's.
var statusRank = map[Status]int{StatusOK: 0, StatusErr: 1, StatusWarn: 2, StatusRewind: 3, StatusStall: 4, StatusStop: 5}

// Worse reports whether a is a worse status than b.
func Worse(a, b Status) bool { return statusRank[a] > statusRank[b] }

// Topic is a consumer group's view of one topic: its partitions summed up.
type Topic struct {
	Group string
	Topic string
	// LagMessages is the sum over partitions.
	LagMessages float64
	// LagSeconds is the worst partition's, with its Method; NaN when no
	// partition's is known.
	LagSeconds float64
	Method     Method
	// Status is the worst partition's, Burrow's group rule.
	Status     Status
	Partitions []Partition
	// Trend sums the partitions' trends, aligned at their newest end.
	Trend []float64
}

// ByTopic groups partitions by group and topic, sorted by group, topic and
// partition.
func ByTopic(parts []Partition) []Topic {
	idx := map[[2]string]int{}
	var out []Topic
	for _, p := range parts {
		k := [2]string{p.Group, p.Topic}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Topic{Group: p.Group, Topic: p.Topic, LagSeconds: math.NaN(), Method: MethodUnknown, Status: StatusOK})
		}
		t := &out[i]
		t.Partitions = append(t.Partitions, p)
		t.LagMessages += p.LagMessages
		if !math.IsNaN(p.LagSeconds) && (math.IsNaN(t.LagSeconds) || p.LagSeconds > t.LagSeconds) {
			t.LagSeconds, t.Method = p.LagSeconds, p.Method
		}
		if Worse(p.Verdict.Status, t.Status) {
			t.Status = p.Verdict.Status
		}
	}
	for i := range out {
		t := &out[i]
		slices.SortFunc(t.Partitions, func(a, b Partition) int { return int(a.Partition) - int(b.Partition) })
		n := 0
		for _, p := range t.Partitions {
			n = max(n, len(p.Trend))
		}
		t.Trend = make([]float64, n)
		for _, p := range t.Partitions {
			off := n - len(p.Trend)
			for j, v := range p.Trend {
				t.Trend[off+j] += v
			}
		}
	}
	slices.SortFunc(out, func(a, b Topic) int {
		if a.Group != b.Group {
			return cmpStr(a.Group, b.Group)
		}
		return cmpStr(a.Topic, b.Topic)
	})
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Row is the headless (JSON) shape of `reltui lag`: one partition, or one
// group and topic when Partition is nil. LagSeconds is null when unknown.
type Row struct {
	Group       string   `json:"group"`
	Topic       string   `json:"topic"`
	Partition   *int32   `json:"partition,omitempty"`
	LagMessages float64  `json:"lag_messages"`
	LagSeconds  *float64 `json:"lag_seconds"`
	Method      Method   `json:"lag_seconds_method"`
	Status      Status   `json:"status"`
	// Reason is why the status was given; text output only.
	Reason string `json:"-"`
}

// Row turns a partition into its headless shape.
func (p Partition) Row() Row {
	n := p.Partition
	return Row{Group: p.Group, Topic: p.Topic, Partition: &n, LagMessages: p.LagMessages,
		LagSeconds: finite(p.LagSeconds), Method: p.Method, Status: p.Verdict.Status, Reason: p.Verdict.Reason}
}

// Row turns a topic into its headless shape, without a partition.
func (t Topic) Row() Row {
	reason := ""
	for _, p := range t.Partitions {
		if p.Verdict.Status == t.Status {
			reason = "partition " + strconv.Itoa(int(p.Partition)) + ": " + p.Verdict.Reason
			break
		}
	}
	return Row{Group: t.Group, Topic: t.Topic, LagMessages: t.LagMessages, LagSeconds: finite(t.LagSeconds),
		Method: t.Method, Status: t.Status, Reason: reason}
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
