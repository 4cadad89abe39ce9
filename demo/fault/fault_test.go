package fault

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

func TestScheduleShape(t *testing.T) {
	s := DefaultSchedule(t0, 42)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	ws := s.Between(t0, t0.Add(6*time.Hour))
	perKind := map[Kind][]Window{}
	for i, w := range ws {
		perKind[w.Kind] = append(perKind[w.Kind], w)
		if l := w.End.Sub(w.Start); l < 2*time.Minute || l > 3*time.Minute {
			t.Errorf("%s window %d lasts %v", w.Kind, i, l)
		}
		if i > 0 && w.Start.Before(ws[i-1].End) {
			t.Errorf("%s at %v overlaps %s ending %v", w.Kind, w.Start, ws[i-1].Kind, ws[i-1].End)
		}
		if w.Source != Scheduled {
			t.Errorf("source %q", w.Source)
		}
	}
	if ws[0].Start.Before(t0.Add(2 * time.Minute)) {
		t.Errorf("first fault at %v, want a healthy baseline first", ws[0].Start.Sub(t0))
	}
	for _, k := range Kinds() {
		got := perKind[k]
		if len(got) < 17 || len(got) > 19 {
			t.Errorf("%s: %d windows in 6h, want ~18", k, len(got))
		}
		for i := 1; i < len(got); i++ {
			if gap := got[i].Start.Sub(got[i-1].Start); gap < 18*time.Minute || gap > 22*time.Minute {
				t.Errorf("%s: occurrences %v apart", k, gap)
			}
		}
	}
	// Jitter is real: not every window starts on the grid.
	if ws[0].Start.Sub(t0)%time.Minute == 0 && ws[1].Start.Sub(t0)%time.Minute == 0 && ws[2].Start.Sub(t0)%time.Minute == 0 {
		t.Error("no jitter in the schedule")
	}
}

func TestScheduleIsPure(t *testing.T) {
	s := DefaultSchedule(t0, 7)
	all := s.Between(t0, t0.Add(3*time.Hour))
	// A window seen from a later "now" is the same window.
	mid := all[5].Start.Add(time.Second)
	got := s.Between(mid, mid.Add(time.Nanosecond))
	if len(got) != 1 || got[0] != all[5] {
		t.Fatalf("window at %v: got %+v, want %+v", mid, got, all[5])
	}
	if other := DefaultSchedule(t0, 8).Between(t0, t0.Add(3*time.Hour)); other[0] == all[0] {
		t.Error("different seeds gave the same schedule")
	}
}

func TestValidateRejectsOverlap(t *testing.T) {
	s := DefaultSchedule(t0, 1)
	s.Period = 6 * time.Minute
	if s.Validate() == nil {
		t.Fatal("want an error for a period too short for three faults")
	}
	if _, err := NewBoard(&s); err == nil {
		t.Fatal("NewBoard accepted an invalid schedule")
	}
}

func TestBoardScheduledAndManual(t *testing.T) {
	s := DefaultSchedule(t0, 3)
	b, err := NewBoard(&s)
	if err != nil {
		t.Fatal(err)
	}
	ws := s.Between(t0, t0.Add(time.Hour))
	first := ws[0]
	if got := b.Active(first.Start.Add(-time.Second)); len(got) != 0 {
		t.Fatalf("active before first window: %+v", got)
	}
	in := first.Start.Add(30 * time.Second)
	if !b.IsActive(first.Kind, in) || len(b.Active(in)) != 1 {
		t.Fatalf("want %s active at %v, got %+v", first.Kind, in, b.Active(in))
	}
	if b.IsActive(first.Kind, first.End) {
		t.Fatal("window end is exclusive")
	}

	// A manual fault of another kind adds to the scheduled one.
	other := Stall
	if first.Kind == Stall {
		other = Latency
	}
	w, err := b.Inject(other, in, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if w.Source != Manual || !w.End.Equal(in.Add(2*time.Minute)) {
		t.Fatalf("Inject returned %+v", w)
	}
	if got := b.Active(in.Add(time.Second)); len(got) != 2 {
		t.Fatalf("want 2 active, got %+v", got)
	}
	if b.IsActive(other, in.Add(2*time.Minute)) {
		t.Fatal("manual fault outlived its duration")
	}

	// Clear ends the scheduled one now, but not its next occurrence.
	b.Clear(first.Kind, in)
	if b.IsActive(first.Kind, in.Add(time.Second)) {
		t.Fatal("scheduled fault still active after Clear")
	}
	var next Window
	for _, w := range ws[1:] {
		if w.Kind == first.Kind {
			next = w
			break
		}
	}
	if !b.IsActive(first.Kind, next.Start.Add(time.Second)) {
		t.Fatal("Clear suppressed the next occurrence too")
	}
	if up := b.Upcoming(in); len(up) == 0 || !up[0].Start.After(in) {
		t.Fatalf("Upcoming = %+v", up)
	}
}

func TestBoardManualOnly(t *testing.T) {
	b, err := NewBoard(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Active(t0)) != 0 || len(b.Upcoming(t0)) != 0 {
		t.Fatal("board without schedule has faults")
	}
	if _, err := b.Inject("meteor", t0, time.Minute); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, err := b.Inject(Errors, t0, 0); err == nil {
		t.Fatal("zero duration accepted")
	}
	b.Inject(Errors, t0, time.Minute)
	b.Inject(Errors, t0.Add(30*time.Second), time.Minute) // extends
	if !b.IsActive(Errors, t0.Add(80*time.Second)) {
		t.Fatal("re-inject did not replace the window")
	}
	b.Clear(Errors, t0.Add(81*time.Second))
	if b.IsActive(Errors, t0.Add(82*time.Second)) {
		t.Fatal("Clear did not end a manual fault")
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := ParseKind("Latency"); err == nil {
		t.Error("kinds are case-sensitive")
	}
}
