package slo

import (
	"context"
	"time"
)

// PlannedWorkLister lists the planned work (drills, maintenance and
// incidents alike) whose impact began in [from, to]. slo does not know
// the incident store: incidents.PlannedWorkOf adapts one to this.
type PlannedWorkLister interface {
	PlannedWork(ctx context.Context, from, to time.Time) ([]PlannedWork, error)
}

// ReadPlannedWork reads the drills and maintenance that may overlap an
// SLO window ending at at (the longest window, MaxWindow, back), as
// exclusions for their services' SLOs.
func ReadPlannedWork(ctx context.Context, l PlannedWorkLister, at time.Time) ([]Exclusion, error) {
	ws, err := l.PlannedWork(ctx, at.Add(-MaxWindow), at)
	if err != nil {
		return nil, err
	}
	return FromPlannedWork(ws, at), nil
}
