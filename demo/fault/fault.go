// Package fault decides which failures the simulated shop suffers and when:
// on a repeating schedule, so an unattended demo always has a recent
// incident to look at, and on demand, so a person can cause one and watch
// the console notice it.
//
// Everything takes the time as an argument, so the schedule is a pure
// function of (seed, origin, now) and tests need no clock.
package fault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kind is a failure mode.
type Kind string

// The failure modes the workload knows how to show.
const (
	// Latency makes the card gateway slow, so payments' p99 jumps by 1–2 s.
	Latency Kind = "latency"
	// Errors makes payments answer 5xx to about 30% of charges.
	Errors Kind = "errors"
	// Stall stops the orders consumer committing, so lag grows.
	Stall Kind = "stall"
)

// Kinds lists every failure mode in schedule order.
func Kinds() []Kind { return []Kind{Latency, Errors, Stall} }

// ParseKind accepts a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown fault %q (want latency, errors or stall)", s)
}

// Source says why a fault is active.
type Source string

// Fault sources.
const (
	Scheduled Source = "scheduled"
	Manual    Source = "manual"
)

// Window is one occurrence of a fault. A manual window has an ID, which
// whoever injected it uses to end just that window; scheduled windows have
// none.
type Window struct {
	ID     string    `json:"id,omitempty"`
	Kind   Kind      `json:"kind"`
	Source Source    `json:"source"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// Contains reports whether t falls in [Start, End).
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Start) && t.Before(w.End)
}

// Schedule repeats every kind once per Period, staggered so that two
// faults never overlap and each is seen on its own.
type Schedule struct {
	// Origin is when the workload started; the first fault comes FirstAfter
	// later, so there is a healthy baseline to compare against.
	Origin     time.Time
	FirstAfter time.Duration
	Period     time.Duration
	// MinLength and MaxLength bound how long each occurrence lasts.
	MinLength, MaxLength time.Duration
	// Jitter moves each start by up to ± this much, so the faults do not
	// land on a suspiciously exact grid.
	Jitter time.Duration
	Seed   uint64
}

// DefaultSchedule is one of each fault every 20 minutes, 2–3 minutes long.
func DefaultSchedule(origin time.Time, seed uint64) Schedule {
	return Schedule{
		Origin:     origin,
		FirstAfter: 3 * time.Minute,
		Period:     20 * time.Minute,
		MinLength:  2 * time.Minute,
		MaxLength:  3 * time.Minute,
		Jitter:     45 * time.Second,
		Seed:       seed,
	}
}

// Validate rejects a schedule whose occurrences could overlap.
func (s Schedule) Validate() error {
	slot := s.Period / time.Duration(len(Kinds()))
	switch {
	case s.Period <= 0 || s.MinLength <= 0 || s.MaxLength < s.MinLength || s.Jitter < 0:
		return errors.New("fault schedule: period and lengths must be positive")
	case s.MaxLength+2*s.Jitter >= slot:
		return fmt.Errorf("fault schedule: a %v period leaves %v per fault, too short for %v faults with ±%v jitter",
			s.Period, slot, s.MaxLength, s.Jitter)
	}
	return nil
}

// splitmix64 is a stateless hash; each occurrence's jitter and length are
// derived from (seed, kind, n) so any window can be computed directly.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (s Schedule) unit(kind, n int, salt uint64) float64 {
	h := splitmix64(s.Seed ^ splitmix64(uint64(kind)<<32^uint64(n)^salt<<56))
	return float64(h>>11) / (1 << 53)
}

// occurrence returns the n-th window of the kind at index k.
func (s Schedule) occurrence(k, n int) Window {
	kinds := Kinds()
	slot := s.Period / time.Duration(len(kinds))
	center := s.Origin.Add(s.FirstAfter + s.Jitter + time.Duration(n)*s.Period + time.Duration(k)*slot)
	jit := time.Duration((2*s.unit(k, n, 1) - 1) * float64(s.Jitter))
	length := s.MinLength + time.Duration(s.unit(k, n, 2)*float64(s.MaxLength-s.MinLength))
	start := center.Add(jit).Truncate(time.Second)
	return Window{Kind: kinds[k], Source: Scheduled, Start: start, End: start.Add(length.Truncate(time.Second))}
}

// Between returns the scheduled windows that overlap [from, to), ordered
// by start.
func (s Schedule) Between(from, to time.Time) []Window {
	if s.Period <= 0 || !to.After(from) {
		return nil
	}
	var out []Window
	first := int(from.Sub(s.Origin)/s.Period) - 1
	for n := max(first, 0); ; n++ {
		if s.occurrence(0, n).Start.After(to.Add(s.Period)) {
			break
		}
		for k := range Kinds() {
			w := s.occurrence(k, n)
			if w.End.After(from) && w.Start.Before(to) {
				out = append(out, w)
			}
		}
	}
	slices.SortFunc(out, func(a, b Window) int { return a.Start.Compare(b.Start) })
	return out
}

// Board is the live set of faults: the schedule plus whatever people and
// tests asked for. Manual windows are owned by whoever injected them: two
// injections of one kind are two windows, and ending one by its ID leaves
// the other in force. It is safe for concurrent use.
type Board struct {
	mu       sync.Mutex
	schedule *Schedule
	// manual holds the injected windows by ID; ended and expired ones
	// are removed.
	manual map[string]Window
	// idPrefix (random per board) and next make IDs unique within a board
	// and unlikely to repeat across restarts of the workload.
	idPrefix string
	next     uint64
	// cleared suppresses scheduled windows of a kind until the given time,
	// so "clear" also ends a scheduled fault that is in progress.
	cleared map[Kind]time.Time
}

// NewBoard returns a board following sched, or only manual faults when
// sched is nil.
func NewBoard(sched *Schedule) (*Board, error) {
	if sched != nil {
		if err := sched.Validate(); err != nil {
			return nil, err
		}
	}
	var salt [3]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, fmt.Errorf("fault board: %w", err)
	}
	return &Board{
		schedule: sched,
		manual:   map[string]Window{},
		idPrefix: hex.EncodeToString(salt[:]),
		cleared:  map[Kind]time.Time{},
	}, nil
}

// Inject starts a fault now for d and returns its window, whose ID ends it
// early with End. Other windows of the kind are left as they are.
func (b *Board) Inject(k Kind, now time.Time, d time.Duration) (Window, error) {
	if d <= 0 {
		return Window{}, errors.New("fault duration must be positive")
	}
	if _, err := ParseKind(string(k)); err != nil {
		return Window{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, w := range b.manual {
		if !now.Before(w.End) {
			delete(b.manual, id)
		}
	}
	b.next++
	w := Window{ID: fmt.Sprintf("%s-%d", b.idPrefix, b.next), Kind: k, Source: Manual, Start: now, End: now.Add(d)}
	b.manual[w.ID] = w
	return w, nil
}

// ErrUnknownWindow is End's answer for an ID that names no manual window
// still in force.
var ErrUnknownWindow = errors.New("no such fault in force")

// Lookup returns the manual window with the given ID, if the board still
// holds it.
func (b *Board) Lookup(id string) (Window, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.manual[id]
	return w, ok
}

// End ends the manual window with the given ID at now and returns it as
// ended. Other windows of its kind, manual or scheduled, are untouched.
// An ID that is unknown, already ended or already over is an error
// wrapping ErrUnknownWindow.
func (b *Board) End(id string, now time.Time) (Window, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.manual[id]
	if !ok {
		return Window{}, fmt.Errorf("fault %q: %w (unknown id, or already ended)", id, ErrUnknownWindow)
	}
	if !now.Before(w.End) {
		delete(b.manual, id)
		return Window{}, fmt.Errorf("fault %q: %w (it was over at %s)", id, ErrUnknownWindow, w.End.Format(time.RFC3339))
	}
	delete(b.manual, id)
	if now.After(w.Start) {
		w.End = now
	} else {
		w.End = w.Start
	}
	return w, nil
}

// Clear ends every fault of a kind in force at now: all its manual windows,
// whoever injected them, and the scheduled one in progress.
func (b *Board) Clear(k Kind, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, w := range b.manual {
		if w.Kind == k {
			delete(b.manual, id)
		}
	}
	if b.schedule != nil {
		for _, w := range b.schedule.Between(now, now.Add(time.Nanosecond)) {
			if w.Kind == k {
				b.cleared[k] = w.End
			}
		}
	}
}

// Active returns the faults in force at now, at most one per kind: of the
// kind's windows containing now, the one ending last, a manual one on a
// tie. A kind is in force while any of its windows is.
func (b *Board) Active(now time.Time) []Window {
	b.mu.Lock()
	defer b.mu.Unlock()
	best := map[Kind]Window{}
	consider := func(w Window) {
		if cur, ok := best[w.Kind]; !ok || outlasts(w, cur) {
			best[w.Kind] = w
		}
	}
	for _, w := range b.manual {
		if w.Contains(now) {
			consider(w)
		}
	}
	if b.schedule != nil {
		for _, w := range b.schedule.Between(now, now.Add(time.Nanosecond)) {
			if until := b.cleared[w.Kind]; w.Contains(now) && (until.IsZero() || !now.Before(until)) {
				consider(w)
			}
		}
	}
	var out []Window
	for _, k := range Kinds() {
		if w, ok := best[k]; ok {
			out = append(out, w)
		}
	}
	return out
}

// outlasts reports whether Active should show a rather than b: a ends
// later, or as late and is manual (the smaller ID among manual ones, so
// the answer does not depend on map order).
func outlasts(a, b Window) bool {
	if c := a.End.Compare(b.End); c != 0 {
		return c > 0
	}
	if (a.Source == Manual) != (b.Source == Manual) {
		return a.Source == Manual
	}
	return a.ID < b.ID
}

// Manual returns the manual windows in force at now, every one of them
// (several may share a kind), ordered by start then ID.
func (b *Board) Manual(now time.Time) []Window {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []Window
	for _, w := range b.manual {
		if w.Contains(now) {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b Window) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// IsActive reports whether kind k is in force at now.
func (b *Board) IsActive(k Kind, now time.Time) bool {
	for _, w := range b.Active(now) {
		if w.Kind == k {
			return true
		}
	}
	return false
}

// Upcoming returns the scheduled windows starting within the next period.
func (b *Board) Upcoming(now time.Time) []Window {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.schedule == nil {
		return nil
	}
	var out []Window
	for _, w := range b.schedule.Between(now, now.Add(b.schedule.Period)) {
		if w.Start.After(now) {
			out = append(out, w)
		}
	}
	return out
}
