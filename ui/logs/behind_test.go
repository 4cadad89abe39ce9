package logs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/victorialogs"
)

func TestLogQLBehind(t *testing.T) {
	for _, c := range []struct {
		expr, want string
		rng        time.Duration
	}{
		{`sum by (level) (count_over_time({service="payments"}[5m]))`, `{service="payments"}`, 5 * time.Minute},
		{`rate({app="x", env=~"prod|dev"} |= "a [b]" | json [1m])`, `{app="x", env=~"prod|dev"} |= "a [b]" | json`, time.Minute},
		{"quantile_over_time(0.99, {app=\"x\"} | logfmt | unwrap duration(latency) [30s]) by (route)", `{app="x"} | logfmt`, 30 * time.Second},
		{"sum(count_over_time({a=\"}\"} |~ `\\[x` [2h]))", "{a=\"}\"} |~ `\\[x`", 2 * time.Hour},
	} {
		got, rng, ok := logQLBehind(c.expr)
		if !ok || got != c.want || rng != c.rng {
			t.Errorf("%s: %q %v %v, want %q %v", c.expr, got, rng, ok, c.want, c.rng)
		}
		if !ok {
			continue
		}
		if loki.IsMetricQuery(got) {
			t.Errorf("%q is still a metric query", got)
		}
	}
	for _, bad := range []string{`vector(1)`, `count_over_time({a="b"})`, `sum(rate({a="b"}[five]))`, ``} {
		if q, _, ok := logQLBehind(bad); ok {
			t.Errorf("%q gave %q", bad, q)
		}
	}
}

func TestLogsQLBehind(t *testing.T) {
	for expr, want := range map[string]string{
		`service:="checkout" error | stats by (level) count() hits`:  `service:="checkout" error`,
		`_stream:{app="x"} "a | stats" | unpack_json | count() as n`: `_stream:{app="x"} "a | stats" | unpack_json`,
		`* | by (level) count()`:                                     `*`,
	} {
		got, ok := logsQLBehind(expr)
		if !ok || got != want {
			t.Errorf("%s: %q %v, want %q", expr, got, ok, want)
		}
		if victorialogs.IsMetricQuery(got) {
			t.Errorf("%q is still a stats query", got)
		}
	}
	if q, ok := logsQLBehind(`error | sort by (_time) | limit 10`); ok {
		t.Errorf("no stats pipe, got %q", q)
	}
}

func TestNarrow(t *testing.T) {
	l := map[string]string{"level": `err"or`, "service_name": "payments"}
	if got := narrowLogQL(`{a="b"}`, l); got != `{a="b"} | level="err\"or" | service_name="payments"` {
		t.Errorf("logql %s", got)
	}
	if got := narrowLogsQL(`*`, map[string]string{"k 8s": "v", "__name__": "count(*)"}); got != `* | filter "k 8s":="v"` {
		t.Errorf("logsql %s", got)
	}
}

// Whatever a user types, the extraction never panics, and what it finds
// is a log query in that language.
func FuzzBehind(f *testing.F) {
	for _, s := range []string{metricExpr, `rate({a="b"} | json [5m])`, `x | stats count()`, `"unclosed`, "`", `{[}]`, `a | by (`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if q, _, ok := logQLBehind(expr); ok && !strings.HasPrefix(q, "{") {
			t.Fatalf("%q: LogQL log query %q does not start with its selector", expr, q)
		}
		if q, ok := logsQLBehind(expr); ok && (q == "" || len(q) >= len(expr)) {
			t.Fatalf("%q: LogsQL base %q", expr, q)
		}
	})
}

