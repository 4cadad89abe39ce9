// Package lag turns Kafka consumer offsets into what an on-call person
// asks: how far behind in time is the consumer, and is it healthy? The
// first is lag in seconds by interpolating the producer's offset history;
// the second is Burrow's partition status rules. Both are pure functions
// over observations the caller collected (from Prometheus or a Kafka admin
// client).
package lag

import (
	"math"
	"slices"
	"time"
)

// OffsetSample is the producer's log-end offset of a partition at a moment.
type OffsetSample struct {
	Time   time.Time
	Offset float64
}

// Method says how a lag in seconds was worked out.
type Method string

// Methods, from the most to the least trustworthy.
const (
	// MethodInterpolated found the moment the producer was at the
	// consumer's offset inside the producer's offset history.
	MethodInterpolated Method = "interpolated"
	// MethodRate divided the lag in messages by the consume rate, because
	// the history does not reach back to the consumer's offset.
	MethodRate Method = "rate"
	// MethodUnknown means neither was possible; Seconds is NaN.
	MethodUnknown Method = "unknown"
)

// Input is what Seconds needs for one partition.
type Input struct {
	// Producer is the log-end offset history, in any order.
	Producer []OffsetSample
	// Committed is the consumer group's committed offset: the next
	// message it will read.
	Committed float64
	// ConsumeRate is the consumer's recent throughput in messages per
	// second, used only for the rate fallback; zero or less if unknown.
	ConsumeRate float64
	Now         time.Time
}

// Estimate is a partition's lag.
type Estimate struct {
	// Messages is the latest producer offset minus the committed offset
	// (never negative).
	Messages float64
	// Seconds is how long ago the oldest unread message was produced; NaN
	// when Method is MethodUnknown.
	Seconds float64
	Method  Method
}

// Seconds estimates how far behind in time a consumer is. Lag in messages
// says little on its own (a million messages is a second on a busy topic
// and a week on a quiet one); lag in seconds is the age of the oldest
// message the consumer has not read.
//
// That message has offset Committed and was produced when the producer's
// log-end offset moved past Committed. Seconds finds that moment by linear
// interpolation between the last sample at or below Committed and the next
// one above it (the latest such pair, so a partition that sat idle at that
// offset is measured from when it stopped being idle). When the history
// starts after that moment, it falls back to Messages ÷ ConsumeRate, which
// assumes the consumer keeps its current pace.
//
// Producer samples that are NaN are dropped. If the producer offset ever
// goes down (the topic was recreated), only the samples after the last
// drop are used, since the earlier ones describe another log.
func Seconds(in Input) Estimate {
	h := cleanHistory(in.Producer)
	if len(h) == 0 || math.IsNaN(in.Committed) {
		return Estimate{Messages: math.NaN(), Seconds: math.NaN(), Method: MethodUnknown}
	}
	head := h[len(h)-1]
	est := Estimate{Messages: math.Max(head.Offset-in.Committed, 0)}
	if est.Messages == 0 {
		est.Method = MethodInterpolated // caught up: the oldest unread message does not exist yet
		return est
	}
	// First sample past the committed offset; the one before it (if any)
	// is the latest sample at or below it.
	i, _ := slices.BinarySearchFunc(h, in.Committed, func(s OffsetSample, c float64) int {
		if s.Offset <= c {
			return -1
		}
		return 1
	})
	if i > 0 {
		a, b := h[i-1], h[i]
		frac := (in.Committed - a.Offset) / (b.Offset - a.Offset)
		at := a.Time.Add(time.Duration(frac * float64(b.Time.Sub(a.Time))))
		est.Seconds = math.Max(in.Now.Sub(at).Seconds(), 0)
		est.Method = MethodInterpolated
		return est
	}
	if in.ConsumeRate > 0 && !math.IsInf(in.ConsumeRate, 0) {
		est.Seconds = est.Messages / in.ConsumeRate
		est.Method = MethodRate
		return est
	}
	est.Seconds = math.NaN()
	est.Method = MethodUnknown
	return est
}

// cleanHistory sorts by time, drops NaNs and keeps the run after the last
// decrease, so offsets never go down and binary search is valid.
func cleanHistory(in []OffsetSample) []OffsetSample {
	h := make([]OffsetSample, 0, len(in))
	for _, s := range in {
		if !math.IsNaN(s.Offset) && !math.IsInf(s.Offset, 0) {
			h = append(h, s)
		}
	}
	slices.SortStableFunc(h, func(a, b OffsetSample) int { return a.Time.Compare(b.Time) })
	start := 0
	for i := 1; i < len(h); i++ {
		if h[i].Offset < h[i-1].Offset {
			start = i
		}
	}
	return h[start:]
}
