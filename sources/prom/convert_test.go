package prom

import (
	"math"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/sources"
)

func TestAutoStep(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		span  time.Duration
		width int
		want  time.Duration
	}{
		{5 * time.Minute, 250, 15 * time.Second}, // 1.2s, floored to MinAutoStep
		{time.Hour, 250, 15 * time.Second},       // 14.4s → 15s
		{time.Hour, 100, time.Minute},            // 36s → 1m
		{6 * time.Hour, 250, 2 * time.Minute},    // 86.4s → 2m
		{24 * time.Hour, 250, 10 * time.Minute},  // 345.6s → 10m
		{7 * 24 * time.Hour, 250, time.Hour},     // 2419s → 1h
		{30 * 24 * time.Hour, 250, 3 * time.Hour},
		{365 * 24 * time.Hour, 250, 48 * time.Hour}, // 35.04h → whole days
		{time.Hour, 0, 15 * time.Second},            // width 0 → DefaultPoints
		{0, 250, MinAutoStep},
		{-time.Hour, 250, MinAutoStep},
	}
	for _, c := range cases {
		if got := AutoStep(t0, t0.Add(c.span), c.width); got != c.want {
			t.Errorf("AutoStep(%v, width %d) = %v, want %v", c.span, c.width, got, c.want)
		}
	}
}

func TestAutoStepNeverExceedsWidthOrLimit(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, width := range []int{1, 7, 80, 250, 1000, 50000} {
		for span := time.Second; span < 400*24*time.Hour; span = span*3 + 7*time.Second {
			step := AutoStep(t0, t0.Add(span), width)
			points := int(span/step) + 1
			limit := min(width, maxPoints) + 1
			if step < MinAutoStep || points > limit {
				t.Fatalf("span %v width %d: step %v gives %d points (limit %d)", span, width, step, points, limit)
			}
		}
	}
}

