package slopane

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Source is the Prometheus the pane evaluates SLOs against; *prom.Client
// satisfies it.
type Source = slo.RangeQuerier

// outcome is one SLO's answer in a refresh.
type outcome struct {
	eval    slo.Evaluation
	hist    []slo.Point
	err     error
	histErr error
}

// answer is one refresh's answers, one per SLO in the pane's order.
type answer struct {
	at       time.Time
	slos     []slo.SLO
	outcomes []outcome
	warnings []string
	searched slo.Searched
}

// resultMsg is a refresh's answer; its Err is the first SLO's error.
type resultMsg = pane.Result[answer]

// History is how far back the burn chart reaches and HistoryStep its
// resolution: 120 points, enough for a 200-column chart.
const (
	History     = 6 * time.Hour
	HistoryStep = 3 * time.Minute
)

// fetchReq is what one refresh needs, captured by value.
type fetchReq struct {
	src        Source
	rules      slo.RuleLister
	at         time.Time
	configured []slo.SLO
	exclusions []slo.Exclusion
	searched   slo.Searched
	incidents  incidents.Lister
}

// fetch finds the SLOs (the configured ones plus, with rules, those
// Sloth and Pyrra generated rules for), evaluates every one at r.at and
// reads its burn history. The SLOs share one bound on queries in flight.
// The error is the first SLO's that could not be evaluated; the answer
// comes with it.
func fetch(r fetchReq) func(ctx context.Context) (answer, error) {
	return func(ctx context.Context) (answer, error) {
		slos, searched := slo.Gather(ctx, r.configured, r.rules, r.exclusions, r.searched)
		if r.incidents != nil {
			ex, err := slo.ReadPlannedWork(ctx, incidents.PlannedWorkOf(r.incidents), r.at)
			if err != nil {
				searched.Notes = append(searched.Notes, "drills and maintenance could not be read from the incident store: "+err.Error())
			}
			slos = slo.ApplyExclusions(slos, ex)
		}
		sem := make(chan struct{}, slo.DefaultParallelism)
		out := make([]outcome, len(slos))
		var mu sync.Mutex
		var warnings []string
		var wg sync.WaitGroup
		for i, s := range slos {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, w1, err := slo.Measure(ctx, r.src, s, r.at, sem)
				from := r.at.Add(-History).Truncate(HistoryStep)
				hist, w2, herr := slo.BurnHistory(ctx, r.src, s, from, r.at, HistoryStep)
				out[i] = outcome{eval: e, hist: hist, err: err, histErr: herr}
				mu.Lock()
				warnings = append(warnings, w1...)
				warnings = append(warnings, w2...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		warnings = append(warnings, searched.Notes...)
		seen := map[string]bool{}
		var ws []string
		for _, w := range warnings {
			if w = sanitize.Line(w); !seen[w] {
				seen[w] = true
				ws = append(ws, w)
			}
		}
		var firstErr error
		for _, o := range out {
			if o.err != nil {
				firstErr = o.err
				break
			}
		}
		return answer{at: r.at, slos: slos, outcomes: out, warnings: ws, searched: searched}, firstErr
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
