package prom

import (
	"context"
	"fmt"
	"math"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Query evaluates expr at one instant; a zero at means the server's now.
// A vector gives one sample per series, a scalar one unlabelled series, and
// a range selector (matrix) its raw samples.
func (c *Client) Query(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	v, w, err := call(ctx, c, "query", func(ctx context.Context, a v1.API) (model.Value, v1.Warnings, v1.Infos, error) {
		return a.Query(ctx, expr, at)
	})
	if err != nil {
		return nil, w, err
	}
	return toSeries("query", v, w)
}

// QueryRange evaluates expr over [from, to] every step. A zero step picks
// AutoStep(from, to, DefaultPoints).
func (c *Client) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	if to.Before(from) {
		return nil, nil, &sources.Error{Backend: Backend, Op: "query_range", Kind: sources.KindBadQuery,
			Msg: "end of range is before its start"}
	}
	if step < 0 {
		return nil, nil, &sources.Error{Backend: Backend, Op: "query_range", Kind: sources.KindBadQuery,
			Msg: "step must be positive"}
	}
	if step == 0 {
		step = AutoStep(from, to, DefaultPoints)
	}
	r := v1.Range{Start: from, End: to, Step: step}
	v, w, err := call(ctx, c, "query_range", func(ctx context.Context, a v1.API) (model.Value, v1.Warnings, v1.Infos, error) {
		return a.QueryRange(ctx, expr, r)
	})
	if err != nil {
		return nil, w, err
	}
	return toSeries("query_range", v, w)
}

// DefaultPoints is the resolution QueryRange aims for when no step is
// given: about the width of a wide terminal chart, so every column gets a
// point without fetching many more than can be drawn.
const DefaultPoints = 250

// MinAutoStep is the smallest step AutoStep picks. It is the most common
// scrape interval: a finer step only repeats the same sample, and costs the
// server more.
const MinAutoStep = 15 * time.Second

// maxPoints is Prometheus's hard limit of points per series in a range
// query (it rejects more with "exceeded maximum resolution").
const maxPoints = 11000

// niceSteps are the steps people read easily on an axis.
var niceSteps = []time.Duration{
	15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// AutoStep returns a step that gives at most width points over [from, to]:
// (to-from)/width rounded up to a nice value (15s, 30s, 1m, 2m, 5m, ...,
// 1d, then whole days), never below MinAutoStep. width ≤ 0 means
// DefaultPoints; a width above Prometheus's 11000-point limit is capped.
func AutoStep(from, to time.Time, width int) time.Duration {
	if width <= 0 {
		width = DefaultPoints
	}
	if width > maxPoints {
		width = maxPoints
	}
	span := to.Sub(from)
	if span <= 0 {
		return MinAutoStep
	}
	raw := time.Duration(math.Ceil(float64(span) / float64(width)))
	for _, s := range niceSteps {
		if raw <= s {
			return s
		}
	}
	day := 24 * time.Hour
	return ((raw + day - 1) / day) * day
}

// toSeries converts a decoded result. Native histogram samples have no
// single value to plot; they are left out with a warning so the user knows
// to wrap the query in histogram_quantile or histogram_count.
func toSeries(op string, v model.Value, warnings []string) ([]sources.Series, []string, error) {
	hist := false
	var out []sources.Series
	switch r := v.(type) {
	case nil:
		return nil, warnings, nil
	case model.Vector:
		out = make([]sources.Series, 0, len(r))
		for _, s := range r {
			if s.Histogram != nil {
				hist = true
				continue
			}
			out = append(out, sources.Series{
				Labels:  labels(model.LabelSet(s.Metric)),
				Samples: []sources.Sample{{Time: s.Timestamp.Time(), Value: float64(s.Value)}},
			})
		}
	case *model.Scalar:
		out = []sources.Series{{Labels: map[string]string{}, Samples: []sources.Sample{{Time: r.Timestamp.Time(), Value: float64(r.Value)}}}}
	case model.Matrix:
		out = make([]sources.Series, 0, len(r))
		for _, ss := range r {
			if ss == nil {
				continue
			}
			if len(ss.Histograms) > 0 {
				hist = true
			}
			samples := make([]sources.Sample, len(ss.Values))
			for i, p := range ss.Values {
				samples[i] = sources.Sample{Time: p.Timestamp.Time(), Value: float64(p.Value)}
			}
			if len(samples) == 0 && len(ss.Histograms) > 0 {
				continue
			}
			out = append(out, sources.Series{Labels: labels(model.LabelSet(ss.Metric)), Samples: samples})
		}
	case *model.String:
		return nil, warnings, &sources.Error{Backend: Backend, Op: op, Kind: sources.KindBadQuery,
			Msg: "the expression is a string literal, not a number or series"}
	default:
		return nil, warnings, &sources.Error{Backend: Backend, Op: op, Kind: sources.KindBadResponse,
			Msg: fmt.Sprintf("unexpected result type %s", v.Type())}
	}
	if hist {
		warnings = append(warnings, "native histogram samples are not shown; wrap the query in histogram_quantile() or histogram_count()")
	}
	return out, warnings, nil
}

// labels copies a label set, sanitizing names and values for the screen.
func labels(ls model.LabelSet) map[string]string {
	m := make(map[string]string, len(ls))
	for k, v := range ls {
		m[sanitize.Line(string(k))] = sanitize.Line(string(v))
	}
	return m
}
