package changes

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const step = 15 * time.Second

// samples is v at every step from index a to b-1.
func samples(a, b int, v func(i int) float64) []sources.Sample {
	var out []sources.Sample
	for i := a; i < b; i++ {
		out = append(out, sources.Sample{Time: t0.Add(time.Duration(i) * step), Value: v(i)})
	}
	return out
}

func one(int) float64 { return 1 }

var deploys = Source{Name: "deploys", Kind: "deploy", Expr: "build_info", ServiceLabel: "service"}

func TestBuildInfoNewVersionIsADeploy(t *testing.T) {
	ss := []sources.Series{
		// payments 1.4.2 from the start, replaced by 1.4.3 at step 100;
		// the old series lingers (lookback) after it.
		{Labels: map[string]string{"__name__": "build_info", "service": "payments", "version": "1.4.2"}, Samples: samples(0, 120, one)},
		{Labels: map[string]string{"__name__": "build_info", "service": "payments", "version": "1.4.3"}, Samples: samples(100, 240, one)},
		// checkout never changes.
		{Labels: map[string]string{"__name__": "build_info", "service": "checkout", "version": "2.0.0"}, Samples: samples(0, 240, one)},
		// inventory appears mid-window with no version before.
		{Labels: map[string]string{"__name__": "build_info", "service": "inventory", "version": "0.9.1"}, Samples: samples(50, 240, one)},
	}
	evs := FromSeries(ss, deploys, t0, step)
	if len(evs) != 2 {
		t.Fatalf("events = %v", evs)
	}
	if e := evs[0]; e.Service != "inventory" || !e.T.Equal(t0.Add(50*step)) || e.What != "new version 0.9.1" {
		t.Errorf("first = %+v", e)
	}
	e := evs[1]
	if e.Service != "payments" || !e.T.Equal(t0.Add(100*step)) || e.What != "version 1.4.2 → 1.4.3" || e.Kind != "deploy" || e.Source != "deploys" {
		t.Errorf("deploy = %+v", e)
	}
	if e.String() != "deploy payments: version 1.4.2 → 1.4.3" {
		t.Errorf("String = %q", e.String())
	}
}

func TestGenerationValueChangeIsAnEvent(t *testing.T) {
	gen := func(i int) float64 {
		switch {
		case i < 40:
			return 4
		case i < 41:
			return math.NaN() // a missed scrape is no change
		case i < 90:
			return 4
		}
		return 5
	}
	ss := []sources.Series{{Labels: map[string]string{"__name__": "kube_deployment_status_observed_generation", "deployment": "orders"}, Samples: samples(0, 120, gen)}}
	src := Source{Name: "rollouts", Kind: "deploy", ServiceLabel: "deployment"}
	evs := FromSeries(ss, src, t0, step)
	if len(evs) != 1 || evs[0].Service != "orders" || !evs[0].T.Equal(t0.Add(90*step)) ||
		evs[0].What != "kube_deployment_status_observed_generation 4 → 5" {
		t.Fatalf("events = %+v", evs)
	}
}

// Outside text reaches the screen only sanitized.
func TestLabelsAreSanitized(t *testing.T) {
	ss := []sources.Series{
		{Labels: map[string]string{"service": "pay\x1b[31m", "version": "a"}, Samples: samples(0, 10, one)},
		{Labels: map[string]string{"service": "pay\x1b[31m", "version": "b\x1b]52;c;x\a"}, Samples: samples(5, 10, one)},
	}
	for _, e := range FromSeries(ss, deploys, t0, step) {
		for _, s := range []string{e.Service, e.What} {
			for _, r := range s {
				if r == 0x1b || r == 0x07 {
					t.Fatalf("control character in %q", s)
				}
			}
		}
	}
}

type fakeQ struct {
	ss  []sources.Series
	err error
}

func (f fakeQ) QueryRange(context.Context, string, time.Time, time.Time, time.Duration) ([]sources.Series, []string, error) {
	return f.ss, nil, f.err
}

func TestFetchFiltersByServiceAndWrapsErrors(t *testing.T) {
	ss := []sources.Series{
		{Labels: map[string]string{"service": "a", "version": "1"}, Samples: samples(0, 20, one)},
		{Labels: map[string]string{"service": "a", "version": "2"}, Samples: samples(10, 20, one)},
		{Labels: map[string]string{"service": "b", "version": "1"}, Samples: samples(0, 20, one)},
		{Labels: map[string]string{"service": "b", "version": "2"}, Samples: samples(12, 20, one)},
		{Labels: map[string]string{"version": "9"}, Samples: samples(15, 20, one)}, // no service: everyone's
	}
	evs, err := Fetch(context.Background(), fakeQ{ss: ss}, deploys, t0, t0.Add(20*step), step, "a")
	if err != nil || len(evs) != 2 || evs[0].Service != "a" || evs[1].Service != "" {
		t.Fatalf("events %+v, err %v", evs, err)
	}
	boom := errors.New("boom")
	if _, err := Fetch(context.Background(), fakeQ{err: boom}, deploys, t0, t0, step, ""); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestNear(t *testing.T) {
	evs := []Event{{T: t0, What: "a"}, {T: t0.Add(time.Minute), What: "b"}}
	if e, ok := Near(evs, t0.Add(50*time.Second), 15*time.Second); !ok || e.What != "b" {
		t.Fatalf("near = %+v %v", e, ok)
	}
	if _, ok := Near(evs, t0.Add(30*time.Second), 15*time.Second); ok {
		t.Fatal("nothing is within 15s of the middle")
	}
}

// Whatever labels and values a backend sends, FromSeries does not panic,
// keeps events in time order and lets no control character through.
func FuzzFromSeries(f *testing.F) {
	f.Add("payments", "1.4.2", "1.4.3", 1.0, 2.0, 5, 100)
	f.Add("", "\x1b[2J", "b\u202e", math.NaN(), math.Inf(1), 0, 1)
	f.Fuzz(func(t *testing.T, svc, v1, v2 string, a, b float64, start, n int) {
		start, n = min(max(start, 0), 200), min(max(n, 0), 200)
		ss := []sources.Series{
			{Labels: map[string]string{"service": svc, "version": v1}, Samples: samples(0, n, func(i int) float64 {
				if i%2 == 0 {
					return a
				}
				return b
			})},
			{Labels: map[string]string{"service": svc, "version": v2}, Samples: samples(start, start+n, one)},
		}
		evs := FromSeries(ss, deploys, t0, step)
		for i, e := range evs {
			if i > 0 && e.T.Before(evs[i-1].T) {
				t.Fatalf("out of order: %v", evs)
			}
			for _, r := range e.Service + e.What {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("control character %U in %q", r, e.String())
				}
			}
		}
	})
}
