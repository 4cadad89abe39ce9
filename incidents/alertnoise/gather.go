package alertnoise

import (
	"context"
	"fmt"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
)

// Prometheus is what Gather reads: raw samples by instant query of a range
// selector, and the rules API. *prom.Client satisfies it.
type Prometheus interface {
	Query(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error)
	Rules(ctx context.Context) ([]prom.Rule, error)
}

// IncidentLister is the read side of incidents.Store that Gather uses.
type IncidentLister interface {
	List(ctx context.Context, f incidents.Filter) ([]incidents.Incident, error)
}

// FiringQuery is the PromQL that returns every firing sample of every
// alert over the period ending at the query's instant.
func FiringQuery(period time.Duration) string {
	return fmt.Sprintf(`ALERTS{alertstate="firing"}[%ds]`, int64(period/time.Second))
}

// Gather reads the firing samples over [opt.From, opt.To], the alerting
// rules and (when incs is not nil) the incidents, and computes the stats.
// A failing incident store is not fatal: it comes back as a warning and
// the report says the incidents were not read.
func Gather(ctx context.Context, p Prometheus, incs IncidentLister, opt Options) (Report, []string, error) {
	if !opt.To.After(opt.From) || opt.To.Sub(opt.From) < time.Second {
		return Report{}, nil, fmt.Errorf("the period must end after it starts")
	}
	rs, err := p.Rules(ctx)
	if err != nil {
		return Report{}, nil, fmt.Errorf("read rules: %w", err)
	}
	var rules []Rule
	for _, r := range rs {
		if r.Alerting() {
			rules = append(rules, Rule{Name: r.Name, Group: r.Group, Interval: r.Interval})
		}
	}
	series, warnings, err := p.Query(ctx, FiringQuery(opt.To.Sub(opt.From)), opt.To)
	if err != nil {
		return Report{}, warnings, fmt.Errorf("read ALERTS: %w", err)
	}
	var list []incidents.Incident
	read := incs != nil
	if read {
		// An incident that started before the period may still have been
		// open during it, so only the end bounds the list.
		list, err = incs.List(ctx, incidents.Filter{StartedTo: opt.To})
		if err != nil {
			warnings = append(warnings, "incidents not read, so no firing counts as actionable: "+err.Error())
			read, list = false, nil
		}
	}
	return NewReport(Compute(series, rules, list, opt), opt, read), warnings, nil
}
