// Package slo reads service level objectives (reltui's inline specs,
// every format Sloth and Pyrra read, OpenSLO v1) into one domain type and does
// the arithmetic the SLO pane shows: multi-window, multi-burn-rate alert
// conditions from the SRE workbook, the error budget left, when it runs out,
// and one sentence that says so.
//
// Everything here is a pure function. The caller runs the PromQL that
// ErrorRatioQuery and EventsQuery build, and hands the numbers to Evaluate.
// Consumer-lag math (lag in seconds, Burrow's partition status) lives in
// slo/lag.
package slo

import (
	"fmt"
	"math"
	"time"
)

// Day is 24 hours. SLO windows are counted in days, and time.Duration has
// no unit for them.
const Day = 24 * time.Hour

// DefaultWindow is the SLO window used when a spec names none. Thirty days
// is what Sloth assumes and what the SRE workbook's alert table was tuned for.
const DefaultWindow = 30 * Day

// AllowedWindows returns the SLO windows reltui's own inline format offers
// and the ones the SRE workbook's alert table was tuned for; a fresh slice
// each call.
func AllowedWindows() []time.Duration { return []time.Duration{7 * Day, 28 * Day, 30 * Day} }

// MinWindow and MaxWindow bound the windows foreign formats may declare
// (Pyrra's 2w, OpenSLO's 1Q or 1Y). Any whole number of days between them
// is evaluated; AlertTable scales the workbook's budget fractions to it.
const (
	MinWindow = Day
	MaxWindow = 366 * Day
)

// SLIKind says how an SLI's error ratio is measured.
type SLIKind string

// The SLI kinds reltui can turn into PromQL.
const (
	// KindEventRatio is bad/total or 1 - good/total over counted events.
	KindEventRatio SLIKind = "event_ratio"
	// KindLatency counts requests slower than a histogram bucket bound as bad.
	KindLatency SLIKind = "latency"
	// KindLag counts the time a consumer's lag in seconds is above a bound as bad.
	KindLag SLIKind = "lag"
	// KindRawRatio is an error ratio some other rule already computes; it
	// has no event count, so the low-traffic rule cannot apply to it.
	KindRawRatio SLIKind = "raw_ratio"
	// KindThreshold counts the samples of a gauge that miss a bound as bad
	// (OpenSLO's thresholdMetric).
	KindThreshold SLIKind = "threshold"
)

// SLO is one service level objective, whatever file format it came from.
type SLO struct {
	Name    string
	Service string
	// Objective is the target good fraction, e.g. 0.999 (never a percent).
	Objective float64
	// Window is the SLO window: a whole number of days from MinWindow to
	// MaxWindow. For a calendar-aligned window it is the period's nominal
	// length (a month counts 30 days), which sets the burn-rate factors.
	Window time.Duration
	// Calendar is set when the window is aligned to the calendar (OpenSLO
	// isRolling: false) instead of rolling.
	Calendar *CalendarWindow
	// TimeSlices is set when the budget counts time slices (OpenSLO
	// Timeslices and RatioTimeslices) instead of events.
	TimeSlices *TimeSlices
	SLI        SLI
	// LowTrafficMin is the fewest events an alert window must hold before
	// its error ratio is trusted; below it the SLO reports "insufficient
	// traffic" instead of paging on two failed requests out of three.
	// Zero disables the rule.
	LowTrafficMin float64
	Labels        map[string]string
	Description   string
	// Source says where the SLO came from: SourceConfig, SourceFile,
	// SourceSloth or SourcePyrra (see discover.go); SourceFile names the
	// file in SourceDetail, discovered SLOs their rule group.
	Source       Source
	SourceDetail string
	// Alerts is the alert table a rule generator wrote for a discovered
	// SLO (its windows and factors as written); empty means AlertTable of
	// the window.
	Alerts []AlertWindow
	// Exclusions are periods (planned maintenance, drills) left out of
	// the budget; see exclude.go.
	Exclusions []Exclusion
}

// SLI is the indicator of an SLO. Kind names which one of the pointers is
// set; the others are nil.
type SLI struct {
	Kind    SLIKind
	Events  *EventRatioSLI
	Latency *LatencySLI
	Lag     *LagSLI
	Raw     *RawRatioSLI
	// Threshold is set for KindThreshold.
	Threshold *ThresholdSLI
	// Recorded is set for KindRecorded (SLOs discovered from rules).
	Recorded *RecordedSLI
}

// ThresholdSLI is good while Query meets the bound Op Value (OpenSLO's
// thresholdMetric with an objective's op and value); the error ratio is
// the share of samples, taken every Step across the window and every
// series, that miss it.
type ThresholdSLI struct {
	// Query is an instant PromQL expression, e.g. a latency percentile.
	Query string
	// Op is how a good sample compares with Value: lt, lte, gt or gte.
	Op    string
	Value float64
	// Step is how often the query is sampled; when zero, every minute, or
	// less often over long windows (see thresholdStep).
	Step time.Duration
}

