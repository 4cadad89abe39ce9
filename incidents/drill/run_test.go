package drill

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

// scriptedRules answers the rules API with what the test set last: the
// rule "Burst" with its instances, or an error.
type scriptedRules struct {
	mu     sync.Mutex
	rules  []prom.Rule
	err    error
	called int
}

func (s *scriptedRules) set(rules []prom.Rule, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules, s.err = rules, err
}

func (s *scriptedRules) Rules(context.Context) ([]prom.Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.called++
	return s.rules, s.err
}

// openStore is a fresh SQLite store, closed at the end of the test.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "incidents.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// runner is a Runner over rules and s that keeps the lines it says.
func runner(rules RuleLister, s Store, said *[]string) Runner {
	return Runner{
		Rules: rules, Record: Held{s}, Author: "gameday", Context: "dev",
		Say: func(l string) { *said = append(*said, l) }, Poll: time.Millisecond,
	}
}

var burst = Scenario{
	Name: "burst", Description: "payments answers 5xx", Alert: "Burst", Runbook: "Burst.md",
	Services: []string{"payments"}, Severity: "SEV2", Fault: Fault{Command: []string{"true"}}, Wait: time.Minute,
}

func TestStartDeclaresInjectsAndAwaitRecordsDetection(t *testing.T) {
	s := openStore(t)
	rules := &scriptedRules{}
	rules.set([]prom.Rule{rule("Burst", 30*time.Second)}, nil)
	var said []string
	r := runner(rules, s, &said)
	ctx := context.Background()
	id, started, err := r.Start(ctx, burst, false)
	if err != nil {
		t.Fatal(err)
	}
	active := started.Add(2 * time.Second)
	rules.set([]prom.Rule{rule("Burst", 30*time.Second, sources.Alert{State: "firing", ActiveAt: active, Labels: map[string]string{"alertname": "Burst"}})}, nil)
	if err := r.Await(ctx, burst, id, started, 0); err != nil {
		t.Fatal(err)
	}
	inc, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Kind != incidents.KindDrill || inc.Title != "burst: payments answers 5xx" || inc.Severity != "SEV2" || len(inc.Services) != 1 {
		t.Errorf("declared %+v", inc)
	}
	if !inc.Milestones.Started.Equal(incidents.Normalize(started)) {
		t.Errorf("started %s, want the injection time %s", inc.Milestones.Started, started)
	}
	if want := incidents.Normalize(active.Add(30 * time.Second)); !inc.Milestones.Detected.Equal(want) {
		t.Errorf("detected %s, want the firing time %s (activeAt + for)", inc.Milestones.Detected, want)
	}
	var runbook, injected, evidence bool
	keys := map[string]bool{}
	for _, e := range inc.Events {
		if e.Author != "gameday" {
			t.Errorf("event %d written by %q", e.Seq, e.Author)
		}
		if keys[e.Key] {
			t.Errorf("event %d reuses key %q", e.Seq, e.Key)
		}
		keys[e.Key] = true
		runbook = runbook || e.Text == "drill runbook: Burst.md (expected alert Burst)"
		injected = injected || (e.Text == "drill fault injected: ran true" && e.Occurred.Equal(inc.Milestones.Started))
		evidence = evidence || (e.Evidence != nil && strings.Contains(e.Evidence.Query, `alertname="Burst"`) && e.Text == "the drill's expected alert")
	}
	if !runbook || !injected || !evidence {
		t.Errorf("timeline lacks the runbook (%v), the injection (%v) or the evidence (%v): %+v", runbook, injected, evidence, inc.Events)
	}
	want := []string{"drill burst declared as " + incidents.Ref(id) + ", injecting its fault", "injected: ran true"}
	if len(said) < 2 || said[0] != want[0] || said[1] != want[1] {
		t.Errorf("said %q, want it to start with %q", said, want)
	}
}

