package logs

import (
	"context"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// metricSource is a fakeSource that also runs LogQL metric queries, as
// Loki's client does, answering them from metric.
type metricSource struct {
	*fakeSource
	metrics atomic.Int32
	mu      sync.Mutex
	metric  func(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)
	steps   []time.Duration
}

func (f *metricSource) IsMetricQuery(expr string) bool { return loki.IsMetricQuery(expr) }

func (f *metricSource) MetricRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	f.metrics.Add(1)
	f.mu.Lock()
	fn := f.metric
	f.steps = append(f.steps, step)
	f.mu.Unlock()
	if fn == nil {
		return nil, nil, nil
	}
	return fn(ctx, expr, from, to, step)
}

func (f *metricSource) setMetric(fn func(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error)) {
	f.mu.Lock()
	f.metric = fn
	f.mu.Unlock()
}

var _ sources.LogMetrics = (*metricSource)(nil)

const metricExpr = `sum by (level) (count_over_time({service_name="payments"}[1m]))`

// levelSeries is a fixed answer: one series per level over [from, to) at
// step, as a backend answers, shaped so the lines cross, with a gap and a
// burst of errors at the end.
func levelSeries(from, to time.Time, step time.Duration) []sources.Series {
	var out []sources.Series
	n := int(to.Sub(from) / step)
	for li, lv := range []string{"info", "warn", "error"} {
		s := sources.Series{Labels: map[string]string{"level": lv, "service_name": "payments"}}
		for i := 0; i <= n; i++ {
			if lv == "error" && i >= n/3 && i < n/3+n/10 {
				continue // a gap: no errors for a while
			}
			x := float64(i) / float64(n)
			v := float64(30-li*10) + 8*math.Sin(2*math.Pi*(2*x+float64(li)/3))
			if lv == "error" && x > 0.8 {
				v += (x - 0.8) * 200 // the burst
			}
			s.Samples = append(s.Samples, sources.Sample{Time: from.Add(time.Duration(i) * step), Value: math.Round(v)})
		}
		out = append(out, s)
	}
	return out
}

// newMetricModel is a w×h pane, drawn without colour, over a source that
// answers metric queries, with metricExpr in the editor.
func newMetricModel(t testing.TB, w, h int) (*Model, *metricSource, *panetest.Clock) {
	return newMetricModelIn(t, termenv.Ascii, w, h)
}

// newMetricModelIn is newMetricModel drawn with profile.
func newMetricModelIn(t testing.TB, profile termenv.Profile, w, h int) (*Model, *metricSource, *panetest.Clock) {
	t.Helper()
	src := &metricSource{fakeSource: &fakeSource{}}
	src.returning(sampleEntries(300))
	src.setMetric(func(_ context.Context, _ string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
		return levelSeries(from, to, step), nil, nil
	})
	m, clk := newTestModelIn(t, profile, src, w, h)
	m.editor.SetValue(metricExpr)
	return m, src, clk
}

func TestGoldenMetricViews(t *testing.T) {
	goldenScenes(t, newMetricModelIn, []scene[*metricSource]{
		{"metric_querying", func(m *Model, _ *metricSource, _ *panetest.Clock) { press(m, "i", "enter") }},
		{"metric_chart", func(m *Model, _ *metricSource, _ *panetest.Clock) { settle(m, press(m, "i", "enter")) }},
		{"metric_cursor", func(m *Model, _ *metricSource, _ *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			press(m, "left", "left", "left", "left", "left", "left", "j", "j")
		}},
		{"metric_error_stale", func(m *Model, src *metricSource, clk *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			clk.Add(2 * time.Minute)
			src.setMetric(func(context.Context, string, time.Time, time.Time, time.Duration) ([]sources.Series, []string, error) {
				return nil, nil, &sources.Error{Backend: "loki", Op: "query_range", Kind: sources.KindBadQuery, Msg: "parse error at line 1, col 9: syntax error: unexpected IDENTIFIER"}
			})
			settle(m, press(m, "i", "enter"))
		}},
	})
}

