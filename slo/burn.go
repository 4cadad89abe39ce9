package slo

import (
	"math"
	"slices"
	"time"
)

// Severity is how loudly a burn-rate condition asks for attention.
type Severity string

// The two severities of the SRE workbook's alert table.
const (
	SeverityPage   Severity = "page"
	SeverityTicket Severity = "ticket"
)

// Status is the verdict on one SLO.
type Status string

// Statuses, from the most to the least urgent.
const (
	StatusPage   Status = "page"
	StatusTicket Status = "ticket"
	// StatusNoData means a window the alert table needs had no answer, so
	// "ok" cannot be claimed.
	StatusNoData Status = "no-data"
	// StatusLowTraffic means too few events to trust the error ratio; it is
	// never turned into a page.
	StatusLowTraffic Status = "insufficient traffic"
	StatusOK         Status = "ok"
)

// AlertWindow is one row of a multi-window, multi-burn-rate alert table:
// the condition fires when the burn rate over both Long and Short is at or
// above Factor.
type AlertWindow struct {
	Severity Severity
	Long     time.Duration
	Short    time.Duration
	// BudgetFraction is the share of the whole window's error budget that a
	// burn at Factor spends in Long; the factor is derived from it.
	BudgetFraction float64
	Factor         float64
}

// workbookRows are the SRE workbook's recommendations (chapter 5, "Alerting
// on SLOs", table 5-8), stated as the budget they let burn rather than as
// burn rates, because burn rates only hold for a 30-day window.
var workbookRows = []struct {
	severity Severity
	long     time.Duration
	fraction float64
}{
	{SeverityPage, time.Hour, 0.02},
	{SeverityPage, 6 * time.Hour, 0.05},
	{SeverityTicket, Day, 0.10},
	{SeverityTicket, 3 * Day, 0.10},
}

// shortWindowDivisor sets the short window to 1/12 of the long one, the
// workbook's choice: long enough to be a trend, short enough that an alert
// stops soon after the burn does.
const shortWindowDivisor = 12

// AlertTable returns the workbook's alert conditions for an SLO window. A
// factor is the burn rate that spends BudgetFraction of the window's budget
// within the long window: factor = fraction × window / long. For 30 days
// that is 14.4, 6, 3 and 1; a 7-day window, which holds less budget per
// hour, gets 3.36, 1.4, 0.7 and 0.23. (Sloth instead re-tunes the fractions
// for 7d so its slow ticket stays above 1×; reltui keeps the workbook's
// fractions so every window means "2% of the budget in an hour".)
func AlertTable(window time.Duration) []AlertWindow {
	out := make([]AlertWindow, len(workbookRows))
	for i, r := range workbookRows {
		out[i] = AlertWindow{
			Severity:       r.severity,
			Long:           r.long,
			Short:          r.long / shortWindowDivisor,
			BudgetFraction: r.fraction,
			Factor:         r.fraction * window.Hours() / r.long.Hours(),
		}
	}
	return out
}

// RequiredWindows lists, shortest first, every window Evaluate needs an
// Observation for: the alert table's long and short windows and the SLO
// window itself (for the budget).
func RequiredWindows(s SLO) []time.Duration {
	var ws []time.Duration
	for _, a := range AlertTable(s.Window) {
		ws = append(ws, a.Long, a.Short)
	}
	ws = append(ws, s.Window)
	slices.Sort(ws)
	return slices.Compact(ws)
}

// BurnRate is how fast errors spend the budget: 1 means the budget lasts
// exactly the SLO window, 14.4 that a 30-day budget is gone in 50 hours.
// It is errorRatio / (1 - objective).
func BurnRate(errorRatio, objective float64) float64 {
	return errorRatio / SLO{Objective: objective}.ErrorBudget()
}

// Observation is what the caller measured over one trailing window.
type Observation struct {
	// ErrorRatio is bad/total in 0..1. NaN means Prometheus gave no number.
	ErrorRatio float64
	// Events is how many events the window held. Negative or NaN means
	// unknown (a raw-ratio SLI cannot count), which skips the low-traffic
	// rule for that window.
	Events float64
}

// Inputs maps a window length to what was observed over it.
type Inputs map[time.Duration]Observation

// Condition is one evaluated row of the alert table.
type Condition struct {
	AlertWindow
	// LongRate and ShortRate are burn rates; NaN when that window is missing.
	LongRate  float64
	ShortRate float64
	// Firing is true only when both windows are at or above the factor and
	// both hold enough events.
	Firing bool
	// LowTraffic is true when either window has fewer events than the
	// SLO's LowTrafficMin.
	LowTraffic bool
	// Missing is true when either window had no data.
	Missing bool
}

// Evaluation is the state of one SLO at one moment.
type Evaluation struct {
	SLO        SLO
	Status     Status
	Conditions []Condition
	// LowTraffic is true when any alert window had too few events, even if
	// another condition still fired on enough traffic.
	LowTraffic bool
	// LowTrafficWindow and LowTrafficEvents name the first starved window
	// (table order, long before short), for the sentence.
	LowTrafficWindow time.Duration
	LowTrafficEvents float64
	// MissingWindows lists the alert windows without data, shortest first.
	MissingWindows []time.Duration
	// BudgetKnown is false when the SLO window itself had no data.
	BudgetKnown bool
	// BudgetRemaining is 1 - errorRatio(window)/(1-objective): 1 is untouched,
	// 0 spent, negative overspent.
	BudgetRemaining float64
	// BurnRate1h is the burn over the last hour, the "current" burn used for
	// the time to exhaustion; NaN when the hour had no data.
	BurnRate1h float64
	// Exhausts is true when the budget, still positive, runs out at the
	// current burn; TimeToExhaustion is then how soon.
	Exhausts         bool
	TimeToExhaustion time.Duration
}

