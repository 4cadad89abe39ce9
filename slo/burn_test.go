package slo

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// availability is a 99.9% SLO over 30 days with a 100-event floor, the
// running example of the SRE workbook.
func availability() SLO {
	return SLO{
		Name: "payments-availability", Service: "payments", Objective: 0.999, Window: 30 * Day,
		LowTrafficMin: 100,
		SLI: SLI{Kind: KindEventRatio, Events: &EventRatioSLI{
			Bad:   `sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`,
			Total: `sum(rate(http_requests_total[{{.window}}]))`,
		}},
	}
}

// quiet gives every window the SLO needs a zero error ratio and plenty of
// events; tests then overwrite the windows they are about.
func quiet(s SLO) Inputs {
	in := Inputs{}
	for _, w := range RequiredWindows(s) {
		in[w] = Observation{ErrorRatio: 0, Events: 1e6}
	}
	return in
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestAlertTable30d(t *testing.T) {
	// The SRE workbook's table 5-8 for a 30-day SLO, written out by hand.
	want := []AlertWindow{
		{SeverityPage, time.Hour, 5 * time.Minute, 0.02, 14.4},
		{SeverityPage, 6 * time.Hour, 30 * time.Minute, 0.05, 6},
		{SeverityTicket, 24 * time.Hour, 2 * time.Hour, 0.10, 3},
		{SeverityTicket, 72 * time.Hour, 6 * time.Hour, 0.10, 1},
	}
	got := AlertTable(30 * Day)
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Severity != w.Severity || g.Long != w.Long || g.Short != w.Short || g.BudgetFraction != w.BudgetFraction || !near(g.Factor, w.Factor) {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestAlertTableScalesWithWindow(t *testing.T) {
	// factor = fraction × window / long, by hand:
	// 28d = 672h, workbook / Sloth google-28d fractions 2, 5, 10, 10%:
	//   0.02×672/1 = 13.44, 0.05×672/6 = 5.6, 0.1×672/24 = 2.8, 0.1×672/72 = 0.9333…
	// 7d = 168h, Sloth's examples/windows/7d.yaml fractions 8, 12.5, 20, 42%:
	//   0.08×168/1 = 13.44, 0.125×168/6 = 3.5, 0.2×168/24 = 1.4, 0.42×168/72 = 0.98
	cases := map[time.Duration][]float64{
		28 * Day: {13.44, 5.6, 2.8, 28.0 / 30},
		7 * Day:  {13.44, 3.5, 1.4, 0.98},
	}
	for window, factors := range cases {
		for i, a := range AlertTable(window) {
			if !near(a.Factor, factors[i]) {
				t.Errorf("%s row %d: factor %v, want %v", FormatPromDuration(window), i, a.Factor, factors[i])
			}
			if a.Short != a.Long/12 {
				t.Errorf("%s row %d: short %s, want long/12", FormatPromDuration(window), i, a.Short)
			}
		}
	}
}

// The ticket rule (README, "Burn-rate alerts"): no condition of a table
// reltui derives fires on a burn that, kept up to the window's end, spends
// less than 90% of the budget; a burn rate r kept up for a whole window
// spends r budgets, so every factor must be at least MinTicketFactor.
func TestAlertTableTicketRule(t *testing.T) {
	for days := 1; days <= 366; days++ {
		window := time.Duration(days) * Day
		for _, a := range AlertTable(window) {
			if a.Factor < MinTicketFactor {
				t.Fatalf("%dd %s/%s: factor %v fires on a burn that spends %.0f%% of the budget by the window's end",
					days, a.Long, a.Short, a.Factor, a.Factor*100)
			}
		}
	}
	// And it is what Evaluate does: on a 7-day SLO, an error ratio that
	// would spend half the budget by the end of the week (0.5×) raises no
	// ticket, while the workbook's unadjusted fractions would have (0.23×).
	s := availability()
	s.Window = 7 * Day
	in := Inputs{}
	for _, w := range RequiredWindows(s) {
		in[w] = Observation{ErrorRatio: 0.5 * s.ErrorBudget(), Events: 1e6}
	}
	if e := Evaluate(s, in); e.Status != StatusOK {
		t.Errorf("0.5× burn on 7d: status %s, want ok", e.Status)
	}
}

// Property: whatever the window, burning at a row's factor for its long
// window spends exactly its budget fraction (rate × long / window).
func TestAlertTableSpendsTheFraction(t *testing.T) {
	for _, window := range AllowedWindows() {
		for _, a := range AlertTable(window) {
			spent := a.Factor * a.Long.Hours() / window.Hours()
			if !near(spent, a.BudgetFraction) {
				t.Errorf("%s %s: burning at %v spends %v, want %v", FormatPromDuration(window), a.Long, a.Factor, spent, a.BudgetFraction)
			}
		}
	}
}

func TestRequiredWindows(t *testing.T) {
	got := RequiredWindows(availability())
	want := []time.Duration{5 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, Day, 3 * Day, 30 * Day}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestPageAt14_4(t *testing.T) {
	s := availability()
	if got := BurnRate(0.0144, 0.999); !near(got, 14.4) {
		t.Errorf("BurnRate(1.44%%, 99.9%%) = %v, want 14.4", got)
	}
	in := quiet(s)
	in[time.Hour] = Observation{ErrorRatio: 0.0144, Events: 10000}
	in[5*time.Minute] = Observation{ErrorRatio: 0.0144, Events: 1000}
	e := Evaluate(s, in)
	if e.Status != StatusPage {
		t.Fatalf("status %q, want page", e.Status)
	}
	c := e.Conditions[0]
	if !c.Firing || c.Severity != SeverityPage || !near(c.LongRate, 14.4) || !near(c.ShortRate, 14.4) {
		t.Errorf("1h/5m condition = %+v, want both rates 14.4 and firing", c)
	}
	for _, c := range e.Conditions[1:] {
		if c.Firing {
			t.Errorf("condition %s/%s fired on quiet windows", c.Long, c.Short)
		}
	}
}

func TestOneWindowAloneDoesNotFire(t *testing.T) {
	s := availability()
	for _, tc := range []struct {
		name        string
		long, short float64
	}{
		{"long only", 0.05, 0.0001},  // 50× over an hour, but the last 5m are clean: it has stopped
		{"short only", 0.0001, 0.05}, // a 5m blip that has not moved the hour
	} {
		in := quiet(s)
		in[time.Hour] = Observation{ErrorRatio: tc.long, Events: 10000}
		in[5*time.Minute] = Observation{ErrorRatio: tc.short, Events: 1000}
		e := Evaluate(s, in)
		if e.Conditions[0].Firing || e.Status != StatusOK {
			t.Errorf("%s: status %q, firing %v; want ok and not firing", tc.name, e.Status, e.Conditions[0].Firing)
		}
	}
}

func TestLowTrafficNeverPages(t *testing.T) {
	s := availability()
	in := quiet(s)
	// 6 of 12 requests failed: a 500× burn, from almost no traffic.
	in[time.Hour] = Observation{ErrorRatio: 0.5, Events: 12}
	in[5*time.Minute] = Observation{ErrorRatio: 1, Events: 1}
	e := Evaluate(s, in)
	if e.Status != StatusLowTraffic || !e.LowTraffic {
		t.Fatalf("status %q low_traffic %v, want insufficient traffic and true", e.Status, e.LowTraffic)
	}
	if e.Conditions[0].Firing || !e.Conditions[0].LowTraffic {
		t.Errorf("1h condition %+v: want low traffic and not firing", e.Conditions[0])
	}
	if want := "Not enough traffic to judge (12 events in the last hour, need 100)"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
	if !math.IsNaN(e.BurnRate1h) || e.Exhausts {
		t.Errorf("a starved hour must not project exhaustion: burn %v exhausts %v", e.BurnRate1h, e.Exhausts)
	}
	if r := e.Report(); !r.LowTraffic || r.Status != "insufficient traffic" || r.TimeToExhaustionSeconds != nil {
		t.Errorf("report %+v", r)
	}
}

func TestNoData(t *testing.T) {
	s := availability()
	in := quiet(s)
	delete(in, 5*time.Minute)
	in[6*time.Hour] = Observation{ErrorRatio: math.NaN(), Events: 5000} // Prometheus returned nothing
	e := Evaluate(s, in)
	if e.Status != StatusNoData {
		t.Fatalf("status %q, want no-data", e.Status)
	}
	if want := "No data for the 5m and 6h windows, so the burn rate cannot be judged"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
	// A page on windows that do have data still wins over missing ones.
	in[time.Hour] = Observation{ErrorRatio: 0.02, Events: 10000}
	in[5*time.Minute] = Observation{ErrorRatio: 0.02, Events: 1000}
	if e := Evaluate(s, in); e.Status != StatusPage {
		t.Errorf("status %q, want page", e.Status)
	}
}

func TestZeroEventsIsLowTrafficNotNoData(t *testing.T) {
	s := availability()
	in := quiet(s)
	in[5*time.Minute] = Observation{ErrorRatio: math.NaN(), Events: 0} // 0/0 at night
	e := Evaluate(s, in)
	if e.Status != StatusLowTraffic {
		t.Fatalf("status %q, want insufficient traffic", e.Status)
	}
	if want := "Not enough traffic to judge (0 events in the last 5 minutes, need 100)"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
}

func TestBudgetAndExhaustion(t *testing.T) {
	s := availability()
	in := quiet(s)
	// 0.04% errors over 30 days against a 0.1% budget: 40% used, 60% left.
	in[30*Day] = Observation{ErrorRatio: 0.0004, Events: 1e8}
	in[time.Hour] = Observation{ErrorRatio: 0.0144, Events: 10000}
	in[5*time.Minute] = Observation{ErrorRatio: 0.0144, Events: 1000}
	e := Evaluate(s, in)
	if !e.BudgetKnown || !near(e.BudgetRemaining, 0.6) {
		t.Fatalf("budget %v (known %v), want 0.6", e.BudgetRemaining, e.BudgetKnown)
	}
	// 0.6 × 720h / 14.4 = 30h.
	if !e.Exhausts || e.TimeToExhaustion.Round(time.Second) != 30*time.Hour {
		t.Errorf("exhaustion in %s (exhausts %v), want 30h", e.TimeToExhaustion, e.Exhausts)
	}
	if want := "Burning 14.4× — the 30-day budget runs out in 1d 6h at this rate"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}

	// The workbook's example shape: 1% of budget used, burning 7.2× over
	// 6h and the last hour: 0.99 × 720h / 7.2 = 99h = 4d 3h.
	in = quiet(s)
	in[30*Day] = Observation{ErrorRatio: 0.00001, Events: 1e8}
	for _, w := range []time.Duration{time.Hour, 6 * time.Hour, 30 * time.Minute} {
		in[w] = Observation{ErrorRatio: 0.0072, Events: 10000}
	}
	e = Evaluate(s, in)
	if e.Status != StatusPage || e.Conditions[0].Firing || !e.Conditions[1].Firing {
		t.Fatalf("status %q conditions %+v, want the 6h page only", e.Status, e.Conditions)
	}
	if e.TimeToExhaustion.Round(time.Second) != 99*time.Hour {
		t.Errorf("exhaustion in %s, want 99h", e.TimeToExhaustion)
	}
	if want := "Burning 7.2× over the last 6 hours — at the last hour's 7.2×, the 30-day budget runs out in 4d 3h"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
}

func TestNoExhaustionWhenNotBurningOrSpent(t *testing.T) {
	s := availability()
	in := quiet(s)
	in[30*Day] = Observation{ErrorRatio: 0.00038, Events: 1e8}
	e := Evaluate(s, in)
	if e.Exhausts || e.BurnRate1h != 0 {
		t.Errorf("clean hour: exhausts %v burn %v, want no exhaustion at 0×", e.Exhausts, e.BurnRate1h)
	}
	if want := "Within budget: 62% of the 30-day budget left"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
	if r := e.Report(); r.TimeToExhaustionSeconds != nil || r.BudgetRemaining == nil || *r.BudgetRemaining != 0.62 {
		t.Errorf("report budget %v tte %v, want 0.62 and null", r.BudgetRemaining, r.TimeToExhaustionSeconds)
	}

	// 0.12% over 30 days is 120% of the budget: remaining -0.2, reported as is.
	in[30*Day] = Observation{ErrorRatio: 0.0012, Events: 1e8}
	in[time.Hour] = Observation{ErrorRatio: 0.0005, Events: 10000}
	e = Evaluate(s, in)
	if !near(e.BudgetRemaining, -0.2) || e.Exhausts {
		t.Errorf("budget %v exhausts %v, want -0.2 and no projection", e.BudgetRemaining, e.Exhausts)
	}
	if want := "Over budget: the 30-day budget is 20% overspent, though no window is burning fast now"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
}

func TestTicketSentence(t *testing.T) {
	s := availability()
	in := quiet(s)
	in[30*Day] = Observation{ErrorRatio: 0.0005, Events: 1e8} // half the budget left
	in[Day] = Observation{ErrorRatio: 0.003, Events: 1e6}     // 3×
	in[2*time.Hour] = Observation{ErrorRatio: 0.0031, Events: 1e5}
	in[time.Hour] = Observation{ErrorRatio: 0.001, Events: 1e4} // 1× now
	e := Evaluate(s, in)
	if e.Status != StatusTicket {
		t.Fatalf("status %q, want ticket", e.Status)
	}
	// 0.5 × 720h / 1 = 360h = 15d.
	if want := "Burning 3.0× over the last day — at the last hour's 1.0×, the 30-day budget runs out in 15d"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
	in[30*Day] = Observation{ErrorRatio: 0.0011, Events: 1e8}
	if want := "Burning 3.0× over the last day — the 30-day budget is already spent"; Evaluate(s, in).Sentence() != want {
		t.Errorf("sentence %q, want %q", Evaluate(s, in).Sentence(), want)
	}
}

func TestReportJSON(t *testing.T) {
	s := availability()
	in := quiet(s)
	in[30*Day] = Observation{ErrorRatio: 0.0004, Events: 1e8}
	in[time.Hour] = Observation{ErrorRatio: 0.0144, Events: 10000}
	in[5*time.Minute] = Observation{ErrorRatio: 0.0144, Events: 1000}
	delete(in, 3*Day)
	b, err := json.Marshal([]Report{Evaluate(s, in).Report()})
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	r := got[0]
	for k, want := range map[string]any{
		"name": "payments-availability", "objective": 0.999, "window": "30d", "status": "page",
		"budget_remaining": 0.6, "time_to_exhaustion_seconds": 108000.0, "low_traffic": false,
	} {
		if v, ok := r[k]; !ok || v != want {
			t.Errorf("%s = %v, want %v", k, v, want)
		}
	}
	rates := r["burn_rates"].([]any)
	first := rates[0].(map[string]any)
	for k, want := range map[string]any{"long": "1h", "short": "5m", "factor": 14.4, "long_rate": 14.4, "short_rate": 14.4, "firing": true, "severity": "page"} {
		if first[k] != want {
			t.Errorf("burn_rates[0].%s = %v, want %v", k, first[k], want)
		}
	}
	last := rates[3].(map[string]any)
	if last["long_rate"] != nil || last["long"] != "3d" {
		t.Errorf("missing 3d window: %v, want long_rate null", last)
	}
}

// Property tests over random SLOs and observations, with a fixed seed so a
// failure reproduces.
func TestBurnProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		s := availability()
		s.Objective = []float64{0.9, 0.99, 0.995, 0.999, 0.9995, 0.9999}[rng.IntN(6)]
		s.Window = AllowedWindows()[rng.IntN(len(AllowedWindows()))]
		budget := 1 - s.Objective
		table := AlertTable(s.Window)
		row := rng.IntN(len(table))
		a := table[row]

		// Burn rate is linear in the error ratio.
		r, k := rng.Float64()*budget, 1+rng.Float64()*20
		if !near(BurnRate(r*k, s.Objective), k*BurnRate(r, s.Objective)) {
			t.Fatalf("burn rate not linear at r=%v k=%v", r, k)
		}

		// Both windows clearly above the factor fire; either clearly below does not.
		above := a.Factor * budget * (1.01 + rng.Float64())
		below := a.Factor * budget * (0.99 - 0.9*rng.Float64())
		for _, tc := range []struct {
			long, short float64
			fire        bool
		}{{above, above, true}, {above, below, false}, {below, above, false}, {below, below, false}} {
			in := quiet(s)
			in[a.Long] = Observation{ErrorRatio: tc.long, Events: 1e6}
			in[a.Short] = Observation{ErrorRatio: tc.short, Events: 1e6}
			e := Evaluate(s, in)
			c := e.Conditions[row]
			if c.Firing != tc.fire {
				t.Fatalf("objective %v window %s row %d long %v short %v: firing %v, want %v",
					s.Objective, FormatPromDuration(s.Window), row, tc.long, tc.short, c.Firing, tc.fire)
			}
			if tc.fire && !(e.Status == StatusPage || e.Status == StatusTicket) {
				t.Fatalf("firing condition but status %q", e.Status)
			}
			if tc.fire && a.Severity == SeverityPage && e.Status != StatusPage {
				t.Fatalf("page condition fired but status %q", e.Status)
			}
		}

		// Starved windows never page, however bad their ratio.
		in := quiet(s)
		ev := float64(rng.IntN(int(s.LowTrafficMin)))
		in[a.Long] = Observation{ErrorRatio: rng.Float64(), Events: ev}
		in[a.Short] = Observation{ErrorRatio: rng.Float64(), Events: ev}
		if e := Evaluate(s, in); e.Conditions[row].Firing || !e.LowTraffic || e.Status != StatusLowTraffic {
			t.Fatalf("starved row %d with %v events: firing %v low %v status %q", row, ev, e.Conditions[row].Firing, e.LowTraffic, e.Status)
		}

		// Budget remaining plus budget used is one, and burning at the 1h
		// rate for the time to exhaustion uses exactly what is left.
		in = quiet(s)
		wr := rng.Float64() * budget * 2
		hr := (0.01 + rng.Float64()) * budget * 30 // floor keeps the projection inside time.Duration
		in[s.Window] = Observation{ErrorRatio: wr, Events: 1e8}
		in[time.Hour] = Observation{ErrorRatio: hr, Events: 1e6}
		e := Evaluate(s, in)
		if !near(e.BudgetRemaining+wr/budget, 1) {
			t.Fatalf("remaining %v + used %v != 1", e.BudgetRemaining, wr/budget)
		}
		if e.BudgetRemaining > 0 && hr > 0 {
			used := e.BurnRate1h * e.TimeToExhaustion.Hours() / s.Window.Hours()
			if !e.Exhausts || math.Abs(used-e.BudgetRemaining) > 1e-6 {
				t.Fatalf("burning %v× for %s uses %v of the budget, want the remaining %v", e.BurnRate1h, e.TimeToExhaustion, used, e.BudgetRemaining)
			}
		} else if e.Exhausts {
			t.Fatalf("remaining %v burn %v: want no exhaustion", e.BudgetRemaining, e.BurnRate1h)
		}
	}
}

func TestFormatters(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:              "under a minute",
		12 * time.Minute:              "12m",
		5*time.Hour + 20*time.Minute:  "5h 20m",
		6 * time.Hour:                 "6h",
		99*time.Hour + 59*time.Minute: "4d 3h",
		15 * Day:                      "15d",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
	for f, want := range map[float64]string{0.62: "62%", 0.004: "0.4%", 0.995: "99.5%", 1: "100%", -0.2: "-20%"} {
		if got := FormatPercent(f); got != want {
			t.Errorf("FormatPercent(%v) = %q, want %q", f, got, want)
		}
	}
	for d, want := range map[time.Duration]string{30 * Day: "30d", 5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 28 * Day: "28d"} {
		if got := FormatPromDuration(d); got != want {
			t.Errorf("FormatPromDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestInvalidSLONeverPages(t *testing.T) {
	s := availability()
	s.Window = 0 // every factor would be 0
	in := quiet(s)
	in[time.Hour] = Observation{ErrorRatio: 0.5, Events: 1e6}
	in[5*time.Minute] = Observation{ErrorRatio: 0.5, Events: 1e6}
	e := Evaluate(s, in)
	if e.Status != StatusNoData || len(e.Conditions) != 0 {
		t.Errorf("status %q with %d conditions, want no-data and none", e.Status, len(e.Conditions))
	}
	if want := "Cannot judge: the SLO's objective or window is invalid"; e.Sentence() != want {
		t.Errorf("sentence %q, want %q", e.Sentence(), want)
	}
}
