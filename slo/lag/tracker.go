package lag

import (
	"math"
	"time"
)

// Offsets is one partition's offsets read at one moment by a Kafka admin
// client: the group's committed offset (-1 when the group has none) and
// the partition's log-end offset.
type Offsets struct {
	Group     string
	Topic     string
	Partition int32
	Committed int64
	End       int64
}

// Snapshot is every partition's offsets read at one moment.
type Snapshot struct {
	Time    time.Time
	Offsets []Offsets
}

// Tracker keeps the recent snapshots a direct Kafka source takes, so that
// lag in seconds can be interpolated from the log-end offset history and
// Burrow's rules see a window of commits, as they do from Prometheus.
// A Tracker is not safe for concurrent use.
type Tracker struct {
	// Window is the commit history Burrow's rules judge.
	Window time.Duration
	// Keep is how long log-end offsets are kept for interpolating lag in
	// seconds; it must reach back to when a stuck consumer's offset was
	// produced, so it is longer than Window (KeepFactor×Window when zero).
	Keep  time.Duration
	snaps []Snapshot
}

// KeepFactor is Keep's default as a multiple of Window.
const KeepFactor = 4

func (t *Tracker) keep() time.Duration {
	if t.Keep > 0 {
		return max(t.Keep, t.Window)
	}
	return KeepFactor * t.Window
}

// Add records a snapshot and forgets those older than Keep before it.
func (t *Tracker) Add(s Snapshot) {
	t.snaps = append(t.snaps, s)
	i := 0
	for i < len(t.snaps)-1 && s.Time.Sub(t.snaps[i].Time) > t.keep() {
		i++
	}
	t.snaps = t.snaps[i:]
}

// Len is how many snapshots are kept.
func (t *Tracker) Len() int { return len(t.snaps) }

// Partitions evaluates every partition of the newest snapshot at now.
func (t *Tracker) Partitions(now time.Time) []Partition {
	if len(t.snaps) == 0 {
		return nil
	}
	type key struct {
		g, t string
		p    int32
	}
	hist := map[key]*History{}
	produced := map[[2]any][]OffsetSample{}
	for _, s := range t.snaps {
		seenTP := map[[2]any]bool{}
		for _, o := range s.Offsets {
			tp := [2]any{o.Topic, o.Partition}
			if !seenTP[tp] {
				seenTP[tp] = true
				produced[tp] = append(produced[tp], OffsetSample{Time: s.Time, Offset: float64(o.End)})
			}
			if o.Committed < 0 || now.Sub(s.Time) > t.Window {
				continue
			}
			k := key{o.Group, o.Topic, o.Partition}
			h := hist[k]
			if h == nil {
				h = &History{Group: o.Group, Topic: o.Topic, Partition: o.Partition}
				hist[k] = h
			}
			h.Commits = append(h.Commits, Commit{Time: s.Time, Offset: o.Committed, Lag: o.End - o.Committed})
		}
	}
	newest := t.snaps[len(t.snaps)-1]
	var out []Partition
	for _, o := range newest.Offsets {
		h := hist[key{o.Group, o.Topic, o.Partition}]
		if h == nil {
			// A group with no commit on this partition: all of it is lag,
			// and its age cannot be told.
			out = append(out, Partition{Group: o.Group, Topic: o.Topic, Partition: o.Partition,
				LagMessages: float64(max(o.End, 0)), LagSeconds: math.NaN(), Method: MethodUnknown,
				Verdict: Verdict{StatusErr, "the group has committed no offset on this partition"}})
			continue
		}
		h.Committed, h.CurrentLag = float64(o.Committed), float64(max(o.End-o.Committed, 0))
		h.Produced = produced[[2]any{o.Topic, o.Partition}]
		out = append(out, Evaluate(*h, now))
	}
	SortPartitions(out)
	return out
}
