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
	mu    sync.Mutex
	evs   []changes.Event
	err   error
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
	var out []changes.Event
	for _, e := range f.evs {
		if !e.T.Before(from) && e.T.Before(to) {
			out = append(out, e)
		}
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
		got = append(got, e.T.Sub(at).String()+" "+e.String())
	}
	want := "-1m0s deploy checkout: version 1.4.2 → 1.4.3\n1m0s config all services: flag new-cart on"
	if strings.Join(got, "\n") != want || v.ChangesElsewhere != 1 || v.ChangesProblem != "" {
		t.Fatalf("changes:\n%s\nelsewhere %d, problem %q", strings.Join(got, "\n"), v.ChangesElsewhere, v.ChangesProblem)
	}
	if strings.ContainsRune(v.Changes[0].What, 0x1b) {
		t.Error("an escape reached the view")
	}
	// Asked once, over the window searched, with the first calls.
	if len(ch.asked) != 1 || ch.asked[0] != day() {
		t.Errorf("asked %v", ch.asked)
	}
	var call *Call
	for i, c := range v.Calls {
		if c.Backend == "changes" {
			call = &v.Calls[i]
		}
	}
	if call == nil || call.Round != roundInput {
		t.Fatalf("changes call %+v", call)
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
	if len(d.Changes) != 2 || d.Changes[0].Service != "checkout" || !d.Changes[0].Time.Equal(at.Add(-time.Minute)) ||
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
