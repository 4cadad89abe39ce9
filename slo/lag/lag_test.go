package lag

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// producer wrote 100 messages in the first minute and 200 in the second.
var producer = []OffsetSample{{at(0), 100}, {at(60), 200}, {at(120), 400}}

func TestSecondsInterpolated(t *testing.T) {
	now := at(180)
	for _, tc := range []struct {
		name      string
		committed float64
		messages  float64
		seconds   float64
	}{
		// The producer was at 200 at 60s exactly: 180-60.
		{"exact sample", 200, 200, 120},
		// Half way from 200 (60s) to 400 (120s) is 90s: 180-90.
		{"between samples", 300, 100, 90},
		// Half way from 100 (0s) to 200 (60s) is 30s: 180-30.
		{"first interval", 150, 250, 150},
		// At the head: nothing unread.
		{"caught up", 400, 0, 0},
		// Committed past the last sample (history is a scrape behind).
		{"ahead of history", 450, 0, 0},
	} {
		got := Seconds(Input{Producer: producer, Committed: tc.committed, Now: now})
		if got.Method != MethodInterpolated || got.Messages != tc.messages || math.Abs(got.Seconds-tc.seconds) > 1e-9 {
			t.Errorf("%s: %+v, want %v messages, %vs, interpolated", tc.name, got, tc.messages, tc.seconds)
		}
	}
}

func TestSecondsPlateauUsesLastIdleSample(t *testing.T) {
	// Idle at 100 until 60s; message 100 was written after 60s, so it is
	// at most 120s old at 180s, not 180s.
	h := []OffsetSample{{at(0), 100}, {at(60), 100}, {at(120), 200}}
	got := Seconds(Input{Producer: h, Committed: 100, Now: at(180)})
	if got.Method != MethodInterpolated || got.Seconds != 120 {
		t.Errorf("%+v, want 120s interpolated", got)
	}
}

func TestSecondsCleansHistory(t *testing.T) {
	// Out of order, with a NaN scrape and an older log before the topic was
	// recreated at 60s: only (60s, 100) and (120s, 200) count.
	h := []OffsetSample{{at(120), 200}, {at(30), math.NaN()}, {at(0), 5000}, {at(60), 100}}
	got := Seconds(Input{Producer: h, Committed: 150, Now: at(180)})
	// Half way from 100 (60s) to 200 (120s) is 90s: 180-90.
	if got.Method != MethodInterpolated || got.Seconds != 90 || got.Messages != 50 {
		t.Errorf("%+v, want 90s and 50 messages", got)
	}
}

func TestSecondsRateFallback(t *testing.T) {
	// Committed 50 is older than the history: 350 messages behind at 10/s.
	got := Seconds(Input{Producer: producer, Committed: 50, ConsumeRate: 10, Now: at(180)})
	if got.Method != MethodRate || got.Messages != 350 || got.Seconds != 35 {
		t.Errorf("%+v, want 35s by rate", got)
	}
	got = Seconds(Input{Producer: producer, Committed: 50, Now: at(180)})
	if got.Method != MethodUnknown || !math.IsNaN(got.Seconds) || got.Messages != 350 {
		t.Errorf("%+v, want unknown seconds and 350 messages", got)
	}
	got = Seconds(Input{Committed: 50, ConsumeRate: 10, Now: at(180)})
	if got.Method != MethodUnknown {
		t.Errorf("no history: %+v, want unknown", got)
	}
}

// commits builds a window with one commit a minute.
func commits(offsets, lags []int64) []Commit {
	out := make([]Commit, len(offsets))
	for i := range offsets {
		out[i] = Commit{Time: at(60 * i), Offset: offsets[i], Lag: lags[i]}
	}
	return out
}

