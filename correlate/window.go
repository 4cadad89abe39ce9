package correlate

import (
	"fmt"
	"time"
)

// DefaultPad is how far the window reaches either side of what was found.
const DefaultPad = 5 * time.Minute

// widenFactor is how much longer the window gets when nothing was found
// in it: the window grows backwards to this many times its length, since
// an ID someone pastes is nearly always from the past.
const widenFactor = 4

// Window is a time range, From inclusive and To exclusive.
type Window struct {
	From, To time.Time
}

// Padded returns w grown by d on both sides.
func (w Window) Padded(d time.Duration) Window {
	return Window{From: w.From.Add(-d), To: w.To.Add(d)}
}

// Covers reports whether o lies inside w.
func (w Window) Covers(o Window) bool {
	return !o.From.Before(w.From) && !o.To.After(w.To)
}

// Union is the smallest window holding both; a zero window is ignored.
func (w Window) Union(o Window) Window {
	if w.IsZero() {
		return o
	}
	if o.IsZero() {
		return w
	}
	if o.From.Before(w.From) {
		w.From = o.From
	}
	if o.To.After(w.To) {
		w.To = o.To
	}
	return w
}

// IsZero reports whether w is unset.
func (w Window) IsZero() bool { return w.From.IsZero() && w.To.IsZero() }

// Len is the window's length.
func (w Window) Len() time.Duration { return w.To.Sub(w.From) }

// Widened is the window searched when nothing was found in w: it ends
// where w ends and is widenFactor times as long.
func (w Window) Widened() Window {
	return Window{From: w.To.Add(-widenFactor * w.Len()), To: w.To}
}

// String renders the window in UTC, the date once when both ends share it:
// "2026-11-22 07:40:05 – 08:51:10 UTC (1h11m)".
func (w Window) String() string {
	f, t := w.From.UTC(), w.To.UTC()
	to := t.Format("2006-01-02 15:04:05")
	if f.Format("20060102") == t.Format("20060102") {
		to = t.Format("15:04:05")
	}
	return fmt.Sprintf("%s – %s UTC (%s)", f.Format("2006-01-02 15:04:05"), to, shortDuration(w.Len()))
}

// shortDuration renders 1h11m, 5m, 24h, 3d2h.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 48*time.Hour:
		days := d / (24 * time.Hour)
		h := (d % (24 * time.Hour)) / time.Hour
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, h)
	case d >= time.Hour:
		m := (d % time.Hour) / time.Minute
		if m == 0 {
			return fmt.Sprintf("%dh", d/time.Hour)
		}
		return fmt.Sprintf("%dh%dm", d/time.Hour, m)
	case d >= time.Minute:
		s := (d % time.Minute) / time.Second
		if s == 0 {
			return fmt.Sprintf("%dm", d/time.Minute)
		}
		return fmt.Sprintf("%dm%ds", d/time.Minute, s)
	}
	return d.String()
}
