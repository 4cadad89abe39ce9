package incidents

import (
	"context"
	"time"

	"github.com/reltui/reltui/slo"
)

// Lister is the read side of Store that lists incidents.
type Lister interface {
	List(ctx context.Context, f Filter) ([]Incident, error)
}

// PlannedWorkOf lets SLO budgets read l's incidents as slo.PlannedWork
// (slo does not import this package): drills and maintenance among them
// are left out of their services' budgets.
func PlannedWorkOf(l Lister) slo.PlannedWorkLister { return plannedWork{l} }

type plannedWork struct{ l Lister }

// PlannedWork lists the incidents whose impact began in [from, to].
func (p plannedWork) PlannedWork(ctx context.Context, from, to time.Time) ([]slo.PlannedWork, error) {
	incs, err := p.l.List(ctx, Filter{StartedFrom: from, StartedTo: to})
	if err != nil {
		return nil, err
	}
	ws := make([]slo.PlannedWork, 0, len(incs))
	for _, inc := range incs {
		ws = append(ws, slo.PlannedWork{Kind: string(inc.Kind), Title: inc.Title, Services: inc.Services,
			From: inc.Milestones.Started, To: inc.Milestones.Resolved})
	}
	return ws, nil
}
