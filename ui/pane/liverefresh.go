package pane

// LiveRefresh is the part of a live pane's periodic refresh that follows
// the root showing and hiding the pane (VisibleMsg): the refresh timer
// runs only while the pane is shown; a timer that fires while it is
// hidden refreshes nothing and notes that a refresh fell due; shown
// again, the pane refreshes at once when one fell due (or its data is
// older than one cadence, which the pane judges), else re-arms.
//
// Timers are numbered: Arm makes every timer armed before it stale, so a
// range change or a new chart replaces the timer without cancelling it.
// The pane builds the timer's Cmd itself (Tick, or a test's ticker) with
// the generation Arm gives, and passes the generation back to Fire.
//
// The zero value is a shown pane with no timer armed. It is part of the
// pane's model and only touched from Update.
type LiveRefresh struct {
	gen    int
	hidden bool
	due    bool
}

// Arm makes every timer armed before stale and returns the generation the
// new timer's tick must carry, and whether to arm it: not while the pane
// is hidden.
func (l *LiveRefresh) Arm() (gen int, ok bool) {
	l.gen++
	return l.gen, !l.hidden
}

// Fire takes the tick of the timer armed as gen and reports whether the
// pane refreshes now: not for a stale timer, and not while the pane is
// hidden; then the refresh is noted as due, for Visible.
func (l *LiveRefresh) Fire(gen int) bool {
	if gen != l.gen {
		return false
	}
	if l.hidden {
		l.due = true
		return false
	}
	return true
}

// Visible follows the root showing or hiding the pane. back reports that
// the pane was hidden and is shown again: it should then refresh at once
// when due (a timer fired while it was hidden) or its data is older than
// one cadence, and otherwise re-arm. Being shown again clears due.
func (l *LiveRefresh) Visible(v VisibleMsg) (back, due bool) {
	if !v.Visible {
		l.hidden = true
		return false, false
	}
	back, due = l.hidden, l.due
	l.hidden, l.due = false, false
	return back, due
}

// Hidden reports whether the root hid the pane.
func (l *LiveRefresh) Hidden() bool { return l.hidden }

// Due reports whether a timer fired while the pane is hidden.
func (l *LiveRefresh) Due() bool { return l.due }

// Gen is the generation of the latest timer (0 before the first Arm).
func (l *LiveRefresh) Gen() int { return l.gen }
