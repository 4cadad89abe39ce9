package slo

import (
	"time"
	// OpenSLO calendar windows name IANA time zones; embedding the
	// database (about 450 KB) keeps them readable in a container image
	// that has no /usr/share/zoneinfo.
	_ "time/tzdata"
)

// step returns the start of the period n periods after Start.
func (c CalendarWindow) step(n int) time.Time {
	count := max(c.Count, 1) * n
	switch c.Unit {
	case "week":
		return c.Start.AddDate(0, 0, 7*count)
	case "month":
		return c.Start.AddDate(0, count, 0)
	case "quarter":
		return c.Start.AddDate(0, 3*count, 0)
	case "year":
		return c.Start.AddDate(count, 0, 0)
	}
	return c.Start.AddDate(0, 0, count)
}

// PeriodStart is when the calendar period holding at began: Start moved
// by whole periods (calendar months, not 30 days) in Start's location. The
// budget of a calendar-aligned SLO is spent from there, not over a
// trailing window.
func (c CalendarWindow) PeriodStart(at time.Time) time.Time {
	// An estimate from the nominal length, then corrected by whole steps,
	// keeps this cheap for a Start years away.
	nominal := map[string]time.Duration{"week": 7 * Day, "month": 30 * Day, "quarter": 91 * Day, "year": 365 * Day}[c.Unit]
	if nominal == 0 {
		nominal = Day
	}
	n := int(at.Sub(c.Start) / (nominal * time.Duration(max(c.Count, 1))))
	for c.step(n).After(at) {
		n--
	}
	for !c.step(n + 1).After(at) {
		n++
	}
	return c.step(n)
}

// BudgetSpan is how far back from at the SLO's budget is measured: the
// window for a rolling SLO; for a calendar-aligned one, the time since
// its current period began (at least a minute, so the range is a valid
// PromQL range), so the budget restarts with each period.
func (s SLO) BudgetSpan(at time.Time) time.Duration {
	if s.Calendar == nil {
		return s.Window
	}
	return max(time.Minute, at.Sub(s.Calendar.PeriodStart(at)).Truncate(time.Second))
}
