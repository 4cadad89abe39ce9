package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// History is a seeded record for the reliability report: the period it
// was built around and what the store returned.
type History struct {
	From, To time.Time
	// Within is the recurrence window the expectations assume.
	Within time.Duration
}

const day = 24 * time.Hour

// SeedHistory writes a fixed history into s. Period: 30 days from base;
// the previous period is the 30 days before. The numbers it must give are
// in CheckReliability, worked out by hand from the comments here.
func SeedHistory(t *testing.T, s incidents.Store) History {
	t.Helper()
	return newSuite().seedHistory(t, s)
}

func (su *suite) seedHistory(t *testing.T, s incidents.Store) History {
	t.Helper()
	depRB := func(svc string, at time.Time, rollback bool) int64 {
		d, err := s.RecordDeploy(ctx(t), incidents.DeployWrite{Key: su.key(t), Author: "ci", Service: svc, Version: "v", At: at, Rollback: rollback})
		if err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	dep := func(svc string, at time.Time) int64 { return depRB(svc, at, false) }
	type spec struct {
		start    time.Time
		cat      string
		svc      string
		kind     incidents.Kind
		identify time.Duration // 0: never identified
		deploy   int64         // linked deploy, 0: none
	}
	d1 := dep("payments", base.Add(day-30*time.Minute))   // → A
	d2 := dep("payments", base.Add(3*day-10*time.Minute)) // → B
	depRB("payments", base.Add(10*day), true)             // D3: no incident, a rollback
	dep("checkout", base.Add(4*day))                      // D4: a day before C, not linked
	dep("checkout", base.Add(5*day-time.Hour))            // D5: suggested for C, never linked
	d6 := dep("payments", base.Add(4*day-30*time.Minute)) // → E, a drill: not a failure
	d7 := dep("payments", base.Add(-10*day-time.Hour))    // previous period → Q
	for _, sp := range []spec{
		{base.Add(day), "deployment", "payments", "", 30 * time.Minute, d1},                     // A
		{base.Add(3 * day), "deployment", "payments", "", 20 * time.Minute, d2},                 // B: recurs A (2 days)
		{base.Add(5 * day), "capacity", "checkout", "", 90 * time.Minute, 0},                    // C: recurs P (6 days)
		{base.Add(20 * day), "deployment", "payments", "", 0, 0},                                // D: B is 17 days back
		{base.Add(4 * day), "deployment", "payments", incidents.KindDrill, 5 * time.Minute, d6}, // E: drill
		{base.Add(-day), "capacity", "checkout", "", 0, 0},                                      // P (previous)
		{base.Add(-10 * day), "configuration", "payments", "", 0, d7},                           // Q (previous)
	} {
		inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "alice", Title: "seeded", Kind: sp.kind, Category: sp.cat,
			Services: []string{sp.svc}, Started: sp.start, Detected: sp.start.Add(2 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if sp.identify > 0 {
			if _, err := su.mark(s, t, inc.ID, incidents.Identified, sp.start.Add(sp.identify), ""); err != nil {
				t.Fatal(err)
			}
		}
		if sp.deploy > 0 {
			if _, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindDeployLink,
				Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: sp.deploy}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return History{From: base, To: base.Add(30 * day), Within: 7 * day}
}

// CheckReliability compares a report over SeedHistory's period with the
// numbers worked out by hand.
func CheckReliability(t *testing.T, r incidents.Reliability) {
	t.Helper()
	near := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, deref(got), want)
		}
	}
	// MTTI over A, B, C (E is a drill): 30m, 20m, 90m.
	if r.MTTI.Count != 3 {
		t.Errorf("MTTI count %d, want 3", r.MTTI.Count)
	}
	near("MTTI mean", r.MTTI.Mean, (30+20+90)*60/3.0)
	near("MTTI median", r.MTTI.Median, 30*60)
	near("MTTI p90", r.MTTI.P90, 90*60)
	if r.Count != 4 || r.Excluded[incidents.KindDrill] != 1 {
		t.Errorf("count %d excluded %v, want 4 and one drill", r.Count, r.Excluded)
	}
	cur, prev := r.Current.Recurrence, r.Previous.Recurrence
	if cur.Count != 4 || cur.ByCategory["deployment"] != 3 || cur.ByCategory["capacity"] != 1 || len(cur.ByCategory) != 2 {
		t.Errorf("current by category %v (count %d)", cur.ByCategory, cur.Count)
	}
	if cur.ByService["payments"] != 3 || cur.ByService["checkout"] != 1 {
		t.Errorf("current by service %v", cur.ByService)
	}
	if cur.Recurred != 2 {
		t.Errorf("recurred %d, want 2 (B and C)", cur.Recurred)
	}
	near("recurred share", cur.Share, 0.5)
	if prev.Count != 2 || prev.ByCategory["capacity"] != 1 || prev.ByCategory["configuration"] != 1 || prev.Recurred != 0 {
		t.Errorf("previous recurrence %+v", prev)
	}
	near("previous share", prev.Share, 0)
	// Deploys in the period: D1..D6 (6), failed D1 and D2.
	c := r.Current.Change
	if c.Deploys != 6 || c.Failed != 2 {
		t.Errorf("change failure %d/%d, want 2/6", c.Failed, c.Deploys)
	}
	near("change failure rate", c.Rate, 2.0/6)
	near("payments CFR", c.ByService["payments"].Rate, 0.5)
	near("checkout CFR", c.ByService["checkout"].Rate, 0)
	if c.ByService["payments"].Deploys != 4 || c.ByService["checkout"].Deploys != 2 {
		t.Errorf("deploys by service %+v", c.ByService)
	}
	near("previous CFR", r.Previous.Change.Rate, 1)
	// Rollbacks: D3 only (payments).
	if c.Rollbacks != 1 || c.ByService["payments"].Rollbacks != 1 || c.ByService["checkout"].Rollbacks != 0 || r.Previous.Change.Rollbacks != 0 {
		t.Errorf("rollbacks %d (by service %+v), previous %d; want 1 (payments), 0", c.Rollbacks, c.ByService, r.Previous.Change.Rollbacks)
	}
	near("rollback rate", c.RollbackRate, 1.0/6)
	near("payments rollback rate", c.ByService["payments"].RollbackRate, 0.25)
	near("checkout rollback rate", c.ByService["checkout"].RollbackRate, 0)
	near("previous rollback rate", r.Previous.Change.RollbackRate, 0)
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func (su *suite) testReliabilityReport(t *testing.T, s incidents.Store) {
	h := su.seedHistory(t, s)
	all, err := s.List(ctx(t), incidents.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	deps, err := s.Deploys(ctx(t), incidents.DeployFilter{})
	if err != nil {
		t.Fatal(err)
	}
	CheckReliability(t, incidents.NewReliability(all, deps, []incidents.Kind{incidents.KindIncident}, h.From, h.To, h.Within))
	// Counting drills too changes MTTI and the change failure rate: D6
	// becomes a failure and E's 5m joins MTTI.
	r := incidents.NewReliability(all, deps, incidents.AllKinds(), h.From, h.To, h.Within)
	if r.MTTI.Count != 4 || r.Current.Change.Failed != 3 {
		t.Errorf("with drills: MTTI count %d failed %d, want 4 and 3", r.MTTI.Count, r.Current.Change.Failed)
	}
}
