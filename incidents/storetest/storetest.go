// Package storetest is the one behaviour suite every incidents.Store must
// pass, plus the crash and concurrency harnesses. Each implementation runs
// it against a fresh store per test, so SQLite and PostgreSQL are held to
// exactly the same expectations.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// NewStore returns an empty store that lives until the test ends.
type NewStore func(t *testing.T) incidents.Store

// suiteTest is one behaviour of the suite, run on a fresh store.
type suiteTest struct {
	name string
	fn   func(su *suite, t *testing.T, s incidents.Store)
}

// Run runs the behaviour suite.
func Run(t *testing.T, newStore NewStore) {
	tests := []suiteTest{
		{"DeclareAndGet", (*suite).testDeclareAndGet},
		{"DeclareIsIdempotent", (*suite).testDeclareIdempotent},
		{"BadDeclarationWritesNothing", (*suite).testBadDeclaration},
		{"UnknownID", (*suite).testUnknownID},
		{"NoteIsIdempotent", (*suite).testNoteIdempotent},
		{"MilestoneOrder", (*suite).testMilestoneOrder},
		{"MoveMilestoneKeepsTrail", (*suite).testMoveMilestone},
		{"ResolveTwice", (*suite).testResolveTwice},
		{"NowIsTheStoreClock", (*suite).testNowIsStoreClock},
		{"Update", (*suite).testUpdate},
		{"Evidence", (*suite).testEvidence},
		{"RoundTripFidelity", (*suite).testFidelity},
		{"List", (*suite).testList},
		{"ConcurrentAppends", (*suite).testConcurrentAppends},
		{"Watch", (*suite).testWatch},
	}
	tests = append(tests, reliabilityTests()...)
	su := newSuite()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(su, t, newStore(t))
		})
	}
}

// suite is the state of one run of the suite (or of one harness call):
// the idempotency-key sequence lives here, not in the package, so two
// suites in one process never share or race on it. id keeps two suites'
// keys apart even when they run under one test at the same instant.
type suite struct {
	id uint64
	mu sync.Mutex
	n  int
}

func newSuite() *suite { return &suite{id: rand.Uint64()} }

// key returns a fresh idempotency key.
func (su *suite) key(t *testing.T) string {
	su.mu.Lock()
	defer su.mu.Unlock()
	su.n++
	return fmt.Sprintf("%s-%x-%d-%d", t.Name(), su.id, time.Now().UnixNano(), su.n)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// base is a fixed past instant, so expected values are written out rather
// than computed from the code under test.
var base = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func (su *suite) declare(t *testing.T, s incidents.Store, title string, started, detected time.Time) incidents.Incident {
	t.Helper()
	inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "alice", Title: title, Started: started, Detected: detected})
	if err != nil {
		t.Fatalf("Declare: %v", err)
	}
	return inc
}

