package slo

import (
	"context"
	"sync"
	"time"
)

// Backends are what MeasureAll reads through; only Prom is required.
type Backends struct {
	// Prom answers the SLIs' instant queries (and the probe).
	Prom Querier
	// History, when set with MeasureOptions.History, answers the burn
	// history's range query.
	History RangeQuerier
	// Rules, when set, is searched for the SLOs Sloth and Pyrra
	// generated rules for.
	Rules RuleLister
	// Planned, when set, lists the drills and maintenance left out of
	// the budgets.
	Planned PlannedWorkLister
}

// MeasureOptions say which SLOs MeasureAll judges, and when.
type MeasureOptions struct {
	// At is the moment judged.
	At time.Time
	// Configured, Exclusions and Searched are the context's SLOs, its
	// exclusions and where it looked, as Gather takes them.
	Configured []SLO
	Exclusions []Exclusion
	Searched   Searched
	// Name, when set, keeps only that SLO (Named's rules).
	Name string
	// Probe runs one query before any other, so that a Prometheus that is
	// down is reported by its own error rather than by the circuit
	// breaker the parallel queries would trip.
	Probe bool
	// History, when positive, also reads each SLO's burn history from
	// At-History (truncated to HistoryStep) to At, every HistoryStep.
	History, HistoryStep time.Duration
}

// Measured is one SLO's answer.
type Measured struct {
	SLO SLO
	// Eval is the evaluation at At; Warnings are Prometheus's (deduplicated
	// per SLO, those of the burn history after those of the evaluation).
	Eval     Evaluation
	Warnings []string
	// Err is why the SLO could not be evaluated.
	Err error
	// History and HistoryErr are the burn history's points or why it
	// could not be read (both empty without MeasureOptions.History).
	History    []Point
	HistoryErr error
}

// Measurements are one MeasureAll's answers.
type Measurements struct {
	// Results holds one entry per SLO, in Gather's order.
	Results []Measured
	// Searched is where the SLOs were looked for, with Gather's notes.
	Searched Searched
	// PlannedErr is why the planned work could not be read; the SLOs are
	// measured without it.
	PlannedErr error
}

// PlannedNote is the warning for planned work that could not be read, or
// "" when it was read.
func (m Measurements) PlannedNote() string {
	if m.PlannedErr == nil {
		return ""
	}
	return "drills and maintenance could not be read from the incident store: " + m.PlannedErr.Error()
}

// FirstErr is the first SLO's error, in the results' order, or nil.
func (m Measurements) FirstErr() error {
	for _, r := range m.Results {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// probeQuery is the cheapest query that proves Prometheus answers.
const probeQuery = "vector(1)"

// MeasureAll judges one context's SLOs at o.At: it probes Prometheus
// (with o.Probe), gathers the configured and discovered SLOs, leaves the
// planned work out of their budgets, keeps o.Name's SLO and measures every
// SLO at once, all of them sharing one bound of DefaultParallelism
// queries in flight. An SLO that cannot be measured has its Err; the
// error returned is the probe's or Named's, and with Named's the
// Measurements still say what was searched. No SLOs found is no error.
func MeasureAll(ctx context.Context, b Backends, o MeasureOptions) (Measurements, error) {
	if o.Probe {
		if _, _, err := b.Prom.Query(ctx, probeQuery, o.At); err != nil {
			return Measurements{}, err
		}
	}
	var m Measurements
	var slos []SLO
	slos, m.Searched = Gather(ctx, o.Configured, b.Rules, o.Exclusions, o.Searched)
	if b.Planned != nil {
		ex, err := ReadPlannedWork(ctx, b.Planned, o.At)
		m.PlannedErr = err
		slos = ApplyExclusions(slos, ex)
	}
	if len(slos) > 0 && o.Name != "" {
		var err error
		if slos, err = Named(slos, o.Name); err != nil {
			return m, err
		}
	}
	m.Results = make([]Measured, len(slos))
	sem := make(chan struct{}, DefaultParallelism)
	var wg sync.WaitGroup
	for i, s := range slos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Results[i] = measureOne(ctx, b, o, s, sem)
		}()
	}
	wg.Wait()
	return m, nil
}

// measureOne measures s and, when asked, reads its burn history.
func measureOne(ctx context.Context, b Backends, o MeasureOptions, s SLO, sem chan struct{}) Measured {
	r := Measured{SLO: s}
	r.Eval, r.Warnings, r.Err = Measure(ctx, b.Prom, s, o.At, sem)
	if o.History > 0 && b.History != nil {
		from := o.At.Add(-o.History).Truncate(o.HistoryStep)
		var w []string
		r.History, w, r.HistoryErr = BurnHistory(ctx, b.History, s, from, o.At, o.HistoryStep)
		r.Warnings = dedupe(append(r.Warnings, w...))
	}
	return r
}
