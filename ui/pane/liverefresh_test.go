package pane

import "testing"

func TestLiveRefreshFollowsShowAndHide(t *testing.T) {
	var l LiveRefresh
	gen, ok := l.Arm()
	if !ok || gen != 1 || !l.Fire(gen) {
		t.Fatalf("a shown pane: Arm = %d, %v; its tick must refresh", gen, ok)
	}
	stale := gen
	gen, _ = l.Arm()
	if l.Fire(stale) {
		t.Fatal("a timer armed before the last Arm refreshed")
	}
	if back, due := l.Visible(VisibleMsg{Visible: true}); back || due {
		t.Fatalf("shown while shown: back %v due %v", back, due)
	}

	// Hidden: the timer's tick refreshes nothing, notes the refresh due,
	// and no new timer is armed.
	l.Visible(VisibleMsg{})
	if l.Fire(gen) || !l.Due() || !l.Hidden() {
		t.Fatalf("a hidden pane's tick: due %v hidden %v", l.Due(), l.Hidden())
	}
	if g, ok := l.Arm(); ok || g != gen+1 || !l.Due() {
		t.Fatalf("Arm while hidden = %d, %v (due %v); want no timer and the refresh still due", g, ok, l.Due())
	}
	if back, due := l.Visible(VisibleMsg{Visible: true}); !back || !due || l.Due() || l.Hidden() {
		t.Fatalf("shown again: back %v due %v, then due %v hidden %v", back, due, l.Due(), l.Hidden())
	}

	// Hidden and shown with no tick between: back, nothing due.
	l.Visible(VisibleMsg{})
	if back, due := l.Visible(VisibleMsg{Visible: true}); !back || due {
		t.Fatalf("no tick while hidden: back %v due %v", back, due)
	}

	// A stale timer firing while hidden is not a due refresh.
	l.Visible(VisibleMsg{})
	if l.Fire(l.Gen()-1) || l.Due() {
		t.Fatal("a stale timer's tick made a refresh due")
	}
}