func TestMetricQueryRunsMetricRangeInACmd(t *testing.T) {
	m, src, _ := newMetricModel(t, 80, 24)
	cmd := press(m, "i", "enter")
	if src.metrics.Load() != 0 || src.queries.Load() != 0 {
		t.Fatal("Update called the backend")
	}
	if !m.query.Busy() || m.plot != nil {
		t.Fatalf("querying=%v plot=%v", m.query.Busy(), m.plot)
	}
	_ = m.View()
	settle(m, cmd)
	if src.metrics.Load() != 1 || src.queries.Load() != 0 {
		t.Fatalf("metric calls %d, log queries %d", src.metrics.Load(), src.queries.Load())
	}
	if m.plot == nil || len(m.plot.series) != 3 || m.query.Busy() {
		t.Fatalf("plot = %+v", m.plot)
	}
	// Named by the label that differs, sorted.
	var names []string
	for _, s := range m.plot.series {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); got != "level=error level=info level=warn" {
		t.Errorf("series names = %q", got)
	}
	if src.steps[0] != sources.DefaultMetricStep(fixedNow.Add(-time.Hour), fixedNow) {
		t.Errorf("step = %v", src.steps[0])
	}
	if v := m.View(); !strings.Contains(v, "3 series") || !strings.Contains(v, "LogQL metric query") {
		t.Errorf("view:\n%s", v)
	}
}

func TestMetricStaleAnswerDropped(t *testing.T) {
	m, _, _ := newMetricModel(t, 80, 24)
	press(m, "i", "enter")
	old := m.query.Seq()
	press(m, "i", "enter") // a second run: the first answer is stale
	m.Update(resultMsg{Pane: m.id, Name: "query", Seq: old, Value: answer{metric: true, plot: plot{expr: "old", series: first(chartSeries(levelSeries(fixedNow.Add(-time.Hour), fixedNow, time.Minute)))}}})
	if m.plot != nil || !m.query.Busy() {
		t.Fatal("a stale metric answer was taken")
	}
	m.Update(resultMsg{Pane: "other", Name: "query", Seq: m.query.Seq(), Value: answer{metric: true, plot: plot{expr: "other pane"}}})
	if m.plot != nil {
		t.Fatal("another pane's answer was taken")
	}
	// esc cancels; the cancelled query's answer is dropped too.
	seq := m.query.Seq()
	press(m, "esc")
	m.Update(resultMsg{Pane: m.id, Name: "query", Seq: seq, Value: answer{metric: true, plot: plot{expr: "cancelled"}}})
	if m.plot != nil || m.query.Busy() {
		t.Fatal("a cancelled query's answer was taken")
	}
}

func TestMetricErrorKeepsChartAndLogQueryReturnsToLines(t *testing.T) {
	m, src, clk := newMetricModel(t, 80, 24)
	settle(m, press(m, "i", "enter"))
	first := m.plot
	clk.Add(time.Minute)
	src.setMetric(func(context.Context, string, time.Time, time.Time, time.Duration) ([]sources.Series, []string, error) {
		return nil, nil, &sources.Error{Backend: "loki", Op: "query_range", Kind: sources.KindTimeout, Msg: "deadline"}
	})
	settle(m, press(m, "i", "enter"))
	if m.plot != first || m.lastErr() == nil {
		t.Fatal("a failed metric query must keep the previous chart and show the error")
	}
	if v := m.View(); !strings.Contains(v, "previous chart") || !strings.Contains(v, "(stale)") {
		t.Errorf("view:\n%s", v)
	}
	// t does not start a tail on a chart.
	press(m, "t")
	if m.tail.Busy() || src.tails.Load() != 0 || !strings.Contains(m.flash, "metric query") {
		t.Errorf("t on a chart: tailing=%v flash=%q", m.tail.Busy(), m.flash)
	}
	// A log query brings the lines back.
	m.editor.SetValue(`{service_name="payments"}`)
	settle(m, press(m, "i", "enter"))
	if m.plot != nil || m.buf.Len() != 300 || m.lastErr() != nil {
		t.Fatalf("plot=%v lines=%d err=%v", m.plot, m.buf.Len(), m.lastErr())
	}
}

func TestMetricTailStopsAndStaysStopped(t *testing.T) {
	m, src, _ := newMetricModel(t, 80, 24)
	m.editor.SetValue(`{service_name="payments"}`)
	settle(m, press(m, "i", "enter"))
	settle(m, press(m, "t"))
	if !m.tail.Busy() {
		t.Fatal("tail did not start")
	}
	m.editor.SetValue(metricExpr)
	settle(m, press(m, "i", "enter"))
	if m.tail.Busy() || m.plot == nil || src.tails.Load() != 1 {
		t.Fatalf("tailing=%v plot=%v tails=%d", m.tail.Busy(), m.plot != nil, src.tails.Load())
	}
}

// A source without LogMetrics runs every query as a log query.
func TestNoMetricsRunsLogQuery(t *testing.T) {
	src := &fakeSource{}
	m, _ := newTestModel(t, src, 80, 24)
	m.editor.SetValue(metricExpr)
	settle(m, press(m, "i", "enter"))
	if src.queries.Load() != 1 || m.plot != nil {
		t.Fatalf("queries=%d plot=%v", src.queries.Load(), m.plot)
	}
}
