package incidents

import "time"

// ChangeLead is how long before an incident's start its change window
// begins: the deploy that caused it usually came shortly before.
const ChangeLead = time.Hour

// ChangeWindow is the window an incident's deploys and config changes
// are read over (the console's timeline, `incident show`): ChangeLead
// before it started until it was resolved, or until now. ok is false
// for an incident with no start.
func ChangeWindow(inc Incident, now time.Time) (from, to time.Time, ok bool) {
	st := inc.Milestones.Started
	if st.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	to = inc.Milestones.Resolved
	if to.IsZero() || to.After(now) {
		to = now
	}
	from = st.Add(-ChangeLead)
	return from, to, from.Before(to)
}
