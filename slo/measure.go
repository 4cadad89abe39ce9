package slo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
)

// Querier runs instant PromQL; *prom.Client satisfies it. It is declared
// here, on the consumer side, so tests hand Measure a fake.
type Querier interface {
	Query(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error)
}

// RangeQuerier also runs range queries, for the burn-history chart.
type RangeQuerier interface {
	Querier
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
}

// DefaultParallelism bounds the instant queries Measure has in flight.
const DefaultParallelism = 4

// Measure runs every query the SLO's alert table needs (an error ratio and,
// where the SLI can count them, the events of each window) at most
// cap(sem) at a time, and evaluates the answers at at. A nil sem allows
// DefaultParallelism. Warnings from Prometheus come back deduplicated.
func Measure(ctx context.Context, q Querier, s SLO, at time.Time, sem chan struct{}) (Evaluation, []string, error) {
	if sem == nil {
		sem = make(chan struct{}, DefaultParallelism)
	}
	windows := RequiredWindows(s)
	in := Inputs{}
	for _, w := range windows {
		in[w] = Observation{ErrorRatio: math.NaN(), Events: math.NaN()}
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		errs     []error
		warnings []string
	)
	run := func(expr string, set func(float64)) {
		defer wg.Done()
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			mu.Lock()
			errs = append(errs, ctx.Err())
			mu.Unlock()
			return
		}
		defer func() { <-sem }()
		series, warn, err := q.Query(ctx, expr, at)
		mu.Lock()
		defer mu.Unlock()
		warnings = append(warnings, warn...)
		if err != nil {
			errs = append(errs, err)
			return
		}
		set(ScalarValue(series))
	}
	for _, w := range windows {
		span := w
		if w == s.Window {
			span = s.BudgetSpan(at) // a calendar window's budget starts with its period
		}
		ratioQ, err := ErrorRatioQuery(s, span)
		if err != nil {
			return Evaluation{}, nil, err
		}
		wg.Add(1)
		go run(ratioQ, func(v float64) { o := in[w]; o.ErrorRatio = v; in[w] = o })
		if evQ, ok := EventsQuery(s, span); ok {
			wg.Add(1)
			go run(evQ, func(v float64) { o := in[w]; o.Events = v; in[w] = o })
		}
	}
	wg.Wait()
	warnings = dedupe(warnings)
	if len(errs) > 0 {
		// One error: the rest are the same failure. Parallel queries to a
		// dead Prometheus trip its circuit breaker, so prefer the error
		// that says why over "circuit open".
		for _, err := range errs {
			if !strings.Contains(err.Error(), "circuit open") {
				return Evaluation{}, warnings, err
			}
		}
		return Evaluation{}, warnings, errs[0]
	}
	e := Evaluate(s, in)
	w, err := measureExclusions(ctx, q, s, at, &e)
	warnings = dedupe(append(warnings, w...))
	if err != nil {
		return Evaluation{}, warnings, err
	}
	return e, warnings, nil
}

// ScalarValue is the single value of an instant query; NaN when the query
// returned nothing. Several series (a query without sum) count as their
// maximum, the worst case.
func ScalarValue(series []sources.Series) float64 {
	v := math.NaN()
	for _, s := range series {
		if len(s.Samples) == 0 {
			continue
		}
		x := s.Samples[len(s.Samples)-1].Value
		if math.IsNaN(v) || x > v {
			v = x
		}
	}
	return v
}

// HistoryWindow is the trailing window whose burn rate the history chart
// plots: the page condition's long window, the same "current burn" the
// sentence and the time to exhaustion use.
const HistoryWindow = time.Hour

// BurnHistoryQuery is the PromQL the burn-history chart evaluates over a
// range: the error ratio over HistoryWindow divided by the error budget.
func BurnHistoryQuery(s SLO) (string, error) {
	q, err := ErrorRatioQuery(s, HistoryWindow)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("(%s)\n/ %s", q, formatNumber(s.ErrorBudget())), nil
}

// Point is one sample of a burn-rate history.
type Point struct {
	Time time.Time
	Rate float64
}

// BurnHistory evaluates BurnHistoryQuery from from to to every step.
// Several series (a query without sum) count as their maximum per step.
func BurnHistory(ctx context.Context, q RangeQuerier, s SLO, from, to time.Time, step time.Duration) ([]Point, []string, error) {
	expr, err := BurnHistoryQuery(s)
	if err != nil {
		return nil, nil, err
	}
	series, warn, err := q.QueryRange(ctx, expr, from, to, step)
	if err != nil {
		return nil, warn, err
	}
	byTime := map[int64]float64{}
	for _, ser := range series {
		for _, smp := range ser.Samples {
			k := smp.Time.UnixMilli()
			if v, ok := byTime[k]; !ok || smp.Value > v || math.IsNaN(v) {
				byTime[k] = smp.Value
			}
		}
	}
	var out []Point
	for t := from; !t.After(to); t = t.Add(step) {
		v, ok := byTime[t.UnixMilli()]
		if !ok {
			v = math.NaN()
		}
		out = append(out, Point{Time: t, Rate: v})
	}
	return out, dedupe(warn), nil
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ReadSpec reads one SLO spec file in any format reltui reads, detecting
// the format by content (see readSpec in detect.go). file names the file
// in errors.
func ReadSpec(file string, data []byte) ([]SLO, error) {
	return readSpec(file, data)
}