// TimeSlices budgets in slices of time. With Ratio false (OpenSLO
// Timeslices) a slice is bad when its good ratio is below Target and the
// error ratio is the share of bad slices; with Ratio true (RatioTimeslices)
// the error ratio is the average of the slices' error ratios.
type TimeSlices struct {
	Slice  time.Duration
	Target float64
	Ratio  bool
}

// CalendarWindow is a window that restarts at calendar boundaries, e.g.
// every month from Start in Location.
type CalendarWindow struct {
	// Unit is what the window counts: day, week, month, quarter or year.
	Unit string
	// Count is how many Units one period spans.
	Count int
	// Start is the anchor period's first instant (OpenSLO's startTime).
	Start time.Time
}

// EventRatioSLI divides counted events. Queries are templates in which
// {{.window}} stands for the PromQL range, as in Sloth, e.g.
// sum(rate(http_requests_total{service="api",code=~"5.."}[{{.window}}])).
// Exactly one of Good and Bad is set.
type EventRatioSLI struct {
	Good  string
	Bad   string
	Total string
	// EventsQuery optionally counts the events in a window. When empty the
	// count is derived from Total (see EventsQuery).
	EventsQuery string
}

// LatencySLI counts a request as good when it lands in the histogram bucket
// le=LE, so the error ratio is 1 - bucket/count.
type LatencySLI struct {
	// Metric is the histogram's base name, without _bucket or _count.
	Metric string
	// Matchers are label matchers without braces, e.g. service="api".
	Matchers string
	// LE is the bucket bound exactly as the le label spells it ("0.3").
	LE string
}

// LagSLI treats every moment the consumer lag (in seconds) is above
// MaxSeconds as bad, so the error ratio is the share of time over the bound.
type LagSLI struct {
	// Query is an instant PromQL expression giving lag in seconds, e.g.
	// max(kafka_consumergroup_group_lag_seconds{group="invoicer"}).
	Query      string
	MaxSeconds float64
	// Step is how often the lag is sampled inside the window; 1m if zero.
	Step time.Duration
}

// RawRatioSLI is a query template that already yields a ratio.
type RawRatioSLI struct {
	Query string
	// Success is true when the query yields the good ratio (OpenSLO
	// rawType: success) rather than the error ratio.
	Success bool
}

// ErrorBudget is the fraction of events allowed to fail, 1 - Objective.
// It is rounded to 12 decimals because 1-0.999 is 0.0010000000000000009 in
// floating point, which would make a 1.44% error ratio burn at
// 14.399999999999999× and miss the 14.4× page.
func (s SLO) ErrorBudget() float64 {
	return math.Round((1-s.Objective)*1e12) / 1e12
}

// Validate reports the first thing that makes the SLO impossible to
// evaluate. Readers already check every field with its position; this is
// for SLOs built in code.
func (s SLO) Validate() error {
	switch {
	case s.Name == "":
		return fmt.Errorf("slo: name is empty")
	case !(s.Objective > 0 && s.Objective < 1):
		return fmt.Errorf("slo %s: objective must be between 0 and 1, got %g", s.Name, s.Objective)
	case !windowAllowed(s.Window):
		return fmt.Errorf("slo %s: window %s is not a whole number of days from 1d to 366d", s.Name, FormatPromDuration(s.Window))
	case s.TimeSlices != nil && !(s.TimeSlices.Slice > 0 && s.TimeSlices.Slice <= s.Window):
		return fmt.Errorf("slo %s: time slice must be positive and at most the window", s.Name)
	case s.LowTrafficMin < 0 || math.IsNaN(s.LowTrafficMin):
		return fmt.Errorf("slo %s: low-traffic minimum must not be negative", s.Name)
	}
	set := 0
	for _, p := range []bool{s.SLI.Events != nil, s.SLI.Latency != nil, s.SLI.Lag != nil, s.SLI.Raw != nil, s.SLI.Threshold != nil, s.SLI.Recorded != nil} {
		if p {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("slo %s: exactly one SLI must be set, found %d", s.Name, set)
	}
	want := map[SLIKind]bool{
		KindEventRatio: s.SLI.Events != nil, KindLatency: s.SLI.Latency != nil,
		KindLag: s.SLI.Lag != nil, KindRawRatio: s.SLI.Raw != nil, KindThreshold: s.SLI.Threshold != nil,
		KindRecorded: s.SLI.Recorded != nil,
	}
	if !want[s.SLI.Kind] {
		return fmt.Errorf("slo %s: SLI kind %q does not match the SLI that is set", s.Name, s.SLI.Kind)
	}
	if t := s.SLI.Threshold; t != nil && thresholdOps[t.Op] == "" {
		return fmt.Errorf("slo %s: threshold op %q is not lt, lte, gt or gte", s.Name, t.Op)
	}
	if e := s.SLI.Events; e != nil && (e.Good == "") == (e.Bad == "") {
		return fmt.Errorf("slo %s: an event-ratio SLI needs exactly one of good and bad", s.Name)
	}
	return nil
}

func windowAllowed(d time.Duration) bool {
	return d >= MinWindow && d <= MaxWindow && d%Day == 0
}
