// Package changes finds deploys and config changes in telemetry a
// context already has: a PromQL expression whose changes are events, such
// as a build-info series (a new label set, e.g. a new version, is a
// deploy) or a deployment-generation series (a new value is a rollout),
// or a log query whose lines are events.
// The Metrics pane draws the events on its charts; anything else that
// lists what changed in a window can use them too.
//
// FromSeries is a pure function of the series; Fetch runs the query
// through a consumer-side interface, so the package does no I/O of its
// own and imports no UI.
package changes

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Event is one change: when, to which service, and what changed.
type Event struct {
	T time.Time
	// Service is the value of the source's service label; "" when the
	// series carries none (a change to everything).
	Service string
	// Kind is the source's kind, e.g. "deploy" or "config".
	Kind string
	// Source names the configured source the event came from.
	Source string
	// What says what changed, e.g. "version 1.4.2 → 1.4.3".
	What string
}

// String is the event as one line: "deploy api: version 1.4.2 → 1.4.3".
func (e Event) String() string {
	who := e.Service
	if who == "" {
		who = "all services"
	}
	return e.Kind + " " + who + ": " + e.What
}

// Source is one configured place changes come from.
type Source struct {
	// Name and Kind label the events.
	Name, Kind string
	// Expr is the PromQL expression whose changes are events.
	Expr string
	// Logs, instead, is a log query whose every line is an event (see
	// FetchLogs).
	Logs string
	// ServiceLabel is the label that names the service changed.
	ServiceLabel string
}

// Querier runs a range query; *prom.Client implements it.
type Querier interface {
	QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
}

// Fetch runs src over [from, to] at step and returns its events there, for
// every service or, when service is not "", for that one and for changes
// without a service.
func Fetch(ctx context.Context, q Querier, src Source, from, to time.Time, step time.Duration, service string) ([]Event, error) {
	ss, _, err := q.QueryRange(ctx, src.Expr, from, to, step)
	if err != nil {
		return nil, fmt.Errorf("changes %s: %w", src.Name, err)
	}
	evs := FromSeries(ss, src, from, step)
	if service == "" {
		return evs, nil
	}
	out := evs[:0]
	for _, e := range evs {
		if e.Service == service || e.Service == "" {
			out = append(out, e)
		}
	}
	return out, nil
}

// FromSeries finds the events in a range query's answer that started at
// from with the given step. Per service:
//
//   - a series that first appears after the range's first step is a new
//     label set (a build-info series with a new version): one event, which
//     names the labels that differ from the newest series before it;
//   - a series whose value changes between two samples (a generation or
//     revision number) is one event per change.
//
// A series that stops is not an event: Prometheus keeps answering for an
// old build-info series for a while after the deploy that replaced it.
// Events come back in time order.
func FromSeries(ss []sources.Series, src Source, from time.Time, step time.Duration) []Event {
	type seen struct {
		first  time.Time
		labels map[string]string
	}
	bySvc := map[string][]seen{}
	var out []Event
	for _, s := range ss {
		svc := sanitize.Line(s.Labels[src.ServiceLabel])
		first := time.Time{}
		prev := math.NaN()
		for _, p := range s.Samples {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				continue
			}
			if first.IsZero() {
				first = p.Time
			} else if p.Value != prev {
				out = append(out, Event{T: p.Time, Service: svc, Kind: src.Kind, Source: src.Name,
					What: fmt.Sprintf("%s %s → %s", valueName(s.Labels), num(prev), num(p.Value))})
			}
			prev = p.Value
		}
		if !first.IsZero() {
			bySvc[svc] = append(bySvc[svc], seen{first: first, labels: s.Labels})
		}
	}
	for svc, list := range bySvc {
		sort.SliceStable(list, func(i, j int) bool { return list[i].first.Before(list[j].first) })
		for i, cur := range list {
			if !cur.first.After(from.Add(step)) {
				continue // there from the start: not a change seen here
			}
			var before map[string]string
			if i > 0 {
				before = list[i-1].labels
			}
			out = append(out, Event{T: cur.first, Service: svc, Kind: src.Kind, Source: src.Name,
				What: labelChange(before, cur.labels, src.ServiceLabel)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].T.Equal(out[j].T) {
			return out[i].T.Before(out[j].T)
		}
		return out[i].Service < out[j].Service
	})
	return out
}

// labelChange says which labels differ between the series before and the
// new one: "version 1.4.2 → 1.4.3", or "new version 1.4.3" with nothing
// before.
func labelChange(before, after map[string]string, serviceLabel string) string {
	keys := make([]string, 0, len(after))
	for k := range after {
		if k != "__name__" && k != serviceLabel {
			keys = append(keys, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && k != "__name__" && k != serviceLabel {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var parts []string
	for _, k := range keys {
		a, b := before[k], after[k]
		switch {
		case before == nil:
			parts = append(parts, fmt.Sprintf("%s %s", sanitize.Line(k), sanitize.Line(b)))
		case a != b:
			parts = append(parts, fmt.Sprintf("%s %s → %s", sanitize.Line(k), orDash(sanitize.Line(a)), orDash(sanitize.Line(b))))
		}
	}
	if len(parts) == 0 {
		return "new series"
	}
	if before == nil {
		return "new " + strings.Join(parts, ", ")
	}
	return strings.Join(parts, ", ")
}

// valueName names what a value-change event counts: the metric name, or
// "value".
func valueName(ls map[string]string) string {
	if n := sanitize.Line(ls["__name__"]); n != "" {
		return n
	}
	return "value"
}

func num(v float64) string { return fmt.Sprintf("%g", v) }

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Near returns the event closest to t within tol, if any.
func Near(evs []Event, t time.Time, tol time.Duration) (Event, bool) {
	best, found := Event{}, false
	var bestD time.Duration
	for _, e := range evs {
		d := e.T.Sub(t)
		if d < 0 {
			d = -d
		}
		if d <= tol && (!found || d < bestD) {
			best, bestD, found = e, d, true
		}
	}
	return best, found
}
