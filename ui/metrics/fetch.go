package metrics

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// The pane's async results are pane.Results: each carries the pane's id
// and the sequence number of its request, and stale ones are dropped.
type (
	signalsMsg = pane.Result[signals]
	queryMsg   = pane.Result[panel]
)

// signals answers a golden-signals run: the four charts, the exemplars
// and the change markers, each with its own error.
type signals struct {
	service string
	panels  []panel
	ex      []exemplar
	exErr   error
	changes []changes.Event
	chErr   error
}

// panel is one chart's data: what was asked and what came back.
type panel struct {
	name  string // a template name, or "query" in free mode
	title string
	unit  chart.Unit
	zero  bool
	// exprs are the queries run; for latency one per quantile.
	exprs    []string
	series   []chart.Series
	labels   []map[string]string // the labels of each series, for the table
	warnings []string
	// empty says why there is nothing to draw: "no data", or "metric X
	// not found". "" when there is data.
	empty string
	err   error
	from  time.Time
	to    time.Time
	step  time.Duration
}

// exemplar is one exemplar with a trace id, ready to draw and open.
type exemplar struct {
	t       time.Time
	v       float64
	traceID string
}

// request is everything a fetch needs, captured by value.
type request struct {
	src      Source
	from, to time.Time
	step     time.Duration
}

// window is the rate window for a step: the step plus one scrape, at
// least four 15 s scrapes, so rate() always has two samples.
func window(step time.Duration) string {
	w := max(step+15*time.Second, time.Minute)
	return fmt.Sprintf("%ds", int(w.Seconds()))
}

// quantiles are the latency lines.
var quantiles = []struct{ name, q string }{{"p50", "0.5"}, {"p95", "0.95"}, {"p99", "0.99"}}

// signalSpecs are the four golden-signal charts.
func signalSpecs() []panel {
	return []panel{
		{name: config.MetricsLatency, title: "Latency", unit: chart.UnitSeconds, zero: true},
		{name: config.MetricsTraffic, title: "Traffic", unit: chart.UnitPerSecond, zero: true},
		{name: config.MetricsErrors, title: "Errors", unit: chart.UnitRatio, zero: true},
		{name: config.MetricsSaturation, title: "Saturation", unit: chart.UnitRatio, zero: true},
	}
}

// signalsFn runs the golden-signal queries for one service concurrently
// and answers with all four panels at once; its error is the last failed
// chart's.
func signalsFn(r request, service, label string, tmpl map[string]string, chSrcs []changes.Source, logs changes.LogQuerier) func(context.Context) (signals, error) {
	return func(ctx context.Context) (signals, error) {
		vars := map[string]string{"service_label": label, "service": service, "window": window(r.step)}
		panels := signalSpecs()
		var wg sync.WaitGroup
		for i := range panels {
			p := &panels[i]
			p.from, p.to, p.step = r.from, r.to, r.step
			if p.name == config.MetricsLatency {
				for _, q := range quantiles {
					v := map[string]string{"quantile": q.q}
					for k, s := range vars {
						v[k] = s
					}
					p.exprs = append(p.exprs, config.ExpandMetricsTemplate(tmpl[p.name], v))
				}
			} else {
				p.exprs = []string{config.ExpandMetricsTemplate(tmpl[p.name], vars)}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				runPanel(ctx, r, p, label)
			}()
		}
		msg := signals{service: service}
		if t := tmpl[config.MetricsExemplars]; strings.TrimSpace(t) != "" {
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg.ex, msg.exErr = fetchExemplars(ctx, r, config.ExpandMetricsTemplate(t, vars))
			}()
		}
		if len(chSrcs) > 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg.changes, msg.chErr = fetchChanges(ctx, r, chSrcs, logs, service)
			}()
		}
		wg.Wait()
		msg.panels = panels
		var err error
		for _, p := range panels {
			if p.err != nil {
				err = p.err
			}
		}
		return msg, err
	}
}