func mustGet(t *testing.T, s incidents.Store, id int64) incidents.Incident {
	t.Helper()
	inc, err := s.Get(ctx(t), id)
	if err != nil {
		t.Fatalf("Get(%d): %v", id, err)
	}
	return inc
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func (su *suite) testDeclareAndGet(t *testing.T, s incidents.Store) {
	started := base.Add(123456789 * time.Nanosecond) // sub-microsecond part is dropped
	inc, err := s.Declare(ctx(t), incidents.Declaration{
		Key: su.key(t), Author: "alice", Title: "Payments 5xx", Severity: "sev2",
		Services: []string{"payments", " checkout ", "payments"}, Commander: "bob",
		Started: started, Detected: base.Add(5 * time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if got.Title != "Payments 5xx" || got.Severity != "SEV2" || got.Commander != "bob" || got.DeclaredBy != "alice" {
		t.Fatalf("attributes: %+v", got)
	}
	if strings.Join(got.Services, ",") != "payments,checkout" {
		t.Fatalf("services = %q", got.Services)
	}
	if want := time.Date(2026, 3, 14, 9, 0, 0, 123456000, time.UTC); !got.Milestones.Started.Equal(want) {
		t.Fatalf("started = %v, want %v", got.Milestones.Started, want)
	}
	if !got.Milestones.Detected.Equal(time.Date(2026, 3, 14, 9, 5, 0, 0, time.UTC)) {
		t.Fatalf("detected = %v", got.Milestones.Detected)
	}
	if got.Status() != incidents.StatusOpen {
		t.Fatalf("status = %s", got.Status())
	}
	kinds := []string{}
	for i, e := range got.Events {
		if e.Seq != int64(i+1) || e.IncidentID != inc.ID {
			t.Fatalf("event %d has seq %d incident %d", i, e.Seq, e.IncidentID)
		}
		kinds = append(kinds, string(e.Kind)+":"+string(e.Milestone))
	}
	if strings.Join(kinds, " ") != "declared: milestone:started milestone:detected" {
		t.Fatalf("events = %v", kinds)
	}
	if d, ok := got.Duration(incidents.MTTD); !ok || d != 5*time.Minute-123456*time.Microsecond {
		t.Fatalf("MTTD = %v %v", d, ok)
	}
}

func (su *suite) testDeclareIdempotent(t *testing.T, s incidents.Store) {
	d := incidents.Declaration{Key: su.key(t), Author: "alice", Title: "Checkout slow", Started: base}
	a, err := s.Declare(ctx(t), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx(t), a.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindNote, Text: "looking"}); err != nil {
		t.Fatal(err)
	}
	b, err := s.Declare(ctx(t), d)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != a.ID || len(b.Events) != 4 {
		t.Fatalf("replayed declare: id %d (first %d), %d events", b.ID, a.ID, len(b.Events))
	}
	all, err := s.List(ctx(t), incidents.Filter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("List = %d incidents, %v", len(all), err)
	}
	d.Title = "Something else"
	_, err = s.Declare(ctx(t), d)
	wantErr(t, err, incidents.ErrConflict)
}

func (su *suite) testBadDeclaration(t *testing.T, s incidents.Store) {
	now := time.Now()
	bad := []incidents.Declaration{
		{Key: su.key(t), Author: "a", Title: "  "},
		{Key: su.key(t), Author: "a", Title: "x", Started: base.Add(time.Hour), Detected: base},
		{Key: su.key(t), Author: "a", Title: "x", Started: now.Add(time.Hour)},
		{Key: su.key(t), Author: "a", Title: "x", Severity: "urgent"},
		{Key: su.key(t), Author: "a", Title: "bell\x07"},
		{Key: "", Author: "a", Title: "x"},
		{Key: su.key(t), Author: "", Title: "x"},
		{Key: su.key(t), Author: "a", Title: "x", Evidence: []incidents.Evidence{{Kind: "screenshot"}}},
	}
	for i, d := range bad {
		if _, err := s.Declare(ctx(t), d); !errors.Is(err, incidents.ErrInvalid) {
			t.Errorf("declaration %d: error %v, want ErrInvalid", i, err)
		}
	}
	if all, err := s.List(ctx(t), incidents.Filter{}); err != nil || len(all) != 0 {
		t.Fatalf("rejected declarations wrote %d incidents (%v)", len(all), err)
	}
}

func (su *suite) testUnknownID(t *testing.T, s incidents.Store) {
	_, err := s.Get(ctx(t), 4242)
	wantErr(t, err, incidents.ErrNotFound)
	_, err = s.Append(ctx(t), 4242, incidents.Write{Key: su.key(t), Author: "a", Kind: incidents.KindNote, Text: "x"})
	wantErr(t, err, incidents.ErrNotFound)
	_, err = s.Watch(ctx(t), 4242, 0)
	wantErr(t, err, incidents.ErrNotFound)
}

func (su *suite) testNoteIdempotent(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "n", base, base)
	other := su.declare(t, s, "other", base, base)
	w := incidents.Write{Key: su.key(t), Author: "carol", Kind: incidents.KindNote, Text: "rolled back v42"}
	e1, err := s.Append(ctx(t), inc.ID, w)
	if err != nil {
		t.Fatal(err)
	}
	if e1.Seq != 4 || e1.Text != "rolled back v42" || e1.Author != "carol" {
		t.Fatalf("event = %+v", e1)
	}
	e2, err := s.Append(ctx(t), inc.ID, w)
	if err != nil {
		t.Fatal(err)
	}
	if e2.Seq != e1.Seq || !e2.Time.Equal(e1.Time) {
		t.Fatalf("replay returned seq %d at %v, first was seq %d at %v", e2.Seq, e2.Time, e1.Seq, e1.Time)
	}
	if n := len(mustGet(t, s, inc.ID).Events); n != 4 {
		t.Fatalf("%d events after a replayed note, want 4", n)
	}
	w2 := w
	w2.Text = "different"
	_, err = s.Append(ctx(t), inc.ID, w2)
	wantErr(t, err, incidents.ErrConflict)
	_, err = s.Append(ctx(t), other.ID, w)
	wantErr(t, err, incidents.ErrConflict)
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "carol", Kind: incidents.KindNote, Text: " \n "})
	wantErr(t, err, incidents.ErrInvalid)
	if n := len(mustGet(t, s, other.ID).Events); n != 3 {
		t.Fatalf("other incident has %d events, want 3", n)
	}
}

