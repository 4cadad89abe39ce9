package slo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Sentence explains the evaluation to a person in one line, e.g.
// "Burning 7.2× — the 30-day budget runs out in 4d 3h at this rate",
// "Within budget: 62% of the 30-day budget left" or
// "Not enough traffic to judge (12 events in the last hour, need 100)".
func (e Evaluation) Sentence() string {
	return e.sentence() + e.exclusionNote()
}

// exclusionNote says what was left out of the budget, and what is left
// counting it: "; 1 maintenance period excluded (62% left counting it)".
func (e Evaluation) exclusionNote() string {
	if len(e.Excluded) == 0 {
		return ""
	}
	kinds := map[string]int{}
	var order []string
	for _, x := range e.Excluded {
		k := x.Kind
		if k == "" {
			k = "excluded"
		}
		if kinds[k] == 0 {
			order = append(order, k)
		}
		kinds[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%d %s %s", kinds[k], k, plural(kinds[k], "period", "periods"))
	}
	all := "unknown"
	if !math.IsNaN(e.BudgetWithoutExclusions) {
		all = FormatPercent(e.BudgetWithoutExclusions)
	}
	them := plural(len(e.Excluded), "it", "them")
	return fmt.Sprintf("; %s left out of the budget (%s left counting %s)", joinAnd(parts), all, them)
}

func (e Evaluation) sentence() string {
	budget := fmt.Sprintf("the %d-day budget", int(e.SLO.Window/Day))
	switch e.Status {
	case StatusPage, StatusTicket:
		return e.burningSentence(budget)
	case StatusNoData:
		if len(e.MissingWindows) == 0 {
			return "Cannot judge: the SLO's objective or window is invalid"
		}
		names := make([]string, len(e.MissingWindows))
		for i, w := range e.MissingWindows {
			names[i] = FormatPromDuration(w)
		}
		return fmt.Sprintf("No data for the %s %s, so the burn rate cannot be judged",
			joinAnd(names), plural(len(names), "window", "windows"))
	case StatusLowTraffic:
		return fmt.Sprintf("Not enough traffic to judge (%s in %s, need %s)",
			countNoun(e.LowTrafficEvents, "event", "events"), lastPhrase(e.LowTrafficWindow), formatCount(e.SLO.LowTrafficMin))
	}
	switch {
	case !e.BudgetKnown:
		return "Within budget: no alert window is burning fast"
	case e.BudgetRemaining < 0:
		return fmt.Sprintf("Over budget: %s is %s overspent, though no window is burning fast now", budget, FormatPercent(-e.BudgetRemaining))
	}
	return fmt.Sprintf("Within budget: %s of %s left", FormatPercent(e.BudgetRemaining), budget)
}

func (e Evaluation) burningSentence(budget string) string {
	c, _ := e.FiringCondition()
	head := "Burning " + FormatRate(c.LongRate)
	if c.Long != exhaustionWindow {
		head += " over " + lastPhrase(c.Long)
	}
	switch {
	case !e.BudgetKnown:
		return fmt.Sprintf("%s — the %s and %s windows are both at or above the %s %s threshold",
			head, FormatPromDuration(c.Long), FormatPromDuration(c.Short), FormatRate(c.Factor), c.Severity)
	case e.BudgetRemaining <= 0:
		return fmt.Sprintf("%s — %s is already spent", head, budget)
	case e.Exhausts && c.Long == exhaustionWindow:
		return fmt.Sprintf("%s — %s runs out in %s at this rate", head, budget, FormatDuration(e.TimeToExhaustion))
	case e.Exhausts:
		return fmt.Sprintf("%s — at the last hour's %s, %s runs out in %s", head, FormatRate(e.BurnRate1h), budget, FormatDuration(e.TimeToExhaustion))
	case e.BurnRate1h == 0:
		return fmt.Sprintf("%s — the last hour was clean; %s of %s left", head, FormatPercent(e.BudgetRemaining), budget)
	}
	return fmt.Sprintf("%s — %s of %s left", head, FormatPercent(e.BudgetRemaining), budget)
}

// FormatRate writes a burn rate as people say it: 14.4×, 0.5×, 120×.
func FormatRate(r float64) string {
	if r >= 100 {
		return strconv.FormatFloat(r, 'f', 0, 64) + "×"
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "×"
}

// FormatPercent writes a fraction as a percent, with a decimal only when
// a whole number would round a small share to 0 or a large one to 100.
func FormatPercent(f float64) string {
	p := f * 100
	if r := math.Round(p); r != p && (math.Abs(p) < 1 || (math.Abs(p) > 99 && math.Abs(p) < 100)) {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// FormatDuration writes a span in its two largest units, truncated rather
// than rounded so that a countdown never promises more time than there is:
// 4d 3h, 5h 20m, 12m, under a minute.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < Day:
		return twoUnits(int64(d/time.Hour), "h", int64(d%time.Hour/time.Minute), "m")
	}
	return twoUnits(int64(d/Day), "d", int64(d%Day/time.Hour), "h")
}

func twoUnits(a int64, au string, b int64, bu string) string {
	if b == 0 {
		return fmt.Sprintf("%d%s", a, au)
	}
	return fmt.Sprintf("%d%s %d%s", a, au, b, bu)
}

// lastPhrase names a trailing window in words: the last hour, the last 5
// minutes, the last 3 days.
func lastPhrase(w time.Duration) string {
	for _, u := range []struct {
		unit        time.Duration
		one, plural string
	}{{Day, "day", "days"}, {time.Hour, "hour", "hours"}, {time.Minute, "minute", "minutes"}} {
		if w >= u.unit && w%u.unit == 0 {
			if n := int64(w / u.unit); n != 1 {
				return fmt.Sprintf("the last %d %s", n, u.plural)
			}
			return "the last " + u.one
		}
	}
	return "the last " + FormatPromDuration(w)
}

func formatCount(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func countNoun(v float64, one, many string) string {
	if v == 1 {
		return "1 " + one
	}
	return formatCount(v) + " " + many
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Report is the headless (JSON) shape of one evaluated SLO. Numbers that
// cannot be known are null rather than 0, so a script cannot mistake "no
// data" for "no budget left".
type Report struct {
	Name      string  `json:"name"`
	Objective float64 `json:"objective"`
	// Window is the SLO window as PromQL writes it, e.g. "30d".
	Window          string   `json:"window"`
	Status          Status   `json:"status"`
	BudgetRemaining *float64 `json:"budget_remaining"`
	// TimeToExhaustionSeconds is null when the budget is not running out at
	// the current burn, is already spent, or cannot be known.
	TimeToExhaustionSeconds *float64         `json:"time_to_exhaustion_seconds"`
	LowTraffic              bool             `json:"low_traffic"`
	BurnRates               []BurnRateReport `json:"burn_rates"`
	// Source is where the SLO was declared: config, file, Sloth rules or
	// Pyrra rules.
	Source Source `json:"source"`
	// Excluded lists the maintenance and drill periods left out of
	// budget_remaining; budget_without_exclusions is the budget counting
	// them. Both are omitted when nothing was excluded.
	Excluded                []ExclusionReport `json:"excluded,omitempty"`
	BudgetWithoutExclusions *float64          `json:"budget_without_exclusions,omitempty"`
	// Summary is the Sentence, for text output; the JSON shape is the
	// issue's field list, which has no summary.
	Summary string `json:"-"`
}

// ExclusionReport is one excluded period in a Report.
type ExclusionReport struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Kind   string    `json:"kind,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// BurnRateReport is one alert condition in a Report.
type BurnRateReport struct {
	Long      string   `json:"long"`
	Short     string   `json:"short"`
	Factor    float64  `json:"factor"`
	LongRate  *float64 `json:"long_rate"`
	ShortRate *float64 `json:"short_rate"`
	Firing    bool     `json:"firing"`
	Severity  Severity `json:"severity"`
}

// Report turns the evaluation into its JSON shape.
func (e Evaluation) Report() Report {
	r := Report{
		Name:       e.SLO.Name,
		Objective:  e.SLO.Objective,
		Window:     FormatPromDuration(e.SLO.Window),
		Status:     e.Status,
		LowTraffic: e.LowTraffic,
		BurnRates:  make([]BurnRateReport, len(e.Conditions)),
		Summary:    e.Sentence(),
		Source:     e.SLO.Source,
	}
	for _, x := range e.Excluded {
		r.Excluded = append(r.Excluded, ExclusionReport{From: x.From.UTC(), To: x.To.UTC(), Kind: x.Kind, Reason: x.Reason})
	}
	if len(e.Excluded) > 0 {
		r.BudgetWithoutExclusions = jsonNumber(e.BudgetWithoutExclusions)
	}
	if e.BudgetKnown {
		r.BudgetRemaining = jsonNumber(e.BudgetRemaining)
	}
	if e.Exhausts {
		r.TimeToExhaustionSeconds = jsonNumber(e.TimeToExhaustion.Seconds())
	}
	for i, c := range e.Conditions {
		r.BurnRates[i] = BurnRateReport{
			Long:      FormatPromDuration(c.Long),
			Short:     FormatPromDuration(c.Short),
			Factor:    roundNoise(c.Factor),
			LongRate:  jsonNumber(c.LongRate),
			ShortRate: jsonNumber(c.ShortRate),
			Firing:    c.Firing,
			Severity:  c.Severity,
		}
	}
	return r
}

// jsonNumber returns nil for what JSON cannot carry (NaN, ±Inf), so it
// is written as null.
func jsonNumber(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r := roundNoise(v)
	return &r
}

// roundNoise rounds away float noise such as 13.440000000000001.
func roundNoise(v float64) float64 {
	r := math.Round(v*1e9) / 1e9
	if math.IsInf(r, 0) || math.IsNaN(r) { // v*1e9 overflowed
		return v
	}
	return r
}