// queryFn runs one free PromQL query.
func queryFn(r request, expr string) func(context.Context) (panel, error) {
	return func(ctx context.Context) (panel, error) {
		names := metricNames(expr)
		p := panel{name: "query", title: "PromQL", exprs: []string{expr}, from: r.from, to: r.to, step: r.step}
		if len(names) > 0 {
			p.unit = chart.UnitFor(names[0])
		}
		runPanel(ctx, r, &p, "")
		return p, p.err
	}
}

// runPanel runs p's queries and fills in its series, or its error, or
// why it is empty. Latency's queries each give one line named after the
// quantile; other panels name their lines by the labels that differ.
func runPanel(ctx context.Context, r request, p *panel, serviceLabel string) {
	for i, expr := range p.exprs {
		ss, warns, err := r.src.QueryRange(ctx, expr, r.from, r.to, r.step)
		for _, w := range warns {
			p.warnings = append(p.warnings, sanitize.Line(w))
		}
		if err != nil {
			p.err = err
			return
		}
		for _, s := range ss {
			cs := chart.Series{Points: make([]chart.Point, len(s.Samples))}
			for j, smp := range s.Samples {
				cs.Points[j] = chart.Point{T: smp.Time, V: smp.Value}
			}
			ls := make(map[string]string, len(s.Labels))
			for k, v := range s.Labels {
				ls[sanitize.Line(k)] = sanitize.Line(v)
			}
			if len(p.exprs) > 1 && i < len(quantiles) {
				cs.Name = quantiles[i].name
			}
			p.series = append(p.series, cs)
			p.labels = append(p.labels, ls)
			// A backend that aligns the window to its step (VictoriaMetrics)
			// answers past the end asked for: the chart's axis reaches the
			// newest sample, so the legend reading it is on the chart.
			if n := len(cs.Points); n > 0 && cs.Points[n-1].T.After(p.to) {
				p.to = cs.Points[n-1].T
			}
		}
	}
	if len(p.exprs) == 1 {
		names := chart.SeriesNames(p.labels, serviceLabel, p.title)
		for i := range p.series {
			p.series[i].Name = names[i]
		}
	}
	if !hasPoints(p.series) {
		p.empty = explainEmpty(ctx, r, p.exprs)
	}
}

func hasPoints(ss []chart.Series) bool {
	for _, s := range ss {
		for _, pt := range s.Points {
			if !math.IsNaN(pt.V) && !math.IsInf(pt.V, 0) {
				return true
			}
		}
	}
	return false
}

// explainEmpty says why a query gave nothing: the metrics it names that
// Prometheus has never seen in the window, else plain "no data".
func explainEmpty(ctx context.Context, r request, exprs []string) string {
	var missing []string
	seen := map[string]bool{}
	for _, e := range exprs {
		for _, n := range metricNames(e) {
			if seen[n] {
				continue
			}
			seen[n] = true
			vals, _, err := r.src.LabelValues(ctx, "__name__", []string{fmt.Sprintf("{__name__=%q}", n)}, r.from, r.to)
			if err == nil && len(vals) == 0 {
				missing = append(missing, sanitize.Line(n))
			}
		}
	}
	switch len(missing) {
	case 0:
		return "no data"
	case 1:
		return "metric " + missing[0] + " not found"
	}
	return "metrics " + strings.Join(missing, ", ") + " not found"
}

// maxExemplars bounds the exemplars kept for one chart: the slowest win,
// since those are the traces worth opening.
const maxExemplars = 500

func fetchExemplars(ctx context.Context, r request, expr string) ([]exemplar, error) {
	es, err := r.src.QueryExemplars(ctx, expr, r.from, r.to)
	if err != nil {
		return nil, err
	}
	out := make([]exemplar, 0, len(es))
	for _, e := range es {
		if e.TraceID == "" || math.IsNaN(e.Value) {
			continue
		}
		out = append(out, exemplar{t: e.Time, v: e.Value, traceID: sanitize.Line(e.TraceID)})
	}
	if len(out) > maxExemplars {
		sort.Slice(out, func(i, j int) bool { return out[i].v > out[j].v })
		out = out[:maxExemplars]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].t.Before(out[j].t) })
	return out, nil
}