func (su *suite) mark(s incidents.Store, t *testing.T, id int64, m incidents.Milestone, at time.Time, reason string) (incidents.Event, error) {
	return s.Append(ctx(t), id, incidents.Write{Key: su.key(t), Author: "dave", Kind: incidents.KindMilestone, Milestone: m, At: at, Text: reason})
}

func (su *suite) testMilestoneOrder(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "order", base, base.Add(10*time.Minute))
	_, err := su.mark(s, t, inc.ID, incidents.Acknowledged, base.Add(9*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	if _, err := su.mark(s, t, inc.ID, incidents.Mitigated, base.Add(30*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	// Acknowledged may come late, but never after mitigation.
	_, err = su.mark(s, t, inc.ID, incidents.Acknowledged, base.Add(31*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	if _, err := su.mark(s, t, inc.ID, incidents.Acknowledged, base.Add(12*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	_, err = su.mark(s, t, inc.ID, incidents.Resolved, base.Add(29*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	_, err = su.mark(s, t, inc.ID, incidents.Resolved, time.Now().Add(2*time.Hour), "")
	wantErr(t, err, incidents.ErrInvalid)
	_, err = su.mark(s, t, inc.ID, "fixed", base.Add(40*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	if _, err := su.mark(s, t, inc.ID, incidents.Resolved, base.Add(45*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if len(got.Events) != 6 {
		t.Fatalf("%d events; rejected writes must write nothing", len(got.Events))
	}
	want := map[incidents.Metric]time.Duration{incidents.MTTD: 10 * time.Minute, incidents.MTTA: 2 * time.Minute, incidents.MTTM: 30 * time.Minute, incidents.MTTR: 45 * time.Minute}
	for m, w := range want {
		if d, ok := got.Duration(m); !ok || d != w {
			t.Errorf("%s = %v %v, want %v", m, d, ok, w)
		}
	}
	if got.Status() != incidents.StatusResolved {
		t.Fatalf("status %s", got.Status())
	}
}

func (su *suite) testMoveMilestone(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "move", base.Add(10*time.Minute), base.Add(20*time.Minute))
	_, err := su.mark(s, t, inc.ID, incidents.Detected, base.Add(15*time.Minute), "")
	wantErr(t, err, incidents.ErrConflict)
	if _, err := su.mark(s, t, inc.ID, incidents.Started, base.Add(2*time.Minute), "error budget burn began at 09:02 per SLO chart"); err != nil {
		t.Fatal(err)
	}
	// Moving started past detected breaks the order: refused.
	_, err = su.mark(s, t, inc.ID, incidents.Started, base.Add(25*time.Minute), "typo")
	wantErr(t, err, incidents.ErrInvalid)
	got := mustGet(t, s, inc.ID)
	if !got.Milestones.Started.Equal(base.Add(2 * time.Minute)) {
		t.Fatalf("started = %v", got.Milestones.Started)
	}
	trail := got.MilestoneEvents(incidents.Started)
	if len(trail) != 2 || !trail[0].At.Equal(base.Add(10*time.Minute)) || trail[1].Text != "error budget burn began at 09:02 per SLO chart" || trail[1].Author != "dave" {
		t.Fatalf("started trail = %+v", trail)
	}
	if d, _ := got.Duration(incidents.MTTD); d != 18*time.Minute {
		t.Fatalf("MTTD after move = %v, want 18m", d)
	}
}

func (su *suite) testResolveTwice(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "twice", base, base)
	if _, err := su.mark(s, t, inc.ID, incidents.Resolved, base.Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	_, err := su.mark(s, t, inc.ID, incidents.Resolved, base.Add(2*time.Hour), "")
	wantErr(t, err, incidents.ErrConflict)
	if _, err := su.mark(s, t, inc.ID, incidents.Resolved, base.Add(50*time.Minute), "resolved earlier; the deploy finished at 09:50"); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if !got.Milestones.Resolved.Equal(base.Add(50*time.Minute)) || len(got.Events) != 5 {
		t.Fatalf("resolved = %v, %d events", got.Milestones.Resolved, len(got.Events))
	}
}

func (su *suite) testNowIsStoreClock(t *testing.T, s incidents.Store) {
	before := time.Now().Add(-time.Second)
	inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "a", Title: "now"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := su.mark(s, t, inc.ID, incidents.Resolved, time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Second)
	got := mustGet(t, s, inc.ID)
	for _, ts := range []time.Time{got.Milestones.Started, got.Milestones.Detected, got.Milestones.Resolved, ev.Time, got.DeclaredAt} {
		if ts.Before(before) || ts.After(after) {
			t.Fatalf("time %v outside [%v, %v]", ts, before, after)
		}
	}
	if !ev.At.Equal(got.Milestones.Resolved) {
		t.Fatalf("event at %v, milestone %v", ev.At, got.Milestones.Resolved)
	}
}

func (su *suite) testUpdate(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "Old title", base, base)
	_, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "erin", Kind: incidents.KindUpdated, Text: "scope grew",
		Attrs: &incidents.Attributes{Title: "Checkout and payments down", Severity: "1", Services: []string{"checkout"}, Commander: "erin"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "erin", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{}})
	wantErr(t, err, incidents.ErrInvalid)
	got := mustGet(t, s, inc.ID)
	if got.Title != "Checkout and payments down" || got.Severity != "SEV1" || got.Commander != "erin" || len(got.Services) != 1 {
		t.Fatalf("after update: %+v", got)
	}
	if got.Events[0].Attrs.Title != "Old title" {
		t.Fatal("the declared event lost its original title")
	}
}

func (su *suite) testEvidence(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "ev", base, base)
	ev := incidents.Evidence{
		Kind: incidents.EvidenceLog, Source: "loki", Query: `{service="payments"} |= "timeout"`,
		From: base.Add(-time.Minute), To: base.Add(time.Minute),
		Snapshot: "10:00:01 timeout\x1b[2J talking to db\n10:00:02 retry",
		Link:     "https://grafana.example.com/explore?x=1",
	}
	e, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "a", Kind: incidents.KindEvidence, Text: "first timeouts", Evidence: &ev})
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID).Events[e.Seq-1].Evidence
	if got == nil || got.Kind != incidents.EvidenceLog || got.Query != ev.Query || !got.From.Equal(ev.From) || !got.To.Equal(ev.To) || got.Link != ev.Link {
		t.Fatalf("evidence = %+v", got)
	}
	if strings.Contains(got.Snapshot, "\x1b") || !strings.Contains(got.Snapshot, "talking to db\n10:00:02 retry") {
		t.Fatalf("snapshot not sanitized (or mangled): %q", got.Snapshot)
	}
	bad := ev
	bad.From, bad.To = ev.To, ev.From
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "a", Kind: incidents.KindEvidence, Evidence: &bad})
	wantErr(t, err, incidents.ErrInvalid)
}

func (su *suite) testFidelity(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "Zähler — 東京 🔥", base, base)
	text := "line one\nline two\twith tab; quotes ' \" and backslash \\ and 100%"
	e, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "zoë", Kind: incidents.KindNote, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if got.Title != "Zähler — 東京 🔥" {
		t.Fatalf("title = %q", got.Title)
	}
	last := got.Events[len(got.Events)-1]
	if last.Text != text || last.Author != "zoë" || last.Seq != e.Seq || !last.Time.Equal(e.Time) || last.Time.Location() != time.UTC {
		t.Fatalf("note = %+v, returned %+v", last, e)
	}
	if last.Time.Nanosecond()%1000 != 0 {
		t.Fatalf("time %v keeps sub-microsecond digits the other dialect cannot", last.Time)
	}
}

func (su *suite) testList(t *testing.T, s incidents.Store) {
	a := su.declare(t, s, "a", base, base)
	b := su.declare(t, s, "b", base.Add(24*time.Hour), base.Add(24*time.Hour))
	c := su.declare(t, s, "c", base.Add(48*time.Hour), base.Add(48*time.Hour))
	if _, err := su.mark(s, t, b.ID, incidents.Mitigated, base.Add(25*time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := su.mark(s, t, c.ID, incidents.Resolved, base.Add(49*time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	ids := func(f incidents.Filter) string {
		incs, err := s.List(ctx(t), f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inc := range incs {
			out = append(out, inc.Title)
		}
		return strings.Join(out, ",")
	}
	if a.ID >= b.ID || b.ID >= c.ID {
		t.Fatalf("ids not increasing: %d %d %d", a.ID, b.ID, c.ID)
	}
	cases := []struct {
		f    incidents.Filter
		want string
	}{
		{incidents.Filter{}, "a,b,c"},
		{incidents.Filter{Status: incidents.StatusOpen}, "a,b"},
		{incidents.Filter{Status: incidents.StatusMitigated}, "b"},
		{incidents.Filter{Status: incidents.StatusResolved}, "c"},
		{incidents.Filter{StartedFrom: base.Add(time.Hour)}, "b,c"},
		{incidents.Filter{StartedTo: base.Add(24 * time.Hour)}, "a,b"},
	}
	for _, c := range cases {
		if got := ids(c.f); got != c.want {
			t.Errorf("List(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func (su *suite) testConcurrentAppends(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "busy", base, base)
	const workers, each = 6, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: fmt.Sprintf("%s-w%d-%d", t.Name(), w, i), Author: "w", Kind: incidents.KindNote, Text: fmt.Sprintf("%d/%d", w, i)})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := mustGet(t, s, inc.ID)
	if len(got.Events) != 3+workers*each {
		t.Fatalf("%d events, want %d", len(got.Events), 3+workers*each)
	}
	last := map[string]int{}
	for i, e := range got.Events {
		if e.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d", e.Seq, i)
		}
		// The clock is read under the incident's lock, so times follow
		// the sequence.
		if i > 0 && e.Time.Before(got.Events[i-1].Time) {
			t.Fatalf("event %d at %v is stamped before event %d at %v", e.Seq, e.Time, e.Seq-1, got.Events[i-1].Time)
		}
		if e.Kind != incidents.KindNote {
			continue
		}
		var w, n int
		fmt.Sscanf(e.Text, "%d/%d", &w, &n)
		k := fmt.Sprint(w)
		if prev, ok := last[k]; ok && n != prev+1 {
			t.Fatalf("worker %d: event %d follows %d", w, n, prev)
		}
		last[k] = n
	}
}

func (su *suite) testWatch(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "watch", base, base)
	c, cancel := context.WithCancel(ctx(t))
	feed, err := s.Watch(c, inc.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "w", Kind: incidents.KindNote, Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	var seqs []int64
	timeout := time.After(10 * time.Second)
	for len(seqs) < 4 {
		select {
		case e := <-feed:
			seqs = append(seqs, e.Seq)
		case <-timeout:
			t.Fatalf("feed delivered %v, want seqs 3..6", seqs)
		}
	}
	if fmt.Sprint(seqs) != "[3 4 5 6]" {
		t.Fatalf("feed delivered %v, want [3 4 5 6]", seqs)
	}
	cancel()
	select {
	case _, ok := <-feed:
		for ok {
			_, ok = <-feed
		}
	case <-time.After(5 * time.Second):
		t.Fatal("feed not closed after cancel")
	}
}
