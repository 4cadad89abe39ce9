package slo

import (
	"math"
	"testing"
	"testing/quick"
	"time"
)

// The first case as a property (testing/quick): a 99.9% SLO whose
// 1h and 5m windows both hold a 1.44% error ratio burns at exactly 14.4×
// and pages, whatever the traffic (above the low-traffic floor) and
// whatever the other windows hold (below their own factors).
func TestQuickExactly14_4Pages(t *testing.T) {
	f := func(ev1h, ev5m uint32, others [6]uint16) bool {
		s := availability()
		in := quiet(s)
		in[time.Hour] = Observation{ErrorRatio: 0.0144, Events: s.LowTrafficMin + float64(ev1h)}
		in[5*time.Minute] = Observation{ErrorRatio: 0.0144, Events: s.LowTrafficMin + float64(ev5m)}
		// The other rows' windows: anything from clean up to just under
		// their factors, so only the 1h/5m row can fire.
		for i, w := range []time.Duration{30 * time.Minute, 6 * time.Hour, 2 * time.Hour, Day, 6 * time.Hour, 3 * Day} {
			factor := map[time.Duration]float64{30 * time.Minute: 6, 6 * time.Hour: 1, 2 * time.Hour: 3, Day: 3, 3 * Day: 1}[w]
			ratio := factor * 0.001 * float64(others[i]) / 65536 // < factor × budget
			if o := in[w]; o.ErrorRatio == 0 || ratio < o.ErrorRatio {
				in[w] = Observation{ErrorRatio: ratio, Events: 1e6}
			}
		}
		e := Evaluate(s, in)
		c := e.Conditions[0]
		return e.Status == StatusPage && c.Firing && near(c.LongRate, 14.4) && near(c.ShortRate, 14.4) &&
			!e.Conditions[1].Firing && !e.Conditions[2].Firing && !e.Conditions[3].Firing
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 3000}); err != nil {
		t.Error(err)
	}
}

// The second case: whichever one window of a row is above the factor,
// with the other anywhere below it, the row does not fire.
func TestQuickOneWindowAboveDoesNotFire(t *testing.T) {
	f := func(row uint8, above, below uint16, longAbove bool) bool {
		s := availability()
		table := AlertTable(s.Window)
		a := table[int(row)%len(table)]
		budget := s.ErrorBudget()
		hi := a.Factor * budget * (1 + float64(above)/1000) // at or above
		lo := a.Factor * budget * float64(below) / 65536    // below
		in := quiet(s)
		if longAbove {
			in[a.Long], in[a.Short] = Observation{ErrorRatio: hi, Events: 1e6}, Observation{ErrorRatio: lo, Events: 1e6}
		} else {
			in[a.Long], in[a.Short] = Observation{ErrorRatio: lo, Events: 1e6}, Observation{ErrorRatio: hi, Events: 1e6}
		}
		e := Evaluate(s, in)
		return !e.Conditions[int(row)%len(table)].Firing
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 3000}); err != nil {
		t.Error(err)
	}
}

// The third case: a window with fewer events than the floor is flagged
// low traffic and never pages, however bad its ratio.
func TestQuickLowTrafficIsFlagged(t *testing.T) {
	f := func(events uint8, ratio uint16, short bool) bool {
		s := availability() // floor 100
		ev := float64(events % 100)
		in := quiet(s)
		w := time.Hour
		if short {
			w = 5 * time.Minute
		}
		r := float64(ratio) / 65535
		in[time.Hour] = Observation{ErrorRatio: 0.5, Events: 1e6}
		in[5*time.Minute] = Observation{ErrorRatio: 0.5, Events: 1e6}
		in[w] = Observation{ErrorRatio: r, Events: ev}
		e := Evaluate(s, in)
		return e.LowTraffic && e.Conditions[0].LowTraffic && !e.Conditions[0].Firing && e.Status != StatusPage &&
			e.LowTrafficWindow == w && e.LowTrafficEvents == ev && !math.IsNaN(e.LowTrafficEvents)
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 3000}); err != nil {
		t.Error(err)
	}
}