func TestToSeries(t *testing.T) {
	ts := model.TimeFromUnixNano(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	vec := model.Vector{
		{Metric: model.Metric{"__name__": "up", "job": "a\x1b[31mred"}, Value: model.SampleValue(math.NaN()), Timestamp: ts},
		{Metric: model.Metric{"job": "b"}, Value: model.SampleValue(math.Inf(1)), Timestamp: ts},
		{Metric: model.Metric{"job": "h"}, Histogram: &model.SampleHistogram{Count: 3}, Timestamp: ts},
	}
	got, w, err := toSeries("query", vec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d series, want 2 (histogram left out)", len(got))
	}
	if got[0].Labels["job"] != "ared" {
		t.Errorf("escape sequence not stripped from label: %q", got[0].Labels["job"])
	}
	if !math.IsNaN(got[0].Samples[0].Value) || !math.IsInf(got[1].Samples[0].Value, 1) {
		t.Errorf("NaN/Inf not kept: %v %v", got[0].Samples, got[1].Samples)
	}
	if !got[0].Samples[0].Time.Equal(ts.Time()) {
		t.Errorf("time = %v, want %v", got[0].Samples[0].Time, ts.Time())
	}
	if len(w) != 1 {
		t.Errorf("want one histogram warning, got %q", w)
	}

	sc := &model.Scalar{Value: -3.5, Timestamp: ts}
	got, _, err = toSeries("query", sc, nil)
	if err != nil || len(got) != 1 || len(got[0].Labels) != 0 || got[0].Samples[0].Value != -3.5 {
		t.Fatalf("scalar: %+v %v", got, err)
	}

	mat := model.Matrix{{Metric: model.Metric{"job": "a"}, Values: []model.SamplePair{{Timestamp: ts, Value: 1}, {Timestamp: ts + 15000, Value: model.SampleValue(math.Inf(-1))}}}}
	got, _, err = toSeries("query", mat, []string{"warn"})
	if err != nil || len(got) != 1 || len(got[0].Samples) != 2 || !math.IsInf(got[0].Samples[1].Value, -1) {
		t.Fatalf("matrix: %+v %v", got, err)
	}
	if d := got[0].Samples[1].Time.Sub(got[0].Samples[0].Time); d != 15*time.Second {
		t.Errorf("sample spacing = %v", d)
	}

	_, _, err = toSeries("query", &model.String{Value: "x"}, nil)
	if sources.KindOf(err) != sources.KindBadQuery {
		t.Errorf("string result: %v", err)
	}
}

func TestKindFor(t *testing.T) {
	cases := []struct {
		status int
		typ    v1.ErrorType
		msg    string
		want   sources.Kind
	}{
		{400, v1.ErrBadData, "parse error", sources.KindBadQuery},
		{400, v1.ErrBadData, "exceeded maximum resolution of 11,000 points per timeseries", sources.KindTooMuchData},
		{422, v1.ErrExec, "query processing would load too many samples into memory", sources.KindTooMuchData},
		{422, v1.ErrExec, "many-to-many matching not allowed", sources.KindBadQuery},
		{503, v1.ErrTimeout, "query timed out", sources.KindTimeout},
		{503, v1.ErrCanceled, "query was canceled", sources.KindServerError},
		{503, "unavailable", "not ready", sources.KindServerError},
		{500, "internal", "storage", sources.KindServerError},
		{404, "not_found", "no such rule", sources.KindNotFound},
		{200, v1.ErrBadResponse, "json: cannot unmarshal", sources.KindBadResponse},
		{429, v1.ErrClient, "anything", sources.KindRateLimited},
		{403, v1.ErrClient, "too many samples", sources.KindUnauthorized},
		{504, v1.ErrServer, "gateway timeout", sources.KindTimeout},
		{502, v1.ErrServer, "bad gateway", sources.KindServerError},
		{422, v1.ErrClient, "the query exceeded the maximum number of series (limit: 1000)", sources.KindTooMuchData},
		// A status no API answers with: whatever spoke is not the endpoint
		// we meant, as for every client (sources.KindForAnswer).
		{418, v1.ErrClient, "teapot", sources.KindBadResponse},
	}
	for _, c := range cases {
		if got := kindFor(c.status, c.typ, c.msg); got != c.want {
			t.Errorf("kindFor(%d, %s, %q) = %v, want %v", c.status, c.typ, c.msg, got, c.want)
		}
	}
}

func TestTraceIDAndRules(t *testing.T) {
	for _, name := range []model.LabelName{"trace_id", "traceID", "trace-id", "traceId"} {
		ex := toExemplars([]v1.ExemplarQueryResult{{
			SeriesLabels: model.LabelSet{"__name__": "x"},
			Exemplars:    []v1.Exemplar{{Labels: model.LabelSet{name: "abc123", "span_id": "s"}, Value: 2, Timestamp: 1000}},
		}})
		if len(ex) != 1 || ex[0].TraceID != "abc123" || ex[0].SeriesLabels["__name__"] != "x" || !ex[0].Time.Equal(time.Unix(1, 0)) {
			t.Errorf("label %s: %+v", name, ex)
		}
	}

	res := v1.RulesResult{Groups: []v1.RuleGroup{{Name: "g", File: "f.yml", Rules: v1.Rules{
		v1.AlertingRule{Name: "A", Query: "up == 0", Duration: 60, Health: "err", LastError: "boom\nagain", State: "firing",
			Labels: model.LabelSet{"severity": "page"},
			Alerts: []*v1.Alert{{Labels: model.LabelSet{"alertname": "A", "job": "j"}, State: v1.AlertStateFiring, Value: "0"}, nil}},
		v1.RecordingRule{Name: "r:sum", Query: "sum(up)", Health: "ok", EvaluationTime: math.NaN()},
	}}}}
	rules := toRules(res)
	if len(rules) != 2 {
		t.Fatalf("rules = %+v", rules)
	}
	a, r := rules[0], rules[1]
	if !a.Alerting() || a.For != time.Minute || a.LastError != "boom again" || len(a.Alerts) != 1 || a.Group != "g" {
		t.Errorf("alerting rule = %+v", a)
	}
	want := model.LabelSet{"alertname": "A", "job": "j"}.Fingerprint().String()
	if al := a.Alerts[0]; al.Name != "A" || al.Source != "prometheus" || al.Fingerprint != want {
		t.Errorf("rule alert = %+v, want fingerprint %s", al, want)
	}
	if r.Alerting() || r.Type != "recording" || r.EvaluationTime != 0 {
		t.Errorf("recording rule = %+v", r)
	}
}
