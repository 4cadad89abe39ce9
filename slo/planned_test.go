package slo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reltui/reltui/slo"
)

// fakePlanned records the window it was asked for.
type fakePlanned struct {
	ws       []slo.PlannedWork
	err      error
	from, to time.Time
}

func (f *fakePlanned) PlannedWork(_ context.Context, from, to time.Time) ([]slo.PlannedWork, error) {
	f.from, f.to = from, to
	return f.ws, f.err
}

func TestReadPlannedWork(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	f := &fakePlanned{ws: []slo.PlannedWork{
		{Kind: "maintenance", Title: "db failover", Services: []string{"payments"}, From: now.Add(-3 * time.Hour), To: now.Add(-2 * time.Hour)},
		{Kind: "incident", Title: "real outage", From: now.Add(-5 * time.Hour), To: now.Add(-4 * time.Hour)},
	}}
	ex, err := slo.ReadPlannedWork(context.Background(), f, now)
	if err != nil {
		t.Fatal(err)
	}
	if !f.from.Equal(now.Add(-slo.MaxWindow)) || !f.to.Equal(now) {
		t.Errorf("asked for %s – %s; want the longest SLO window ending at %s", f.from, f.to, now)
	}
	if len(ex) != 1 || ex[0].Kind != "maintenance" || ex[0].Reason != "db failover" {
		t.Errorf("exclusions %+v; want only the maintenance", ex)
	}
	f.err = errors.New("store down")
	if ex, err := slo.ReadPlannedWork(context.Background(), f, now); err == nil || ex != nil {
		t.Errorf("a failed read gave %+v, %v", ex, err)
	}
}
