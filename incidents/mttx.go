package incidents

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Metric is one of the MTTx intervals.
type Metric string

// The metrics, each the time between two milestones of one incident:
//
//	MTTD = detected − started       (time to detect)
//	MTTA = acknowledged − detected  (time to acknowledge)
//	MTTI = identified − started     (time to isolate the cause)
//	MTTM = mitigated − started      (time to mitigate)
//	MTTR = resolved − started       (time to resolve)
//
// MTTM and MTTR count from impact, not from detection, because that is
// the time users suffered.
const (
	MTTD Metric = "mttd"
	MTTA Metric = "mtta"
	MTTI Metric = "mtti"
	MTTM Metric = "mttm"
	MTTR Metric = "mttr"
)

// AllMetrics lists the metrics in report order, a fresh slice each call.
func AllMetrics() []Metric { return []Metric{MTTD, MTTA, MTTI, MTTM, MTTR} }

// Bounds returns the milestones a metric runs between.
func (m Metric) Bounds() (from, to Milestone) {
	switch m {
	case MTTD:
		return Started, Detected
	case MTTA:
		return Detected, Acknowledged
	case MTTI:
		return Started, Identified
	case MTTM:
		return Started, Mitigated
	case MTTR:
		return Started, Resolved
	}
	return "", ""
}

// Duration returns the metric for this incident, and false when either
// milestone is not set (an unresolved incident has no MTTR yet).
func (inc Incident) Duration(m Metric) (time.Duration, bool) {
	from, to := m.Bounds()
	a, b := inc.Milestones.Get(from), inc.Milestones.Get(to)
	if a.IsZero() || b.IsZero() {
		return 0, false
	}
	return b.Sub(a), true
}

// Summary aggregates one metric over a set of incidents. Count is how many
// of them have the metric; the rest are zero when Count is 0.
type Summary struct {
	Count  int
	Mean   time.Duration
	Median time.Duration
	// P90 is the nearest-rank 90th percentile: the smallest value that
	// at least 90% of the values do not exceed. It is always one of the
	// observed values, never an interpolation.
	P90 time.Duration
}

// Summarize computes mean, median (the mean of the two middle values for
// an even count) and nearest-rank p90.
func Summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	// Sum in float64: a few hundred multi-day durations overflow no int64,
	// but a float keeps the mean exact enough without a special case.
	var sum float64
	for _, d := range s {
		sum += float64(d)
	}
	med := s[n/2]
	if n%2 == 0 {
		med = s[n/2-1] + (s[n/2]-s[n/2-1])/2
	}
	rank := int(math.Ceil(0.9 * float64(n)))
	return Summary{Count: n, Mean: time.Duration(math.Round(sum / float64(n))), Median: med, P90: s[rank-1]}
}

// Stats is every metric over one set of incidents.
type Stats struct {
	Count   int
	Metrics map[Metric]Summary
}

// Report is Stats over a period, broken down by severity and by service.
// An incident with several services counts once for each.
type Report struct {
	Stats
	BySeverity map[Severity]Stats
	ByService  map[string]Stats
	// Excluded counts the incidents of kinds left out (drills and
	// maintenance by default), so they are shown apart, not hidden.
	Excluded map[Kind]int
}

// Aggregate computes the report over the incidents of kind incident in
// incs; drills and maintenance are counted in Excluded.
func Aggregate(incs []Incident) Report { return AggregateKinds(incs, []Kind{KindIncident}) }

// AggregateKinds computes the report over the incidents of the given kinds.
func AggregateKinds(all []Incident, kinds []Kind) Report {
	incs, excluded := OfKinds(all, kinds)
	r := Report{Stats: stats(incs), BySeverity: map[Severity]Stats{}, ByService: map[string]Stats{}, Excluded: excluded}
	bySev := map[Severity][]Incident{}
	bySvc := map[string][]Incident{}
	for _, inc := range incs {
		bySev[inc.Severity] = append(bySev[inc.Severity], inc)
		for _, s := range inc.Services {
			bySvc[s] = append(bySvc[s], inc)
		}
	}
	for k, v := range bySev {
		r.BySeverity[k] = stats(v)
	}
	for k, v := range bySvc {
		r.ByService[k] = stats(v)
	}
	return r
}

// OfKinds keeps the incidents of the given kinds and counts the rest by
// kind.
func OfKinds(incs []Incident, kinds []Kind) ([]Incident, map[Kind]int) {
	var out []Incident
	excluded := map[Kind]int{}
	for _, inc := range incs {
		if slices.Contains(kinds, inc.Kind) {
			out = append(out, inc)
		} else {
			excluded[inc.Kind]++
		}
	}
	return out, excluded
}

func stats(incs []Incident) Stats {
	st := Stats{Count: len(incs), Metrics: map[Metric]Summary{}}
	for _, m := range AllMetrics() {
		var ds []time.Duration
		for _, inc := range incs {
			if d, ok := inc.Duration(m); ok {
				ds = append(ds, d)
			}
		}
		st.Metrics[m] = Summarize(ds)
	}
	return st
}

// InPeriod keeps the incidents whose impact started in [from, to]; the
// period of an incident is when it hurt, not when someone wrote it down.
func InPeriod(incs []Incident, from, to time.Time) []Incident {
	var out []Incident
	for _, inc := range incs {
		s := inc.Milestones.Started
		if !s.Before(from) && !s.After(to) {
			out = append(out, inc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SummaryView is the JSON shape of a Summary: seconds, null when no
// incident in the set has the metric.
type SummaryView struct {
	Count  int      `json:"count"`
	Mean   *float64 `json:"mean"`
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

// StatsView is the JSON shape of Stats.
type StatsView struct {
	Count int         `json:"count"`
	MTTD  SummaryView `json:"mttd_seconds"`
	MTTA  SummaryView `json:"mtta_seconds"`
	MTTI  SummaryView `json:"mtti_seconds"`
	MTTM  SummaryView `json:"mttm_seconds"`
	MTTR  SummaryView `json:"mttr_seconds"`
}

// ReportView is the JSON shape of a Report over [From, To].
type ReportView struct {
	StatsView
	From       time.Time            `json:"from"`
	To         time.Time            `json:"to"`
	BySeverity map[string]StatsView `json:"by_severity"`
	ByService  map[string]StatsView `json:"by_service"`
	Excluded   map[Kind]int         `json:"excluded_by_kind"`
}

// NewReportView builds the JSON view of r over [from, to].
func NewReportView(r Report, from, to time.Time) ReportView {
	v := ReportView{StatsView: statsView(r.Stats), From: from.UTC(), To: to.UTC(), BySeverity: map[string]StatsView{}, ByService: map[string]StatsView{}, Excluded: r.Excluded}
	if v.Excluded == nil {
		v.Excluded = map[Kind]int{}
	}
	for k, s := range r.BySeverity {
		v.BySeverity[string(k)] = statsView(s)
	}
	for k, s := range r.ByService {
		v.ByService[k] = statsView(s)
	}
	return v
}

func statsView(s Stats) StatsView {
	sv := func(m Metric) SummaryView {
		x := s.Metrics[m]
		v := SummaryView{Count: x.Count}
		if x.Count > 0 {
			v.Mean, v.Median, v.P90 = Seconds(x.Mean), Seconds(x.Median), Seconds(x.P90)
		}
		return v
	}
	return StatsView{Count: s.Count, MTTD: sv(MTTD), MTTA: sv(MTTA), MTTI: sv(MTTI), MTTM: sv(MTTM), MTTR: sv(MTTR)}
}