// exhaustionWindow is the window whose burn rate counts as "now" when
// projecting exhaustion. An hour is the page condition's long window: long
// enough not to swing on one bad scrape, short enough to be current.
const exhaustionWindow = time.Hour

// rateTolerance absorbs float rounding, so that a burn computed as exactly
// the factor (1.44% on a 99.9% SLO against 14.4) counts as reaching it.
const rateTolerance = 1e-9

func atOrAbove(rate, factor float64) bool {
	return rate >= factor*(1-rateTolerance)
}

// observe reads one window: its error ratio, whether it is usable, and
// whether it has fewer events than min.
func observe(in Inputs, w time.Duration, min float64) (ratio float64, ok, low bool, events float64) {
	o, present := in[w]
	if !present {
		return math.NaN(), false, false, math.NaN()
	}
	known := o.Events >= 0 // false for NaN too
	ratio = o.ErrorRatio
	if math.IsNaN(ratio) && known && o.Events == 0 {
		ratio = 0 // 0/0 from Prometheus: no events, so no bad ones
	}
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return math.NaN(), false, false, o.Events
	}
	ratio = math.Max(ratio, 0) // -1e-17 from float noise in a subtraction
	low = known && min > 0 && o.Events < min
	return ratio, true, low, o.Events
}

// Evaluate applies the alert table for s.Window to the observations and
// works out the budget. It never pages on a window with too few events.
// An SLO without a usable objective or window (one that fails Validate)
// evaluates to StatusNoData with no conditions rather than to nonsense: a
// zero window would make every factor 0 and page on any error.
func Evaluate(s SLO, in Inputs) Evaluation {
	e := Evaluation{SLO: s, BurnRate1h: math.NaN(), BudgetRemaining: math.NaN()}
	budget := s.ErrorBudget()
	if !(budget > 0 && budget < 1) || s.Window <= 0 {
		e.Status = StatusNoData
		return e
	}
	missing := map[time.Duration]bool{}
	for _, a := range AlertTable(s.Window) {
		c := Condition{AlertWindow: a, LongRate: math.NaN(), ShortRate: math.NaN()}
		lr, lok, llow, lev := observe(in, a.Long, s.LowTrafficMin)
		sr, sok, slow, sev := observe(in, a.Short, s.LowTrafficMin)
		if lok {
			c.LongRate = lr / budget
		} else {
			missing[a.Long] = true
		}
		if sok {
			c.ShortRate = sr / budget
		} else {
			missing[a.Short] = true
		}
		c.Missing = !lok || !sok
		c.LowTraffic = llow || slow
		if c.LowTraffic && !e.LowTraffic {
			e.LowTraffic = true
			e.LowTrafficWindow, e.LowTrafficEvents = a.Long, lev
			if !llow {
				e.LowTrafficWindow, e.LowTrafficEvents = a.Short, sev
			}
		}
		c.Firing = !c.Missing && !c.LowTraffic && atOrAbove(c.LongRate, a.Factor) && atOrAbove(c.ShortRate, a.Factor)
		e.Conditions = append(e.Conditions, c)
	}
	for w := range missing {
		e.MissingWindows = append(e.MissingWindows, w)
	}
	slices.Sort(e.MissingWindows)

	if r, ok, _, _ := observe(in, s.Window, 0); ok {
		e.BudgetKnown = true
		e.BudgetRemaining = 1 - r/budget
	}
	if r, ok, low, _ := observe(in, exhaustionWindow, s.LowTrafficMin); ok && !low {
		// A starved hour gives a burn rate from a handful of events; no
		// projection is better than a wild one.
		e.BurnRate1h = r / budget
	}
	if e.BudgetKnown && e.BudgetRemaining > 0 && e.BurnRate1h > 0 {
		secs := e.BudgetRemaining * s.Window.Seconds() / e.BurnRate1h
		e.Exhausts = true
		e.TimeToExhaustion = time.Duration(math.Min(secs, float64(math.MaxInt64)/float64(time.Second)) * float64(time.Second))
	}
	e.Status = e.status()
	return e
}

func (e Evaluation) status() Status {
	ticket := false
	for _, c := range e.Conditions {
		if c.Firing && c.Severity == SeverityPage {
			return StatusPage
		}
		ticket = ticket || c.Firing
	}
	switch {
	case ticket:
		return StatusTicket
	case len(e.MissingWindows) > 0:
		return StatusNoData
	case e.LowTraffic:
		return StatusLowTraffic
	}
	return StatusOK
}

// FiringCondition returns the most urgent firing condition (the first in
// table order, which runs from the fastest page to the slowest ticket).
func (e Evaluation) FiringCondition() (Condition, bool) {
	for _, c := range e.Conditions {
		if c.Firing {
			return c, true
		}
	}
	return Condition{}, false
}