func TestStartRefusesWithoutWriting(t *testing.T) {
	firing := sources.Alert{State: "firing", ActiveAt: time.Now().Add(-time.Minute)}
	cases := []struct {
		name  string
		rules []prom.Rule
		err   error
		want  string
	}{
		{"rules API down", nil, errors.New("unreachable"), "read the alerting rules: unreachable"},
		{"no such rule", []prom.Rule{rule("Other", 0)}, nil, "context dev's Prometheus has no alerting rule named Burst"},
		{"already firing", []prom.Rule{rule("Burst", 0, firing)}, nil, "Burst is already pending or firing (1 instance(s))"},
	}
	for _, c := range cases {
		s := openStore(t)
		rules := &scriptedRules{}
		rules.set(c.rules, c.err)
		var said []string
		_, _, err := runner(rules, s, &said).Start(context.Background(), burst, false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if incs, _ := s.List(context.Background(), incidents.Filter{}); len(incs) != 0 || len(said) != 0 {
			t.Errorf("%s: recorded %d incidents, said %q", c.name, len(incs), said)
		}
	}
	// --force starts anyway: only an instance since the injection counts.
	s := openStore(t)
	rules := &scriptedRules{}
	rules.set([]prom.Rule{rule("Burst", 0, firing)}, nil)
	var said []string
	if _, _, err := runner(rules, s, &said).Start(context.Background(), burst, true); err != nil {
		t.Errorf("forced: %v", err)
	}
}

func TestStartNotesAFailedInjection(t *testing.T) {
	s := openStore(t)
	rules := &scriptedRules{}
	rules.set([]prom.Rule{rule("Burst", 0)}, nil)
	var said []string
	sc := burst
	sc.Fault = Fault{Command: []string{"false"}}
	id, _, err := runner(rules, s, &said).Start(context.Background(), sc, false)
	if err == nil || !strings.Contains(err.Error(), "drill burst: run false") || !strings.Contains(err.Error(), "(recorded on "+incidents.Ref(id)) {
		t.Fatalf("a failed injection: %v", err)
	}
	inc, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	last := inc.Events[len(inc.Events)-1]
	if !strings.HasPrefix(last.Text, "drill injection failed: run false") {
		t.Errorf("last event %q, want the failure noted", last.Text)
	}
}

func TestAwaitNotesWhyNothingWasDetected(t *testing.T) {
	s := openStore(t)
	rules := &scriptedRules{}
	rules.set([]prom.Rule{rule("Burst", 0)}, nil)
	var said []string
	r := runner(rules, s, &said)
	id, started, err := r.Start(context.Background(), burst, false)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Await(context.Background(), burst, id, started, 30*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not fire within 30ms; the drill stays undetected ("+incidents.Ref(id)+")") {
		t.Fatalf("timed out: %v", err)
	}
	// Many polls, one progress line: they are at most one per 15s.
	var waiting int
	for _, l := range said {
		if strings.HasPrefix(l, "waiting for Burst: inactive (") {
			waiting++
		}
	}
	if rules.called < 3 || waiting != 1 {
		t.Errorf("%d polls gave %d waiting lines (%q); want one", rules.called, waiting, said)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Await(ctx, burst, id, started, time.Minute); err == nil || !strings.Contains(err.Error(), "stopped waiting for Burst") {
		t.Fatalf("cancelled: %v", err)
	}
	inc, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Milestones.Detected.IsZero() {
		t.Errorf("detected %s with no alert", inc.Milestones.Detected)
	}
	n := len(inc.Events)
	if n < 2 || !strings.Contains(inc.Events[n-2].Text, "the drill stays undetected") || !strings.Contains(inc.Events[n-1].Text, "detected is not recorded") {
		t.Errorf("the timeline does not say why: %+v", inc.Events)
	}
}

// failingRecorder fails every unit of work with its error.
type failingRecorder struct{ err error }

func (f failingRecorder) Record(context.Context, func(context.Context, Store) error) error {
	return f.err
}

func TestRecorderErrorsComeBackUnchanged(t *testing.T) {
	rules := &scriptedRules{}
	rules.set([]prom.Rule{rule("Burst", 0)}, nil)
	boom := errors.New("store locked")
	r := Runner{Rules: rules, Record: failingRecorder{boom}, Author: "gameday", Context: "dev", Poll: time.Millisecond}
	if _, _, err := r.Start(context.Background(), burst, false); err != boom {
		t.Errorf("Start: %v, want the recorder's error itself", err)
	}
	rules.set([]prom.Rule{rule("Burst", 0, sources.Alert{State: "firing", ActiveAt: t0.Add(time.Second)})}, nil)
	if err := r.Await(context.Background(), burst, 1, t0, time.Minute); err != boom {
		t.Errorf("Await: %v, want the recorder's error itself", err)
	}
}

func TestResumable(t *testing.T) {
	inc := incidents.Incident{ID: 3, Kind: incidents.KindIncident}
	if err := Resumable(inc); err == nil || err.Error() != "INC-3 is not a drill (kind incident)" {
		t.Errorf("an incident: %v", err)
	}
	inc.Kind = incidents.KindDrill
	if err := Resumable(inc); err != nil {
		t.Errorf("an undetected drill: %v", err)
	}
	inc.Milestones.Detected = t0
	if err := Resumable(inc); err == nil || !strings.HasPrefix(err.Error(), "INC-3 was already detected at ") {
		t.Errorf("a detected drill: %v", err)
	}
}
