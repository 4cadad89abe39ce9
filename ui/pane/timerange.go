package pane

import "time"

// Range is the time range the root gave a pane (RangeMsg, SetRange),
// kept as given and resolved to a window when a request starts. The zero
// value is a range not given yet.
type Range struct {
	from, to time.Time
	live     bool
	set      bool
}

// Set keeps the range from–to; live means it ends when it is resolved
// and keeps its length.
func (r *Range) Set(from, to time.Time, live bool) {
	r.from, r.to, r.live, r.set = from, to, live, true
}

// Window is the range resolved at now: as set, or for a live range its
// length ending now, or before any range is set the last def ending now.
func (r Range) Window(now time.Time, def time.Duration) (from, to time.Time) {
	switch {
	case !r.set:
		return now.Add(-def), now
	case r.live:
		return now.Add(-r.to.Sub(r.from)), now
	}
	return r.from, r.to
}