func TestChartCursorAndLinesBehind(t *testing.T) {
	m, src, _ := chartModel(t)
	p := *m.plot
	press(m, "left") // puts the cursor on the newest bucket
	press(m, "left", "left")
	want := lastBucket(&p).Add(-2 * p.step)
	if !m.cursor.Equal(want) {
		t.Fatalf("cursor %v, want %v", m.cursor, want)
	}
	press(m, "j") // the second series (level=info, sorted by name)
	if !strings.Contains(m.View(), "level=info") {
		t.Errorf("the status does not read the chosen series:\n%s", m.View())
	}
	n := len(src.seen)
	settle(m, press(m, "L"))
	if len(src.seen) != n+1 {
		t.Fatalf("L ran %d log queries", len(src.seen)-n)
	}
	q := src.seen[n]
	if q.Expr != `{service_name="payments"} | level="info" | service_name="payments"` {
		t.Errorf("lines behind: %q", q.Expr)
	}
	if !q.From.Equal(want.Add(-time.Minute)) || !q.To.Equal(want.Add(p.step)) {
		t.Errorf("window %v–%v around %v (range 1m, step %v)", q.From, q.To, want, p.step)
	}
	if m.plot != nil || m.AtRest() {
		t.Fatal("the lines are not shown, or esc would leave the pane")
	}
	press(m, "esc")
	if m.plot == nil || m.plot.expr != metricExpr || !m.cursor.Equal(want) || m.curSeries != 1 {
		t.Errorf("esc did not restore the chart, cursor and series: %+v %v %d", m.plot, m.cursor, m.curSeries)
	}
	if len(src.seen) != n+1 || src.metrics.Load() != 1 {
		t.Errorf("going back asked the backend again")
	}
	if !m.AtRest() {
		t.Error("back on the chart, esc should be the root's again")
	}
}

func TestEditorSaysWhichKind(t *testing.T) {
	m, _, _ := newMetricModel(t, 120, 40)
	press(m, "i")
	if s := m.View(); !strings.Contains(s, "LogQL metric query → chart") {
		t.Errorf("metric query not named while typing:\n%s", s)
	}
	m.editor.SetValue(`{service_name="payments"} |= "error"`)
	if s := m.View(); !strings.Contains(s, "LogQL log query → lines") {
		t.Errorf("log query not named while typing:\n%s", s)
	}
	press(m, "esc")
	if s := m.View(); strings.Contains(s, "query →") {
		t.Errorf("kind shown after editing:\n%s", s)
	}
}

func TestLiveChartRefreshes(t *testing.T) {
	m, src, _ := chartModel(t)
	press(m, "left", "left", "j")
	cursor, series := m.cursor, m.curSeries
	n := src.metrics.Load()
	// The answer armed a refresh; its tick re-runs the query.
	_, cmd := m.Update(metricAnswer(m, *m.plot))
	if cmd == nil {
		t.Fatal("a live chart armed no refresh")
	}
	settle(m, m.onChartTick(chartTickMsg{pane: m.id, gen: m.chartLive.Gen()}))
	if src.metrics.Load() != n+1 {
		t.Fatalf("the tick ran %d queries", src.metrics.Load()-n)
	}
	if !m.cursor.Equal(cursor) || m.curSeries != series {
		t.Errorf("the refresh moved the cursor %v→%v or the series %d→%d", cursor, m.cursor, series, m.curSeries)
	}
	// A stale tick does nothing; one while a query is out is dropped.
	if cmd := m.onChartTick(chartTickMsg{pane: m.id, gen: m.chartLive.Gen() - 1}); cmd != nil {
		t.Error("a stale tick did something")
	}
	m.query.Start(m.ctx, func(context.Context) (answer, error) { return answer{}, nil })
	if m.onChartTick(chartTickMsg{pane: m.id, gen: m.chartLive.Gen()}); src.metrics.Load() != n+1 {
		t.Error("a refresh overlapped a query still out")
	}
	m.query.Stop()
	// A fixed range never refreshes.
	m.SetRange(fixedNow.Add(-time.Hour), fixedNow, false)
	if _, cmd := m.Update(metricAnswer(m, *m.plot)); cmd != nil {
		t.Error("a fixed range armed a refresh")
	}
}
