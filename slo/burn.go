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

// alertRow is one row of an alert table before it is fitted to a window.
type alertRow struct {
	severity Severity
	long     time.Duration
	short    time.Duration
	fraction float64
}

// workbookRows are the SRE workbook's recommendations (chapter 5, "Alerting
// on SLOs", table 5-8), stated as the budget they let burn rather than as
// burn rates, because burn rates only hold for one window length. They are
// also Sloth's defaults for 30 and 28 days (its google-30d and google-28d
// AlertWindows): 14.4, 6, 3 and 1 over 30 days; 13.44, 5.6, 2.8 and 0.93
// over 28. The short windows are Sloth's and the workbook's: 1/12 of the
// long one.
var workbookRows = []alertRow{
	{SeverityPage, time.Hour, 5 * time.Minute, 0.02},
	{SeverityPage, 6 * time.Hour, 30 * time.Minute, 0.05},
	{SeverityTicket, Day, 2 * time.Hour, 0.10},
	{SeverityTicket, 3 * Day, 6 * time.Hour, 0.10},
}

// weekRows are for a 7-day window. The workbook's fractions would give
// 3.36, 1.4, 0.7 and 0.23 there, and a 0.23x ticket fires on a burn that
// spends a quarter of the budget by the window's end. These fractions are
// Sloth's 7-day AlertWindows example (examples/windows/7d.yaml in
// github.com/slok/sloth): 8%, 12.5%, 20% and 42% of the budget, which
// make factors of 13.44, 3.5, 1.4 and 0.98.
var weekRows = []alertRow{
	{SeverityPage, time.Hour, 5 * time.Minute, 0.08},
	{SeverityPage, 6 * time.Hour, 30 * time.Minute, 0.125},
	{SeverityTicket, Day, 2 * time.Hour, 0.20},
	{SeverityTicket, 3 * Day, 6 * time.Hour, 0.42},
}

// MinTicketFactor is the ticket rule: no condition fires on a burn that,
// kept up to the end of the SLO window, would spend less than 90% of the
// budget. A burn rate is the share of the budget a whole window at that
// rate spends, so every factor in a table reltui derives is at least 0.9
// (28 days' slow ticket, 0.93, is the lowest the workbook gives). Where
// scaling the workbook's fractions to another window gives less, the
// factor is raised to 1 (a burn that spends exactly the budget by the
// window's end) and BudgetFraction says what that spends in the long
// window. Alert tables a rule generator wrote (Sloth's, Pyrra's) are shown
// as written and not held to this rule.
const MinTicketFactor = 0.9

// AlertTable returns the alert conditions for an SLO window. A factor is
// the burn rate that spends BudgetFraction of the window's budget within
// the long window: factor = fraction × window / long. 30 and 28 days use
// the workbook's fractions (workbookRows), 7 days Sloth's (weekRows), and
// any other window the workbook's, scaled, with MinTicketFactor applied.
func AlertTable(window time.Duration) []AlertWindow {
	rows := workbookRows
	if window == 7*Day {
		rows = weekRows
	}
	out := make([]AlertWindow, len(rows))
	for i, r := range rows {
		a := AlertWindow{
			Severity:       r.severity,
			Long:           r.long,
			Short:          r.short,
			BudgetFraction: r.fraction,
			Factor:         r.fraction * window.Hours() / r.long.Hours(),
		}
		if a.Factor < MinTicketFactor && window > 0 {
			a.Factor = 1
			a.BudgetFraction = r.long.Hours() / window.Hours()
		}
		out[i] = a
	}
	return out
}

// Table is the SLO's alert table: the one its rule generator wrote when it
// was discovered from Prometheus rules, else AlertTable of its window.
func (s SLO) Table() []AlertWindow {
	if len(s.Alerts) > 0 {
		return s.Alerts
	}
	return AlertTable(s.Window)
}

// RequiredWindows lists, shortest first, every window Evaluate needs an
// Observation for: the alert table's long and short windows and the SLO
// window itself (for the budget).
func RequiredWindows(s SLO) []time.Duration {
	var ws []time.Duration
	for _, a := range s.Table() {
		ws = append(ws, a.Long, a.Short)
	}
	ws = append(ws, exhaustionWindow, s.Window)
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
	// Excluded lists the exclusions (maintenance, drills) that overlap the
	// SLO window, clipped to it. When it is not empty, BudgetRemaining
	// leaves them out and BudgetWithoutExclusions counts them.
	Excluded                []Exclusion
	BudgetWithoutExclusions float64
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
	e := Evaluation{SLO: s, BurnRate1h: math.NaN(), BudgetRemaining: math.NaN(), BudgetWithoutExclusions: math.NaN()}
	budget := s.ErrorBudget()
	if !(budget > 0 && budget < 1) || s.Window <= 0 {
		e.Status = StatusNoData
		return e
	}
	missing := map[time.Duration]bool{}
	for _, a := range s.Table() {
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
	e.project()
	e.Status = e.status()
	return e
}

// project works out when the budget runs out at the last hour's burn.
func (e *Evaluation) project() {
	e.Exhausts, e.TimeToExhaustion = false, 0
	if e.BudgetKnown && e.BudgetRemaining > 0 && e.BurnRate1h > 0 {
		secs := e.BudgetRemaining * e.SLO.Window.Seconds() / e.BurnRate1h
		e.Exhausts = true
		e.TimeToExhaustion = time.Duration(math.Min(secs, float64(math.MaxInt64)/float64(time.Second)) * float64(time.Second))
	}
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
