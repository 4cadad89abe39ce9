// Package alertnoise measures how noisy alerting rules are: from the raw
// samples of Prometheus's ALERTS{alertstate="firing"} series over a period
// and the rules API, per rule: how often it fired, how long it fired, how
// often it flapped (fired again soon after resolving), how long it took
// to resolve by itself, and how many firings became or joined an
// incident (the actionable rate).
//
// Everything here is a pure function over sources' and incidents' types;
// reading Prometheus and the incident store is the caller's job.
package alertnoise

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
)

// DefaultFlapWindow is how soon after resolving a firing must start again
// to count as a flap.
const DefaultFlapWindow = 10 * time.Minute

// DefaultInterval is the evaluation interval assumed for a rule the rules
// API did not list (deleted or renamed since it fired).
const DefaultInterval = 15 * time.Second

// Firing is one episode of one alert series: from its first firing sample
// to its last.
type Firing struct {
	Labels map[string]string
	Start  time.Time
	// End is the last sample seen firing; Open means it was still firing
	// at the end of the period, so End is not a resolution.
	End  time.Time
	Open bool
}

// Duration is how long the firing lasted, counting its last evaluation.
func (f Firing) Duration(interval time.Duration) time.Duration {
	return f.End.Sub(f.Start) + interval
}

// Episodes splits one series' raw samples (in time order, one per
// evaluation) into firings: a gap longer than 1.5 evaluation intervals
// means the alert resolved in between. A firing whose last sample is within
// 1.5 intervals of to is still open.
func Episodes(labels map[string]string, samples []sources.Sample, interval time.Duration, to time.Time) []Firing {
	if interval <= 0 {
		interval = DefaultInterval
	}
	gap := interval * 3 / 2
	var out []Firing
	for i, s := range samples {
		if i == 0 || s.Time.Sub(samples[i-1].Time) > gap {
			out = append(out, Firing{Labels: labels, Start: s.Time, End: s.Time})
			continue
		}
		out[len(out)-1].End = s.Time
	}
	if n := len(out); n > 0 && !to.IsZero() && to.Sub(out[n-1].End) <= gap {
		out[n-1].Open = true
	}
	return out
}

// Rule is what the rules API says about one alerting rule.
type Rule struct {
	Name     string
	Group    string
	Interval time.Duration
}

// Options bound one computation.
type Options struct {
	From, To time.Time
	// FlapWindow: a firing that starts within this long after the same
	// series resolved is a flap. Zero means DefaultFlapWindow.
	FlapWindow time.Duration
}

// Stats is one rule's noise over the period.
type Stats struct {
	Rule  string `json:"rule"`
	Group string `json:"group,omitempty"`
	// Series is how many distinct label sets fired.
	Series int `json:"series"`
	Fired  int `json:"fired"`
	// Firing is the total time spent firing.
	Firing time.Duration `json:"firing_ns"`
	// Flaps counts firings that started within the flap window after
	// the same series resolved.
	Flaps int `json:"flaps"`
	// SelfResolved counts firings that resolved without becoming or
	// joining an incident; MedianSelfResolve is their median duration.
	SelfResolved      int           `json:"self_resolved"`
	MedianSelfResolve time.Duration `json:"median_self_resolve_ns"`
	// Actionable counts firings that became or joined an incident.
	Actionable int `json:"actionable"`
	// ActionableRate is Actionable/Fired; -1 when the rule never fired.
	ActionableRate float64 `json:"actionable_rate"`
	// StillFiring counts firings open at the end of the period.
	StillFiring int `json:"still_firing"`
}

// Compute groups the ALERTS{alertstate="firing"} series by alertname and
// returns one Stats per rule that fired or that rules lists, noisiest and
// least actionable first (see Less).
func Compute(series []sources.Series, rules []Rule, incs []incidents.Incident, opt Options) []Stats {
	if opt.FlapWindow <= 0 {
		opt.FlapWindow = DefaultFlapWindow
	}
	byName := map[string]*Stats{}
	intervals := map[string]time.Duration{}
	get := func(name string) *Stats {
		if s, ok := byName[name]; ok {
			return s
		}
		s := &Stats{Rule: name}
		byName[name] = s
		return s
	}
	for _, r := range rules {
		s := get(r.Name)
		if s.Group == "" {
			s.Group = r.Group
		}
		if r.Interval > 0 {
			intervals[r.Name] = r.Interval
		}
	}
	refs := incidentRefs(incs, opt.To)
	selfDur := map[string][]time.Duration{}
	for _, ser := range series {
		name := ser.Labels["alertname"]
		if name == "" || len(ser.Samples) == 0 {
			continue
		}
		s := get(name)
		every := cmp.Or(intervals[name], DefaultInterval)
		fs := Episodes(ser.Labels, ser.Samples, every, opt.To)
		s.Series++
		for i, f := range fs {
			s.Fired++
			s.Firing += f.Duration(every)
			if i > 0 && f.Start.Sub(fs[i-1].End) <= opt.FlapWindow+every {
				s.Flaps++
			}
			switch {
			case actionable(f, every, refs):
				s.Actionable++
			case f.Open:
				s.StillFiring++
			default:
				s.SelfResolved++
				selfDur[name] = append(selfDur[name], f.Duration(every))
			}
		}
	}
	out := make([]Stats, 0, len(byName))
	for name, s := range byName {
		s.MedianSelfResolve = median(selfDur[name])
		s.ActionableRate = -1
		if s.Fired > 0 {
			s.ActionableRate = float64(s.Actionable) / float64(s.Fired)
		}
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return Less(out[i], out[j]) })
	return out
}

