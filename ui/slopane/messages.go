package slopane

import (
	"context"
	"math"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Source is the Prometheus the pane evaluates SLOs against; *prom.Client
// satisfies it.
type Source = slo.RangeQuerier

// answer is one refresh's answers, one per SLO in the pane's order.
type answer struct {
	at       time.Time
	slos     []slo.SLO
	outcomes []slo.Measured
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

// fetch finds and evaluates the SLOs with slo.MeasureAll (the configured
// ones plus, with rules, those Sloth and Pyrra generated rules for), with
// each one's burn history. Warnings come back sanitized and deduplicated,
// Prometheus's (in the SLOs' order) before the search's notes. The error
// is the first SLO's that could not be evaluated; the answer comes with
// it.
func fetch(r fetchReq) func(ctx context.Context) (answer, error) {
	return func(ctx context.Context) (answer, error) {
		b := slo.Backends{Prom: r.src, History: r.src, Rules: r.rules}
		if r.incidents != nil {
			b.Planned = incidents.PlannedWorkOf(r.incidents)
		}
		// Without Probe and Name, MeasureAll's only errors are per SLO.
		ms, _ := slo.MeasureAll(ctx, b, slo.MeasureOptions{At: r.at, Configured: r.configured,
			Exclusions: r.exclusions, Searched: r.searched, History: History, HistoryStep: HistoryStep})
		searched := ms.Searched
		if n := ms.PlannedNote(); n != "" {
			searched.Notes = append(searched.Notes, n)
		}
		var warnings []string
		slos := make([]slo.SLO, len(ms.Results))
		for i, o := range ms.Results {
			slos[i] = o.SLO
			warnings = append(warnings, o.Warnings...)
		}
		warnings = append(warnings, searched.Notes...)
		seen := map[string]bool{}
		var ws []string
		for _, w := range warnings {
			if w = sanitize.Line(w); !seen[w] {
				seen[w] = true
				ws = append(ws, w)
			}
		}
		return answer{at: r.at, slos: slos, outcomes: ms.Results, warnings: ws, searched: searched}, ms.FirstErr()
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
