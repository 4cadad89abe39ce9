package ui

import (
	"fmt"
	"time"
)

// Presets are the spans zoom steps through, from 5m to 30d.
var presets = [...]time.Duration{
	5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour,
	12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour,
}

// TimeRange is the one range every pane shows. A zero End means live: the
// range ends now and moves with the clock.
type TimeRange struct {
	Span time.Duration
	End  time.Time
}

// LiveRange is a live range of the given span.
func LiveRange(span time.Duration) TimeRange { return TimeRange{Span: span} }

// Live reports whether the range follows the clock.
func (r TimeRange) Live() bool { return r.End.IsZero() }

// Bounds returns the range's start and end at now.
func (r TimeRange) Bounds(now time.Time) (time.Time, time.Time) {
	end := r.End
	if end.IsZero() {
		end = now
	}
	return end.Add(-r.Span), end
}

// Pan moves the range by half its span; dir < 0 is earlier. Panning past
// now snaps back to live.
func (r TimeRange) Pan(dir int, now time.Time) TimeRange {
	_, end := r.Bounds(now)
	end = end.Add(time.Duration(dir) * r.Span / 2)
	if !end.Before(now) {
		return TimeRange{Span: r.Span}
	}
	return TimeRange{Span: r.Span, End: end}
}

// Zoom steps to the next smaller (in) or larger preset span, keeping the
// end where it is.
func (r TimeRange) Zoom(in bool) TimeRange {
	i := 0
	for i < len(presets)-1 && presets[i] < r.Span {
		i++
	}
	switch {
	case in && presets[i] >= r.Span && i > 0:
		i--
	case !in && presets[i] <= r.Span && i < len(presets)-1:
		i++
	}
	r.Span = presets[i]
	return r
}

// Label renders the range for the header.
func (r TimeRange) Label(now time.Time) string {
	if r.Live() {
		return "last " + shortDur(r.Span) + " (live)"
	}
	from, to := r.Bounds(now)
	layout := "01-02 15:04"
	return fmt.Sprintf("%s → %s UTC (%s)", from.UTC().Format(layout), to.UTC().Format(layout), shortDur(r.Span))
}

// shortDur renders 90m as "1h30m" and 48h as "2d".
func shortDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0 && d > time.Hour:
		return fmt.Sprintf("%dh%dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.Round(time.Second).String()
}

// ageLabel renders how long ago t was, compactly: "3s", "4m", "2h".
func ageLabel(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// agoLabel is ageLabel as a phrase: "just now", "3s ago".
func agoLabel(now, t time.Time) string {
	a := ageLabel(now, t)
	if a == "now" {
		return "just now"
	}
	return a + " ago"
}