// Less orders rules noisiest and least actionable first: rules that fired
// before those that did not, then by firings that led nowhere, then by
// flaps, then by actionable rate (lowest first), then by name.
func Less(a, b Stats) bool {
	if (a.Fired > 0) != (b.Fired > 0) {
		return a.Fired > 0
	}
	if na, nb := a.Fired-a.Actionable, b.Fired-b.Actionable; na != nb {
		return na > nb
	}
	if a.Flaps != b.Flaps {
		return a.Flaps > b.Flaps
	}
	if a.ActionableRate != b.ActionableRate {
		return a.ActionableRate < b.ActionableRate
	}
	return a.Rule < b.Rule
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// incRef is an incident's reference to one alert: the alert's labels (as
// written in its ALERTS{...} evidence query) and when the incident was open.
type incRef struct {
	labels   map[string]string
	from, to time.Time
}

// incidentRefs collects, from every incident's alert evidence, which alert
// it is about and the window the incident was open.
func incidentRefs(incs []incidents.Incident, now time.Time) []incRef {
	var out []incRef
	for _, inc := range incs {
		from := inc.Milestones.Started
		if from.IsZero() {
			from = inc.Milestones.Detected
		}
		to := inc.Milestones.Resolved
		if to.IsZero() {
			to = now
		}
		for _, ls := range AlertRefs(inc) {
			out = append(out, incRef{labels: ls, from: from, to: to})
		}
	}
	return out
}

// AlertRefs returns the label sets of the alerts an incident has as
// evidence (declared from them or attached later).
func AlertRefs(inc incidents.Incident) []map[string]string {
	var out []map[string]string
	for _, e := range inc.Events {
		if e.Evidence == nil {
			continue
		}
		if ls, ok := ParseAlertsQuery(e.Evidence.Query); ok {
			out = append(out, ls)
		}
	}
	return out
}

// Mentions reports whether inc has as evidence the alert whose labels
// (alertname included) are labels.
func Mentions(inc incidents.Incident, labels map[string]string) bool {
	for _, ref := range AlertRefs(inc) {
		if subset(ref, labels) {
			return true
		}
	}
	return false
}

func subset(ref, labels map[string]string) bool {
	for k, v := range ref {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// actionable reports whether f overlaps an incident that names its alert:
// it became the incident (declared from it) or joined one already open.
func actionable(f Firing, every time.Duration, refs []incRef) bool {
	end := f.End.Add(every)
	for _, r := range refs {
		if r.from.After(end) || r.to.Before(f.Start) {
			continue
		}
		if subset(r.labels, f.Labels) {
			return true
		}
	}
	return false
}

// ParseAlertsQuery reads the label matchers of an evidence query of the
// form ALERTS{alertname="X", k="v", ...} (what incidents.FromAlert writes).
// Only equality matchers with quoted values are understood; anything else
// is not an alert reference.
func ParseAlertsQuery(q string) (map[string]string, bool) {
	q = strings.TrimSpace(q)
	rest, ok := strings.CutPrefix(q, "ALERTS{")
	if !ok || !strings.HasSuffix(rest, "}") {
		return nil, false
	}
	rest = strings.TrimSuffix(rest, "}")
	out := map[string]string{}
	for rest = strings.TrimSpace(rest); rest != ""; {
		name, after, ok := strings.Cut(rest, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, "!~\"{}, ") {
			return nil, false
		}
		after = strings.TrimSpace(after)
		if !strings.HasPrefix(after, `"`) {
			return nil, false
		}
		quoted, err := strconv.QuotedPrefix(after)
		if err != nil {
			return nil, false
		}
		v, err := strconv.Unquote(quoted)
		if err != nil {
			return nil, false
		}
		out[name] = v
		rest = strings.TrimSpace(after[len(quoted):])
		if rest != "" {
			if rest[0] != ',' {
				return nil, false
			}
			rest = strings.TrimSpace(rest[1:])
		}
	}
	if out["alertname"] == "" {
		return nil, false
	}
	delete(out, "alertstate")
	return out, true
}