func TestPartitionStatus(t *testing.T) {
	// Five commits span 0..240s; at 270s the last one is 30s old.
	soon := at(270)
	for _, tc := range []struct {
		name    string
		commits []Commit
		current int64
		now     time.Time
		want    Status
		reason  string
	}{
		{"catching up", commits([]int64{100, 200, 300, 400, 500}, []int64{50, 40, 30, 20, 10}), 10, soon, StatusOK, "shrinking"},
		{"no lag now", commits([]int64{100, 100, 100, 100, 100}, []int64{10, 20, 30, 40, 50}), 0, soon, StatusOK, "no lag now"},
		{"zero lag in window", commits([]int64{100, 200, 300, 400, 500}, []int64{5, 0, 5, 10, 20}), 20, soon, StatusOK, "zero"},
		{"negative lag counts as zero", commits([]int64{100, 200, 300, 400, 500}, []int64{5, -3, 5, 10, 20}), 20, soon, StatusOK, "zero"},
		{"falling behind", commits([]int64{100, 200, 300, 400, 500}, []int64{10, 20, 20, 30, 40}), 40, soon, StatusWarn, "10 → 40"},
		{"stuck on a message", commits([]int64{100, 100, 100, 100, 100}, []int64{10, 20, 30, 40, 50}), 50, soon, StatusStall, "offset 100"},
		// Idle 300s > the 240s the commits span.
		{"gone quiet", commits([]int64{100, 200, 300, 400, 500}, []int64{50, 40, 30, 20, 10}), 10, at(540), StatusStop, "no commit for 5m0s"},
		// Burrow checks STOP before the zero-lag rule: an old zero says nothing about now.
		{"gone quiet after zero lag", commits([]int64{100, 200, 300, 400, 500}, []int64{0, 0, 0, 0, 0}), 10, at(540), StatusStop, "longer than the 4m0s"},
		{"rewound", commits([]int64{100, 200, 50, 60, 70}, []int64{10, 10, 160, 150, 140}), 140, soon, StatusRewind, "from 200 to 50"},
		// Back past 200 after the rewind: a rebalance re-committed an old offset.
		{"rewind recovered", commits([]int64{100, 200, 150, 250, 300}, []int64{10, 10, 60, 20, 15}), 15, soon, StatusOK, "shrinking"},
		{"second rewind not recovered", commits([]int64{100, 200, 150, 250, 120}, []int64{10, 10, 60, 20, 150}), 150, soon, StatusRewind, "from 250 to 120"},
		{"one commit", commits([]int64{100}, []int64{10}), 10, soon, StatusErr, "at least 2"},
		{"negative offset", commits([]int64{100, -1}, []int64{10, 10}), 10, soon, StatusErr, "negative offset"},
		{"out of order", []Commit{{at(60), 100, 1}, {at(0), 200, 1}}, 1, soon, StatusErr, "older"},
		{"from the future", commits([]int64{100, 200}, []int64{1, 1}), 1, at(30), StatusErr, "future"},
	} {
		v := PartitionStatus(tc.commits, tc.current, tc.now)
		if v.Status != tc.want || !strings.Contains(v.Reason, tc.reason) {
			t.Errorf("%s: %+v, want %s with %q in the reason", tc.name, v, tc.want, tc.reason)
		}
	}
}

// Property: for a producer writing at a steady rate, interpolation gives
// the exact age of the committed offset, wherever the samples fall.
func TestSecondsSteadyProducer(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		rate := 1 + rng.Float64()*1000 // messages per second
		var h []OffsetSample
		for sec := 0; sec <= 3600; sec += 1 + rng.IntN(120) {
			h = append(h, OffsetSample{at(sec), rate * float64(sec)})
		}
		last := h[len(h)-1]
		committed := rng.Float64() * last.Offset
		now := last.Time.Add(time.Duration(rng.IntN(60)) * time.Second)
		want := now.Sub(t0).Seconds() - committed/rate
		got := Seconds(Input{Producer: h, Committed: committed, Now: now})
		if got.Method != MethodInterpolated || math.Abs(got.Seconds-want) > 1e-6 {
			t.Fatalf("rate %v committed %v: %+v, want %vs", rate, committed, got, want)
		}
	}
}
