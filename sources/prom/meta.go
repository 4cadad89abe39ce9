package prom

import (
	"context"
	"sort"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Series lists the label sets of the series that match any of matchers
// (e.g. `{job="api"}`) in [from, to]. Zero times leave the bound to the
// server, which then searches everything it holds.
func (c *Client) Series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, []string, error) {
	sets, w, err := call(ctx, c, "series", func(ctx context.Context, a v1.API) ([]model.LabelSet, v1.Warnings, v1.Infos, error) {
		return a.Series(ctx, matchers, from, to)
	})
	if err != nil {
		return nil, w, err
	}
	out := make([]map[string]string, len(sets))
	for i, s := range sets {
		out[i] = labels(s)
	}
	return out, w, nil
}

// LabelNames lists label names, optionally only those of series matching
// matchers, sorted.
func (c *Client) LabelNames(ctx context.Context, matchers []string, from, to time.Time) ([]string, []string, error) {
	names, w, err := call(ctx, c, "labels", func(ctx context.Context, a v1.API) (model.LabelNames, v1.Warnings, v1.Infos, error) {
		return a.LabelNames(ctx, matchers, from, to)
	})
	if err != nil {
		return nil, w, err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = sanitize.Line(string(n))
	}
	sort.Strings(out)
	return out, w, nil
}

// LabelValues lists the values of label name, optionally only on series
// matching matchers, sorted.
func (c *Client) LabelValues(ctx context.Context, name string, matchers []string, from, to time.Time) ([]string, []string, error) {
	if name == "" {
		return nil, nil, &sources.Error{Backend: Backend, Op: "label_values", Kind: sources.KindBadQuery, Msg: "label name is empty"}
	}
	vals, w, err := call(ctx, c, "label_values", func(ctx context.Context, a v1.API) (model.LabelValues, v1.Warnings, v1.Infos, error) {
		return a.LabelValues(ctx, name, matchers, from, to)
	})
	if err != nil {
		return nil, w, err
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = sanitize.Line(string(v))
	}
	sort.Strings(out)
	return out, w, nil
}

// traceIDLabels are the exemplar label names instrumentation libraries use
// for the trace id, most common first (OpenTelemetry, then others).
var traceIDLabels = []model.LabelName{"trace_id", "traceID", "trace-id", "traceId"}

// QueryExemplars returns the exemplars of the series selected by expr in
// [from, to], each with its trace id when one of the usual labels holds it.
func (c *Client) QueryExemplars(ctx context.Context, expr string, from, to time.Time) ([]sources.Exemplar, error) {
	res, _, err := call(ctx, c, "query_exemplars", func(ctx context.Context, a v1.API) ([]v1.ExemplarQueryResult, v1.Warnings, v1.Infos, error) {
		r, err := a.QueryExemplars(ctx, expr, from, to)
		return r, nil, nil, err
	})
	if err != nil {
		return nil, err
	}
	return toExemplars(res), nil
}

func toExemplars(res []v1.ExemplarQueryResult) []sources.Exemplar {
	var out []sources.Exemplar
	for _, r := range res {
		series := labels(r.SeriesLabels)
		for _, e := range r.Exemplars {
			out = append(out, sources.Exemplar{
				SeriesLabels: series,
				Labels:       labels(e.Labels),
				Value:        float64(e.Value),
				Time:         e.Timestamp.Time(),
				TraceID:      traceID(e.Labels),
			})
		}
	}
	return out
}

func traceID(ls model.LabelSet) string {
	for _, n := range traceIDLabels {
		if v, ok := ls[n]; ok && v != "" {
			return sanitize.Line(string(v))
		}
	}
	return ""
}
