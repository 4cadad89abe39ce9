package incidents

import (
	"slices"
	"time"
)

// Uncategorized is the category key of incidents with none set.
const Uncategorized = "uncategorized"

// Recurrence is how often causes come back over one period.
type Recurrence struct {
	// Count is the incidents (of the counted kinds) that started in the
	// period.
	Count      int            `json:"count"`
	ByCategory map[string]int `json:"by_category"`
	// ByService counts an incident once for each service it implicated.
	ByService map[string]int `json:"by_service"`
	// Recurred is how many of them started within Within after an
	// earlier incident with the same category and at least one shared
	// service. Incidents without a category never count as recurred: an
	// unknown cause cannot be said to repeat.
	Recurred int `json:"recurred"`
	// Share is Recurred / Count, nil for an empty period.
	Share         *float64 `json:"recurred_share"`
	WithinSeconds float64  `json:"recurred_within_seconds"`
}

// Recur computes the recurrence of incs in [from, to]. incs should reach
// back at least within before from, so an incident early in the period
// can recur one from before it; only the counted kinds take part.
func Recur(incs []Incident, kinds []Kind, from, to time.Time, within time.Duration) Recurrence {
	incs, _ = OfKinds(incs, kinds)
	r := Recurrence{ByCategory: map[string]int{}, ByService: map[string]int{}, WithinSeconds: within.Seconds()}
	for _, inc := range incs {
		st := inc.Milestones.Started
		if st.Before(from) || st.After(to) {
			continue
		}
		r.Count++
		cat := inc.Category
		if cat == "" {
			cat = Uncategorized
		}
		r.ByCategory[cat]++
		for _, s := range inc.Services {
			r.ByService[s]++
		}
		if recurred(inc, incs, within) {
			r.Recurred++
		}
	}
	if r.Count > 0 {
		share := float64(r.Recurred) / float64(r.Count)
		r.Share = &share
	}
	return r
}

// recurred reports whether an earlier incident (started before inc, at
// most within before it) had inc's category and one of its services.
func recurred(inc Incident, all []Incident, within time.Duration) bool {
	st := inc.Milestones.Started
	if inc.Category == "" {
		return false
	}
	for _, p := range all {
		ps := p.Milestones.Started
		if p.ID == inc.ID || p.Category != inc.Category || !ps.Before(st) || st.Sub(ps) > within {
			continue
		}
		if slices.ContainsFunc(p.Services, func(s string) bool { return slices.Contains(inc.Services, s) }) {
			return true
		}
	}
	return false
}

// ChangeFailure is the change failure rate of one set of deploys.
type ChangeFailure struct {
	Deploys int `json:"deploys"`
	// Failed is the deploys linked to at least one incident (of the
	// counted kinds).
	Failed int `json:"failed"`
	// Rate is Failed / Deploys, nil when there were no deploys.
	Rate *float64 `json:"rate"`
	// Rollbacks is how many of the deploys were rollbacks (the rollback
	// frequency over the period); RollbackRate is Rollbacks / Deploys.
	Rollbacks    int      `json:"rollbacks"`
	RollbackRate *float64 `json:"rollback_rate"`
}

// ChangeFailureReport is the change failure rate over a period, overall
// and per service.
type ChangeFailureReport struct {
	ChangeFailure
	ByService map[string]ChangeFailure `json:"by_service"`
}

// ChangeFailureRate computes deploys followed by an incident ÷ deploys,
// and the rollbacks among them, for the deploys in [from, to]. "Followed by an incident" means a person
// linked the deploy to an incident of the counted kinds; a suggestion
// nobody confirmed does not count.
func ChangeFailureRate(deploys []Deploy, incs []Incident, kinds []Kind, from, to time.Time) ChangeFailureReport {
	incs, _ = OfKinds(incs, kinds)
	failed := map[int64]bool{}
	for _, inc := range incs {
		for _, l := range inc.Deploys {
			failed[l.DeployID] = true
		}
	}
	r := ChangeFailureReport{ByService: map[string]ChangeFailure{}}
	for _, d := range deploys {
		if d.At.Before(from) || d.At.After(to) {
			continue
		}
		s := r.ByService[d.Service]
		s.Deploys++
		r.Deploys++
		if failed[d.ID] {
			s.Failed++
			r.Failed++
		}
		if d.Rollback {
			s.Rollbacks++
			r.Rollbacks++
		}
		r.ByService[d.Service] = s
	}
	r.Rate, r.RollbackRate = rate(r.Failed, r.Deploys), rate(r.Rollbacks, r.Deploys)
	for k, s := range r.ByService {
		s.Rate, s.RollbackRate = rate(s.Failed, s.Deploys), rate(s.Rollbacks, s.Deploys)
		r.ByService[k] = s
	}
	return r
}

func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	x := float64(n) / float64(d)
	return &x
}

// Period is one window of the full report.
type Period struct {
	From       time.Time           `json:"from"`
	To         time.Time           `json:"to"`
	Recurrence Recurrence          `json:"recurrence"`
	Change     ChangeFailureReport `json:"change_failure"`
}

// Reliability is everything `incident stats` reports: MTTx over the
// period, recurrence and change failure rate for the period and the one
// before it (the trend).
type Reliability struct {
	ReportView
	Kinds    []Kind `json:"kinds"`
	Current  Period `json:"current"`
	Previous Period `json:"previous"`
}

// NewReliability computes the full report over [from, to] from every
// incident and deploy the store holds (the previous period is the same
// length, just before from). Only incidents of kinds are counted.
func NewReliability(all []Incident, deploys []Deploy, kinds []Kind, from, to time.Time, within time.Duration) Reliability {
	prevFrom := from.Add(-to.Sub(from))
	period := func(a, b time.Time) Period {
		return Period{From: a.UTC(), To: b.UTC(), Recurrence: Recur(all, kinds, a, b, within), Change: ChangeFailureRate(deploys, all, kinds, a, b)}
	}
	return Reliability{
		ReportView: NewReportView(AggregateKinds(InPeriod(all, from, to), kinds), from, to),
		Kinds:      kinds,
		Current:    period(from, to),
		// The previous period ends just before this one starts.
		Previous: period(prevFrom, from.Add(-time.Microsecond)),
	}
}
