package drill

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func rule(name string, forD time.Duration, alerts ...sources.Alert) prom.Rule {
	return prom.Rule{Type: "alerting", Name: name, For: forD, Interval: 15 * time.Second, Query: "x > 1", Alerts: alerts}
}

func TestFindTakesOnlyAFiringInstanceSinceTheInjection(t *testing.T) {
	old := sources.Alert{State: "firing", ActiveAt: t0.Add(-time.Minute), Fingerprint: "old"}
	pending := sources.Alert{State: "pending", ActiveAt: t0.Add(20 * time.Second)}
	rules := []prom.Rule{{Type: "recording", Name: "Burst"}, rule("Other", 0, sources.Alert{State: "firing", ActiveAt: t0.Add(time.Second)}), rule("Burst", time.Minute, old, pending)}
	_, ok, st := Find(rules, "Burst", t0)
	if ok || !st.Found || st.State != "pending" || !st.Since.Equal(pending.ActiveAt) || st.Stale != 1 {
		t.Fatalf("found %v, status %+v; want pending since %s with one stale instance", ok, st, pending.ActiveAt)
	}
	if n := Active(rules, "Burst"); n != 2 {
		t.Fatalf("Active = %d, want 2", n)
	}
	pending.State = "firing"
	rules[2] = rule("Burst", time.Minute, old, pending)
	f, ok, _ := Find(rules, "Burst", t0)
	if !ok || f.Alert.Name != "Burst" || !f.At().Equal(t0.Add(80*time.Second)) || f.Interval != 15*time.Second {
		t.Fatalf("Find = %+v %v; want fired at activeAt + for", f, ok)
	}
	if _, ok, st := Find(rules, "Missing", t0); ok || st.Found {
		t.Fatalf("a missing rule was found: %+v", st)
	}
	if _, _, st := Find([]prom.Rule{rule("Burst", 0)}, "Burst", t0); st.State != "inactive" {
		t.Fatalf("a rule with no instance reads %q", st.State)
	}
}

type fakeRules struct {
	calls atomic.Int32
	fire  int32
	at    time.Time
}

func (f *fakeRules) Rules(context.Context) ([]prom.Rule, error) {
	n := f.calls.Add(1)
	switch {
	case n == 1:
		return nil, errors.New("unreachable")
	case n < f.fire:
		return []prom.Rule{rule("Burst", 0)}, nil
	}
	return []prom.Rule{rule("Burst", 0, sources.Alert{State: "firing", ActiveAt: f.at})}, nil
}

func TestWaitRetriesAndReportsProgress(t *testing.T) {
	fr := &fakeRules{fire: 4, at: t0.Add(30 * time.Second)}
	var errs, polls int
	f, err := Wait(context.Background(), fr, "Burst", t0, time.Millisecond, time.Minute, func(st Status, err error) {
		if err != nil {
			errs++
		} else if st.State == "inactive" {
			polls++
		}
	})
	if err != nil || !f.At().Equal(fr.at) {
		t.Fatalf("Wait = %+v, %v", f, err)
	}
	if errs != 1 || polls != 2 {
		t.Fatalf("progress saw %d errors and %d inactive polls; want 1 and 2", errs, polls)
	}
	never := &fakeRules{fire: 1 << 30}
	if _, err := Wait(context.Background(), never, "Burst", t0, time.Millisecond, 30*time.Millisecond, nil); !errors.Is(err, ErrNotDetected) {
		t.Fatalf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Wait(ctx, never, "Burst", t0, time.Millisecond, time.Minute, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestInjectCommand(t *testing.T) {
	said, err := Inject(context.Background(), Fault{Command: []string{"sh", "-c", "printf 'fault\\033[31m on\\n'"}}, nil)
	if err != nil || !strings.HasPrefix(said, "ran sh -c") || !strings.HasSuffix(said, ": fault on") || strings.ContainsRune(said, 0x1b) {
		t.Fatalf("Inject = %q, %v", said, err)
	}
	if _, err := Inject(context.Background(), Fault{Command: []string{"sh", "-c", "echo nope; exit 3"}}, nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("a failing command: %v", err)
	}
	if _, err := Inject(context.Background(), Fault{Command: []string{"sleep", "5"}, Timeout: 20 * time.Millisecond}, nil); err == nil {
		t.Fatal("a command past its timeout succeeded")
	}
	if _, err := Inject(context.Background(), Fault{}, nil); err == nil {
		t.Fatal("an empty fault succeeded")
	}
}

// The happy path of an HTTP injection runs against the demo's real
// control API in cmd/reltui's drill integration test; here, what a real
// server is not made to answer: a refusal.
func TestInjectHTTPRefused(t *testing.T) {
	var method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method = r.Method
		http.Error(w, "no such fault", http.StatusNotFound)
	}))
	defer srv.Close()
	_, err := Inject(context.Background(), Fault{URL: srv.URL + "/faults/x"}, srv.Client())
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "no such fault") || method != http.MethodPost {
		t.Fatalf("err %v, method %s", err, method)
	}
}
