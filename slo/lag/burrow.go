package lag

import (
	"fmt"
	"time"
)

// Status is Burrow's verdict on one partition of a consumer group.
type Status string

// Burrow's partition statuses.
const (
	StatusOK Status = "OK"
	// StatusWarn: offsets move but lag never shrinks; the consumer is
	// falling behind.
	StatusWarn Status = "WARN"
	// StatusStall: the consumer keeps committing the same offset while
	// there is lag; it is stuck on a message.
	StatusStall Status = "STALL"
	// StatusStop: the consumer stopped committing while there is lag.
	StatusStop Status = "STOP"
	// StatusRewind: the committed offset went backwards and has not come
	// back.
	StatusRewind Status = "REWIND"
	// StatusErr: the observations cannot be judged (see Verdict.Reason).
	StatusErr Status = "ERR"
)

// Commit is one committed offset of a partition and the lag (log-end
// offset minus committed offset) when it was seen. A negative lag, which
// happens when the log-end offset was fetched before the commit, counts as
// zero, as in Burrow.
type Commit struct {
	Time   time.Time
	Offset int64
	Lag    int64
}

// Verdict is a partition status and the rule that decided it.
type Verdict struct {
	Status Status
	Reason string
}

// PartitionStatus applies Burrow's consumer lag evaluation rules
// (github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules, and
// core/internal/evaluator/caching.go for the order) to a window of commits,
// oldest first, and the partition's current lag:
//
//  1. No current lag: OK, whatever the history says.
//  2. STOP when the time since the last commit is longer than the window
//     the commits span (last − first): the consumer went quiet.
//  3. REWIND when the offset went backwards and no later commit got back
//     to where it was. A rewind that recovered (rebalances re-commit old
//     offsets) is not held against the consumer.
//  4. OK if the lag was zero at any commit in the window.
//  5. STALL when every commit has the same offset.
//  6. WARN when offsets move but the lag never decreases from one commit
//     to the next.
//  7. Otherwise OK: the consumer is catching up.
//
// Deviations from Burrow, and why:
//   - Burrow waits to call a partition STOP while its recent broker offsets
//     show the consumer was caught up minutes ago; reltui has no broker
//     offset ring, so a partition that just received its first message
//     after a long idle spell can read STOP until the consumer commits.
//   - Burrow reports an incomplete window as OK; reltui says ERR with the
//     reason, because "OK" on one data point is a claim it cannot back.
//   - Burrow checks for a rewind only from the first decrease; reltui
//     checks every decrease, so a second, unrecovered rewind still shows.
//   - ERR here is also bad input (a negative offset, commits out of order
//     or in the future), which Burrow's storage never hands its evaluator.
func PartitionStatus(commits []Commit, currentLag int64, now time.Time) Verdict {
	if v, bad := checkInput(commits, now); bad {
		return v
	}
	currentLag = max(currentLag, 0)
	commits = clampLag(commits)
	if currentLag == 0 {
		return Verdict{StatusOK, "no lag now"}
	}
	first, last := commits[0], commits[len(commits)-1]
	if idle, span := now.Sub(last.Time), last.Time.Sub(first.Time); idle > span {
		return Verdict{StatusStop, fmt.Sprintf("no commit for %s, longer than the %s the window spans, with %d messages of lag", idle.Round(time.Second), span.Round(time.Second), currentLag)}
	}
	for i := 1; i < len(commits); i++ {
		if commits[i].Offset < commits[i-1].Offset && !recovered(commits[i+1:], commits[i-1].Offset) {
			return Verdict{StatusRewind, fmt.Sprintf("offset went back from %d to %d and has not returned", commits[i-1].Offset, commits[i].Offset)}
		}
	}
	for _, c := range commits {
		if c.Lag == 0 {
			return Verdict{StatusOK, "lag was zero within the window"}
		}
	}
	stalled, growing := true, true
	for i := 1; i < len(commits); i++ {
		stalled = stalled && commits[i].Offset == commits[i-1].Offset
		growing = growing && commits[i].Lag >= commits[i-1].Lag
	}
	switch {
	case stalled:
		return Verdict{StatusStall, fmt.Sprintf("committing offset %d over and over with %d messages of lag", last.Offset, currentLag)}
	case growing:
		return Verdict{StatusWarn, fmt.Sprintf("lag never shrank across the window (%d → %d) though offsets moved", first.Lag, last.Lag)}
	}
	return Verdict{StatusOK, "lag is shrinking"}
}

func recovered(after []Commit, offset int64) bool {
	for _, c := range after {
		if c.Offset >= offset {
			return true
		}
	}
	return false
}

func clampLag(commits []Commit) []Commit {
	out := make([]Commit, len(commits))
	for i, c := range commits {
		c.Lag = max(c.Lag, 0)
		out[i] = c
	}
	return out
}

func checkInput(commits []Commit, now time.Time) (Verdict, bool) {
	if len(commits) < 2 {
		return Verdict{StatusErr, fmt.Sprintf("need at least 2 commits in the window, have %d", len(commits))}, true
	}
	for i, c := range commits {
		switch {
		case c.Offset < 0:
			return Verdict{StatusErr, fmt.Sprintf("commit %d has a negative offset (%d)", i, c.Offset)}, true
		case c.Time.After(now):
			return Verdict{StatusErr, fmt.Sprintf("commit %d is in the future", i)}, true
		case i > 0 && c.Time.Before(commits[i-1].Time):
			return Verdict{StatusErr, fmt.Sprintf("commit %d is older than the one before it", i)}, true
		}
	}
	return Verdict{}, false
}
