package alerts

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fakeRuleProm is a Prometheus whose PaymentsErrorBurst rule (for 1m)
// held from three minutes before the alert became active.
type fakeRuleProm struct{ calls atomic.Int32 }

func (f *fakeRuleProm) Rules(context.Context) ([]prom.Rule, error) {
	f.calls.Add(1)
	return []prom.Rule{{Type: "alerting", Name: "PaymentsErrorBurst", Query: "errs > 0.05", For: time.Minute, Interval: 15 * time.Second}}, nil
}

func (f *fakeRuleProm) QueryRange(_ context.Context, _ string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	f.calls.Add(1)
	held := fixedNow.Add(-7*time.Minute - 3*time.Minute)
	var s sources.Series
	for t := from; !t.After(to); t = t.Add(step) {
		if !t.Before(held) {
			s.Samples = append(s.Samples, sources.Sample{Time: t, Value: 0.3})
		}
	}
	return []sources.Series{s}, nil, nil
}

// TestDeclareUsesHonestMilestones: d in the pane declares with started
// where the rule began to hold and detected when the alert fired
// (activeAt + for), as `incident declare --from-alert` does; the rule is
// read in a Cmd with a spinner, never in Update.
func TestDeclareUsesHonestMilestones(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	q := &fakeRuleProm{}
	f.m.prom = q
	panetest.Press(f.m, "j") // PaymentsErrorBurst, active 7 minutes ago
	cmd := panetest.Press(f.m, "d")
	if q.calls.Load() != 0 || !f.m.prefill.Busy() || !f.m.waiting() || cmd == nil {
		t.Fatalf("d read Prometheus in Update (%d calls) or started no Cmd (prefilling %v)", q.calls.Load(), f.m.prefill.Busy())
	}
	settle(f.m, cmd)
	inc, err := f.store.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	active := fixedNow.Add(-7 * time.Minute)
	if !inc.Milestones.Detected.Equal(active.Add(time.Minute)) || !inc.Milestones.Started.Equal(active.Add(-3*time.Minute)) {
		t.Fatalf("started %s detected %s; want %s and %s", inc.Milestones.Started, inc.Milestones.Detected, active.Add(-3*time.Minute), active.Add(time.Minute))
	}
	if d, ok := inc.Duration(incidents.MTTD); !ok || d != 4*time.Minute {
		t.Fatalf("MTTD %v %v; want 4m", d, ok)
	}
}
