package correlate

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate/changes"
)

// fakeChanges answers with its events in the window asked; gate, when
// set, holds the answer until it is closed.
type fakeChanges struct {
	mu  sync.Mutex
	evs []changes.Event
	err error
	// errs, when set, are the errors of the first answers, in turn.
	errs  []error
	asked []Window
	gate  chan struct{}
}

func (f *fakeChanges) Changes(ctx context.Context, from, to time.Time, services []string) ([]changes.Event, error) {
	f.mu.Lock()
	f.asked = append(f.asked, Window{from, to})
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	// As a PromQL source does, a change is timed at the end of the
	// query step it fell in.
	step := changes.StepFor(from, to)
	var out []changes.Event
	for _, e := range f.evs {
		if !e.T.Before(from) && e.T.Before(to) {
			e.T = from.Add((e.T.Sub(from) + step - 1).Truncate(step))
			out = append(out, e)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return out, err
	}
	return out, f.err
}

func deploy(svc string, d time.Duration, what string) changes.Event {
	return changes.Event{T: at.Add(d), Service: svc, Kind: "deploy", Source: "deploys", What: what}
}

func TestViewListsTheChangesInItsWindow(t *testing.T) {
	lk, jg := shop(at)
	ch := &fakeChanges{evs: []changes.Event{
		deploy("checkout", -time.Minute, "version 1.4.2 → 1.4.3\x1b[31m"),
		deploy("search", -2*time.Minute, "version 9 → 10"),                                  // not a service of this request
		{T: at.Add(time.Minute), Kind: "config", Source: "flags", What: "flag new-cart on"}, // every service's
		deploy("checkout", -30*time.Minute, "version 1.4.1 → 1.4.2"),                        // before the window
	}}
	v, err := NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range v.Changes {
		got = append(got, e.String())
	}
	want := "deploy checkout: version 1.4.2 → 1.4.3\nconfig all services: flag new-cart on"
	if strings.Join(got, "\n") != want || v.ChangesElsewhere != 1 || v.ChangesProblem != "" {
		t.Fatalf("changes:\n%s\nelsewhere %d, problem %q", strings.Join(got, "\n"), v.ChangesElsewhere, v.ChangesProblem)
	}
	if strings.ContainsRune(v.Changes[0].What, 0x1b) {
		t.Error("an escape reached the view")
	}
	// Asked over the window searched with the first calls (a day: 86 s
	// steps), then again over the view's ten minutes, so each change is
	// timed to a second.
	if len(ch.asked) != 2 || ch.asked[0] != day() || ch.asked[1] != v.Window {
		t.Fatalf("asked %v", ch.asked)
	}
	for i, d := range []time.Duration{-time.Minute, time.Minute} {
		if e := v.Changes[i]; e.T.Before(at.Add(d)) || e.T.After(at.Add(d+time.Second)) {
			t.Errorf("change %d at %v, want within a second after %v", i, e.T, at.Add(d))
		}
	}
	var rounds []int
	for _, c := range v.Calls {
		if c.Backend == "changes" {
			rounds = append(rounds, c.Round)
		}
	}
	if len(rounds) != 2 || rounds[0] != roundInput || rounds[1] != roundFollow {
		t.Fatalf("changes calls in rounds %v", rounds)
	}

	b, err := json.Marshal(v.Document())
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Changes []struct {
			Time    time.Time `json:"time"`
			Kind    string    `json:"kind"`
			Service string    `json:"service"`
			What    string    `json:"what"`
		} `json:"changes"`
		Elsewhere int `json:"changes_elsewhere"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 2 || d.Changes[0].Service != "checkout" || !d.Changes[0].Time.Equal(v.Changes[0].T) ||
		d.Changes[1].Kind != "config" || d.Elsewhere != 1 {
		t.Errorf("document changes %s", b)
	}
}

// The change sources are asked with the log backend, not after it: the
// fake Loki holds its queries and the lister its answer until both were
// asked, so a fan-out that asked one after the other would hang until
// the test's deadline.
func TestChangesAreAskedInParallel(t *testing.T) {
	lk, jg := shop(at)
	lk.gate = make(chan struct{})
	ch := &fakeChanges{gate: make(chan struct{}), evs: []changes.Event{deploy("frontend", 0, "version 1 → 2")}}
	openWhen(func() bool {
		lk.mu.Lock()
		n := len(lk.queries)
		lk.mu.Unlock()
		ch.mu.Lock()
		m := len(ch.asked)
		ch.mu.Unlock()
		return n >= 1 && m == 1
	}, lk.gate, ch.gate)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(ctx, reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsPartial() || len(v.Changes) != 1 {
		t.Fatalf("partial %v, changes %v (the calls did not start together)", v.Partial, v.Changes)
	}
}

// A change source failing is said, and the request view stays whole.
func TestFailingChangesAreAProblemNotAPartialView(t *testing.T) {
	lk, jg := shop(at)
	ch := &fakeChanges{evs: []changes.Event{deploy("checkout", 0, "v2")},
		err: errors.Join(errors.New("changes deploys: prometheus unreachable"), errors.New("changes config: bad query"))}
	v, err := NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsPartial() {
		t.Errorf("partial: %v", v.Partial)
	}
	if v.ChangesProblem != "changes deploys: prometheus unreachable; changes config: bad query" || len(v.Changes) != 1 {
		t.Errorf("problem %q, changes %v", v.ChangesProblem, v.Changes)
	}
}

// When nothing is found the search widens, and so do the changes asked:
// the widened window's answer is kept even if the narrow one comes last.
func TestWidenedSearchAsksForTheWiderWindowsChanges(t *testing.T) {
	lk, jg := shop(at)
	narrow := Window{From: at.Add(time.Hour), To: at.Add(2 * time.Hour)}
	ch := &fakeChanges{evs: []changes.Event{{T: narrow.From.Add(-30 * time.Minute), Kind: "deploy", Service: "x", What: "v2"}}}
	v, err := NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(context.Background(), "req-nothing-here", narrow)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Widened || len(ch.asked) != 2 || ch.asked[1] != v.Searched {
		t.Fatalf("widened %v, asked %v", v.Widened, ch.asked)
	}
	if len(v.Changes) != 1 || v.ChangesElsewhere != 0 {
		t.Errorf("nothing found: every change in the searched window is listed, got %v (+%d)", v.Changes, v.ChangesElsewhere)
	}
}

// No change near the view's window: nothing to time again, no second
// call. A second call that fails leaves the first answer's times.
func TestChangesAreTimedAgainOnlyWhenNeeded(t *testing.T) {
	lk, jg := shop(at)
	ch := &fakeChanges{evs: []changes.Event{deploy("checkout", -2*time.Hour, "v2")}}
	v, err := NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.asked) != 1 || len(v.Changes) != 0 {
		t.Fatalf("asked %v, changes %v", ch.asked, v.Changes)
	}

	lk, jg = shop(at)
	ch = &fakeChanges{evs: []changes.Event{deploy("checkout", -time.Minute, "v2")}, errs: []error{nil, errors.New("prometheus unreachable")}}
	v, err = NewResolver(Config{Logs: lk, Traces: jg, Changes: ch}).Resolve(context.Background(), reqID, day())
	if err != nil {
		t.Fatal(err)
	}
	coarse := changes.StepFor(day().From, day().To)
	if len(ch.asked) != 2 || len(v.Changes) != 1 || v.Changes[0].T.Before(at.Add(-time.Minute)) || v.Changes[0].T.After(at.Add(-time.Minute+coarse)) {
		t.Fatalf("asked %v, changes %v", ch.asked, v.Changes)
	}
}
