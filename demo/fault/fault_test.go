package fault

import (
	"errors"
	"strings"
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
	b.Inject(Errors, t0.Add(30*time.Second), time.Minute) // a second window, ending later
	if !b.IsActive(Errors, t0.Add(80*time.Second)) {
		t.Fatal("the second inject's window did not keep the kind active")
	}
	b.Clear(Errors, t0.Add(81*time.Second))
	if b.IsActive(Errors, t0.Add(82*time.Second)) {
		t.Fatal("Clear did not end a manual fault")
	}
}

// Two tests inject the same kind with overlapping windows; each ends only
// its own, and the kind stays in force until the other's window is over.
func TestBoardOverlappingInjectsAreOwned(t *testing.T) {
	b, err := NewBoard(nil)
	if err != nil {
		t.Fatal(err)
	}
	long, err := b.Inject(Latency, t0, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	short, err := b.Inject(Latency, t0.Add(time.Minute), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if long.ID == "" || short.ID == "" || long.ID == short.ID {
		t.Fatalf("IDs %q and %q: want two distinct non-empty IDs", long.ID, short.ID)
	}
	// The shorter, later inject neither replaces nor shortens the first.
	at := t0.Add(3 * time.Minute)
	if got := b.Active(at); len(got) != 1 || got[0].ID != long.ID {
		t.Fatalf("after the short window is over: active %+v, want the long window %s", got, long.ID)
	}
	// Both in force: Active shows one window per kind, the one ending last.
	mid := t0.Add(90 * time.Second)
	if got := b.Active(mid); len(got) != 1 || got[0].ID != long.ID {
		t.Fatalf("both in force: active %+v, want only %s", got, long.ID)
	}
	if got := b.Manual(mid); len(got) != 2 || got[0].ID != long.ID || got[1].ID != short.ID {
		t.Fatalf("Manual = %+v, want both windows in start order", got)
	}
	// The long window's owner ends it: the short one keeps the kind active.
	ended, err := b.End(long.ID, mid)
	if err != nil {
		t.Fatal(err)
	}
	if ended.ID != long.ID || !ended.End.Equal(mid) || ended.Kind != Latency {
		t.Fatalf("End returned %+v", ended)
	}
	if got := b.Active(mid.Add(time.Second)); len(got) != 1 || got[0].ID != short.ID {
		t.Fatalf("after ending %s: active %+v, want %s still in force", long.ID, got, short.ID)
	}
	if b.IsActive(Latency, short.End) {
		t.Fatal("kind active after the remaining window's end")
	}
	// Ending it twice fails, and so does ending a window that is over.
	if _, err := b.End(long.ID, mid.Add(time.Second)); !errors.Is(err, ErrUnknownWindow) {
		t.Fatalf("second End: %v", err)
	}
	if _, err := b.End(short.ID, short.End); !errors.Is(err, ErrUnknownWindow) || !strings.Contains(err.Error(), "over") {
		t.Fatalf("End after the window was over: %v", err)
	}
}

func TestBoardEndUnknown(t *testing.T) {
	b, err := NewBoard(nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := b.Inject(Stall, t0, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"", "nope", w.ID + "0"} {
		if _, err := b.End(id, t0.Add(time.Second)); !errors.Is(err, ErrUnknownWindow) {
			t.Errorf("End(%q) = %v, want ErrUnknownWindow", id, err)
		}
	}
	if !b.IsActive(Stall, t0.Add(time.Second)) {
		t.Fatal("a failed End ended the real window")
	}
	// IDs are unique per board and differ between boards.
	b2, err := NewBoard(nil)
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := b2.Inject(Stall, t0, time.Minute)
	if w2.ID == w.ID {
		t.Fatalf("two boards both issued %q", w.ID)
	}
	if _, err := b2.End(w.ID, t0.Add(time.Second)); !errors.Is(err, ErrUnknownWindow) {
		t.Fatalf("another board's ID ended a window: %v", err)
	}
}

// Clear is the person's "stop this kind": every manual window of the kind,
// whoever injected it, and the scheduled one in progress.
func TestBoardClearEndsAllOfAKind(t *testing.T) {
	s := DefaultSchedule(t0, 5)
	b, err := NewBoard(&s)
	if err != nil {
		t.Fatal(err)
	}
	sw := s.Between(t0, t0.Add(time.Hour))[0]
	in := sw.Start.Add(10 * time.Second)
	a, _ := b.Inject(sw.Kind, in, 10*time.Minute)
	c, _ := b.Inject(sw.Kind, in, 20*time.Minute)
	other := Stall
	if sw.Kind == Stall {
		other = Errors
	}
	o, _ := b.Inject(other, in, 10*time.Minute)
	b.Clear(sw.Kind, in.Add(time.Second))
	after := in.Add(2 * time.Second)
	if b.IsActive(sw.Kind, after) || b.IsActive(sw.Kind, sw.End.Add(-time.Second)) {
		t.Fatalf("%s still active after Clear: %+v", sw.Kind, b.Active(after))
	}
	for _, id := range []string{a.ID, c.ID} {
		if _, err := b.End(id, after); !errors.Is(err, ErrUnknownWindow) {
			t.Errorf("window %s survived Clear: End = %v", id, err)
		}
	}
	if got := b.Active(after); len(got) != 1 || got[0].ID != o.ID {
		t.Fatalf("Clear(%s) touched %s: active %+v", sw.Kind, other, got)
	}
}

// End touches only the window it names: a scheduled fault of the same kind
// in progress stays, and Active shows it once the manual window is gone.
func TestBoardEndLeavesScheduled(t *testing.T) {
	s := DefaultSchedule(t0, 9)
	b, err := NewBoard(&s)
	if err != nil {
		t.Fatal(err)
	}
	sw := s.Between(t0, t0.Add(time.Hour))[0]
	in := sw.Start.Add(10 * time.Second)
	m, err := b.Inject(sw.Kind, in, sw.End.Sub(in)+time.Minute) // outlasts the scheduled one
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Active(in); len(got) != 1 || got[0].ID != m.ID {
		t.Fatalf("active %+v, want the manual window, which ends last", got)
	}
	if _, err := b.End(m.ID, in.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	got := b.Active(in.Add(2 * time.Second))
	if len(got) != 1 || got[0] != sw {
		t.Fatalf("after End: active %+v, want the scheduled %+v", got, sw)
	}
	if sw.ID != "" {
		t.Fatalf("scheduled window has ID %q", sw.ID)
	}
	// A manual window ending before the scheduled one: Active shows the
	// scheduled one, which ends last, and the kind outlives the manual window.
	short, _ := b.Inject(sw.Kind, in.Add(3*time.Second), 5*time.Second)
	if got := b.Active(in.Add(4 * time.Second)); len(got) != 1 || got[0] != sw {
		t.Fatalf("active %+v, want the scheduled window ending last", got)
	}
	if !b.IsActive(sw.Kind, short.End.Add(time.Second)) {
		t.Fatal("scheduled fault ended with the manual one")
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
