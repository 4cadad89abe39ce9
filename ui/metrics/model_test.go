package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestInitPicksFirstServiceAndRunsTemplates(t *testing.T) {
	m, src, _ := loaded(t, termenv.Ascii, 200, 50)
	if m.service != "checkout" {
		t.Fatalf("service = %q, want the first listed", m.service)
	}
	qs := src.lastQueries(6)
	joined := strings.Join(qs, "\n")
	for _, want := range []string{
		`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{ service="checkout" }[`,
		`sum(rate(http_requests_total{ service="checkout" }[60s]))`,
		`code=~"5.."`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no query contains %q:\n%s", want, joined)
		}
	}
	names := map[string]int{}
	for _, p := range m.panels {
		names[p.name] = len(p.series)
	}
	if names["latency"] != 3 || names["traffic"] != 1 || names["errors"] != 1 || names["saturation"] != 2 {
		t.Fatalf("series per panel = %v", names)
	}
	if got := m.panels[0].series[2].Name; got != "p99" {
		t.Errorf("third latency line is %q, want p99", got)
	}
	if got := m.panels[3].series[0].Name; got != "db_pool_in_use_ratio" {
		t.Errorf("saturation lines are named %q, want the metric name", got)
	}
	if len(m.exemplars) == 0 || len(m.exemplars) > 12 {
		t.Errorf("%d exemplars kept, want the 12 with trace ids (or fewer)", len(m.exemplars))
	}
}

func TestStepFollowsRangeAndWidth(t *testing.T) {
	src := newFake()
	m, _ := newTestModel(t, termenv.Ascii, src, 200, 50)
	settle(m, m.Init())
	wide := m.panels[0].step
	m.SetSize(80, 24)
	settle(m, m.refresh())
	narrow := m.panels[0].step
	if narrow <= wide {
		t.Errorf("a narrower chart should get a coarser step: %s at 200 cols, %s at 80", wide, narrow)
	}
	settle(m, func() tea.Msg { return pane.RangeMsg{From: fixedNow.Add(-24 * time.Hour), To: fixedNow} })
	if day := m.panels[0].step; day <= narrow {
		t.Errorf("a day's range should get a coarser step than an hour's: %s vs %s", day, narrow)
	}
	if m.rng.Live() || !m.panels[0].from.Equal(fixedNow.Add(-24*time.Hour)) {
		t.Errorf("range not applied: %v %v", m.panels[0].from, m.rng.Live())
	}
}

func TestCustomTemplatesAndLabel(t *testing.T) {
	src := newFake()
	m := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}, Source: src, Metrics: &config.Metrics{
		ServiceLabel: "app",
		Templates:    map[string]string{"traffic": `sum(rate(reqs{app="{{service}}"}[{{window}}]))`},
	}}, 120, 40)
	settle(m, m.Init())
	joined := strings.Join(src.lastQueries(6), "\n")
	if !strings.Contains(joined, `sum(rate(reqs{app="checkout"}[`) {
		t.Errorf("the override was not used:\n%s", joined)
	}
	if !strings.Contains(joined, `{ app="checkout" }`) {
		t.Errorf("the service label was not used in the defaults:\n%s", joined)
	}
}

func TestServicePicker(t *testing.T) {
	m, src, _ := loaded(t, termenv.Ascii, 200, 50)
	settle(m, panetest.Press(m, "s"))
	if !m.Editing() {
		t.Fatal("the picker takes the keyboard")
	}
	settle(m, panetest.Press(m, "p", "a", "y", "enter"))
	if m.service != "payments" || m.Editing() {
		t.Fatalf("service = %q editing=%v, want payments", m.service, m.Editing())
	}
	if !strings.Contains(strings.Join(src.lastQueries(6), "\n"), `service="payments"`) {
		t.Error("signals not re-run for the new service")
	}
	panetest.Press(m, "s", "esc")
	if m.Editing() || m.service != "payments" {
		t.Error("esc closes the picker without changing the service")
	}
}

func TestExemplarPivotsToTrace(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	settle(m, panetest.Press(m, "s", "payments", "enter"))
	panetest.Press(m, "x")
	e, ok := m.selectedExemplar()
	if !ok || e.v < 1.6 {
		t.Fatalf("first x should pick the slowest exemplar, got %+v %v", e, ok)
	}
	if !m.cursor.Equal(e.t) || m.AtRest() {
		t.Fatal("the cursor follows the exemplar and esc now has work")
	}
	out := settle(m, panetest.Press(m, "enter"))
	if len(out) != 1 {
		t.Fatalf("enter gave %d messages, want one pivot", len(out))
	}
	p := out[0].(pane.PivotMsg)
	if p.Target != pane.TargetTraces || p.TraceID != e.traceID || !p.From.Equal(e.t.Add(-5*time.Minute)) || !p.To.Equal(e.t.Add(5*time.Minute)) {
		t.Fatalf("pivot = %+v", p)
	}
	panetest.Press(m, "x")
	if n, _ := m.selectedExemplar(); n.t.Before(e.t) || n.traceID == e.traceID {
		t.Error("x again moves to the next exemplar in time")
	}
	panetest.Press(m, "esc", "esc")
	if !m.AtRest() {
		t.Error("esc clears the exemplar, then the cursor")
	}
}

func TestLogsPivotAtCursor(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	settle(m, panetest.Press(m, "s", "payments", "enter"))
	panetest.Press(m, "right") // onto the last step
	panetest.Press(m, "left", "left")
	at := m.cursor
	if at.IsZero() || !at.Before(fixedNow) {
		t.Fatalf("cursor = %v", at)
	}
	out := settle(m, panetest.Press(m, "L"))
	p := out[0].(pane.PivotMsg)
	if p.Target != pane.TargetLogs || p.Query != "" || p.Service != "payments" || p.ServiceLabel != "service" || !p.From.Equal(at.Add(-5*time.Minute)) || !p.To.Equal(at.Add(5*time.Minute)) {
		t.Fatalf("pivot = %+v", p)
	}
}

func TestFreeQueryHistoryAndTable(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	settle(m, panetest.Press(m, "i", "up"))
	settle(m, panetest.Press(m, "enter"))
	settle(m, panetest.Press(m, "i"))
	m.editor.SetValue(`sum by (code) (rate(http_requests_total{service="payments"}[5m]))`)
	settle(m, panetest.Press(m, "enter"))
	if m.result == nil || len(m.result.series) != 3 {
		t.Fatalf("result = %+v", m.result)
	}
	if m.result.series[1].Name != "code=500" {
		t.Errorf("series named %q, want by the label that differs", m.result.series[1].Name)
	}
	v := m.View()
	if !strings.Contains(v, `{code="500", service="payments"}`) {
		t.Errorf("the table lists the series:\n%s", v)
	}
	panetest.Press(m, "i", "x", "up")
	if got := m.editor.Value(); !strings.Contains(got, "by (code)") {
		t.Errorf("history up gave %q", got)
	}
	panetest.Press(m, "down")
	if h := m.History(); m.editor.Value() != h[len(h)-1]+"x" {
		got := m.editor.Value()
		t.Errorf("history down should restore the draft, got %q", got)
	}
	panetest.Press(m, "esc")
	out := settle(m, panetest.Press(m, "L"))
	if len(out) != 1 || out[0].(pane.PivotMsg).Service != "payments" || out[0].(pane.PivotMsg).ServiceLabel != "service" {
		t.Errorf("logs pivot from a one-service query = %+v", out)
	}
}

func TestMissingMetricAndNoData(t *testing.T) {
	src := newFake()
	m, _ := newTestModel(t, termenv.Ascii, src, 200, 50)
	settle(m, m.Run(`rate(nonexistent_metric_total[5m])`))
	src.Locked(func() {
		src.missing["nonexistent_metric_total"] = true
	})
	settle(m, m.Run(`rate(nonexistent_metric_total[5m])`))
	if m.result.empty != "metric nonexistent_metric_total not found" {
		t.Fatalf("empty = %q", m.result.empty)
	}
	if v := m.View(); !strings.Contains(v, "metric nonexistent_metric_total not found") {
		t.Errorf("view does not say so:\n%s", v)
	}
	settle(m, m.Run(`up{job="nothing-here"}`))
	if m.result.empty != "no data" || !strings.Contains(m.View(), "no data") {
		t.Fatalf("an existing metric with no series says no data, got %q", m.result.empty)
	}
}

func TestBadQueryShowsPrometheusMessageAndKeepsResults(t *testing.T) {
	m, src, clk := loaded(t, termenv.Ascii, 200, 50)
	settle(m, m.Run(`sum by (code) (rate(http_requests_total[5m]))`))
	before := m.result
	src.Locked(func() {
		src.fail = &sources.Error{Backend: "prometheus", Op: "query_range", Kind: sources.KindBadQuery, Status: 400,
			Msg: "invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis\x1b[31m"}
	})
	clk.Add(2 * time.Minute)
	settle(m, m.Run(`sum(`))
	if m.result != before {
		t.Fatal("the old result must stay on error")
	}
	v := m.View()
	if !strings.Contains(v, "bad query: invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis") {
		t.Errorf("Prometheus's message not shown:\n%s", v)
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Error("an escape from the backend reached the screen")
	}
	if !strings.Contains(v, "showing the last good data") {
		t.Error("stale results are not marked")
	}
}

func TestSignalsErrorKeepsOldCharts(t *testing.T) {
	m, src, _ := loaded(t, termenv.Ascii, 200, 50)
	old := len(m.panels[1].series)
	src.Locked(func() {
		src.fail = &sources.Error{Backend: "prometheus", Kind: sources.KindTimeout, Msg: "context deadline exceeded"}
	})
	settle(m, m.refresh())
	if len(m.panels[1].series) != old || m.panels[1].err == nil {
		t.Fatal("a failed refresh keeps the charts and marks them")
	}
	if v := m.View(); !strings.Contains(v, "timeout: context deadline exceeded") || !strings.Contains(v, "(stale)") {
		t.Errorf("view:\n%s", v)
	}
}

func TestStaleResultsDropped(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	seq := m.sigReq.Seq()
	m.refresh() // a newer request is in flight
	m.Update(signalsMsg{Pane: m.base.ID, Name: "signals", Seq: seq, Value: signals{panels: []panel{{name: "latency"}}}})
	if len(m.panels) != 4 {
		t.Fatal("a stale answer replaced the charts")
	}
	m.Update(signalsMsg{Pane: "other", Name: "signals", Seq: m.sigReq.Seq(), Value: signals{panels: []panel{{name: "latency"}}}})
	if len(m.panels) != 4 {
		t.Fatal("another pane's answer replaced the charts")
	}
}

func TestSelectionIsEvidence(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	panetest.Press(m, "x")
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceChart || ev.Source != "prometheus" {
		t.Fatalf("evidence = %+v %v", ev, ok)
	}
	if !strings.Contains(ev.Query, "histogram_quantile(0.99") || !ev.From.Equal(fixedNow.Add(-time.Hour)) || !ev.To.Equal(fixedNow) {
		t.Errorf("evidence query/window = %q %v %v", ev.Query, ev.From, ev.To)
	}
	for _, want := range []string{"checkout latency at", "p99 = ", "exemplar trace "} {
		if !strings.Contains(ev.Snapshot, want) {
			t.Errorf("snapshot lacks %q:\n%s", want, ev.Snapshot)
		}
	}
	empty, _ := newTestModel(t, termenv.Ascii, newFake(), 80, 24)
	if _, ok := empty.Selection(); ok {
		t.Error("nothing loaded: nothing to pin")
	}
}

func TestCopyQuery(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	panetest.Press(m, "j") // traffic
	out := settle(m, panetest.Press(m, "y"))
	c, ok := out[0].(pane.CopyMsg)
	if !ok || !strings.HasPrefix(c.Text, "sum(rate(http_requests_total") || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") {
		t.Fatalf("copy = %+v", out)
	}
}

func TestNoPrometheus(t *testing.T) {
	m := New(Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}})
	m.SetSize(80, 24)
	if cmd := m.Init(); cmd != nil {
		t.Fatal("no source: nothing to run")
	}
	if !strings.Contains(m.View(), "no Prometheus is configured") {
		t.Errorf("view:\n%s", m.View())
	}
}

// Update and View make no calls to the backend: only the Cmds they
// return do.
func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := newFake()
	m, _ := newTestModel(t, termenv.ANSI256, src, 200, 50)
	cmds := append([]tea.Cmd{m.Init()}, panetest.Steps(m, "s", "p", "enter", "x", "X", "right", "left", "j", "k", "i", "u", "p",
		"enter", "m", "L", "y", "esc", pane.RangeMsg{From: fixedNow.Add(-time.Hour), To: fixedNow})...)
	panetest.OnlyCmdsCall(t, src.Calls, cmds, 200*time.Millisecond)
	// The Cmds do the work, and run under the pane's context.
	m.Close()
	for _, msg := range panetest.Collect(tea.Batch(cmds...), 200*time.Millisecond) {
		if q, ok := msg.(queryMsg); ok && q.Err == nil && !strings.Contains(q.Value.exprs[0], "u") {
			t.Errorf("unexpected query %q", q.Value.exprs[0])
		}
	}
}

func TestCloseCancelsInFlight(t *testing.T) {
	block := &blockingSource{fakeSource: newFake(), started: make(chan struct{}, 8)}
	m, _ := newTestModel(t, termenv.Ascii, block, 80, 24)
	cmd := m.Run("up")
	done := make(chan []tea.Msg)
	go func() { done <- panetest.Collect(cmd, 2*time.Second) }()
	<-block.started
	m.Close()
	msgs := <-done
	for _, msg := range msgs {
		if q, ok := msg.(queryMsg); ok {
			if sources.KindOf(q.Err) != sources.KindCanceled {
				t.Fatalf("query ended with %v, want canceled", q.Err)
			}
			return
		}
	}
	t.Fatal("the query did not end when the pane closed")
}

type blockingSource struct {
	*fakeSource
	started chan struct{}
}

func (b *blockingSource) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	b.started <- struct{}{}
	<-ctx.Done()
	return nil, nil, ctx.Err()
}

// lateSource answers like a backend that rounds or aligns the window's
// end: the errors query's newest sample, a jump, lies just past the end
// asked for.
type lateSource struct{ *fakeSource }

func (l lateSource) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	ss, w, err := l.fakeSource.QueryRange(ctx, expr, from, to, step)
	if err == nil && strings.Contains(expr, `code=~"5.."`) && len(ss) > 0 {
		ss[0].Samples = append(ss[0].Samples, sources.Sample{Time: to.Add(500 * time.Microsecond), Value: 0.232})
	}
	return ss, w, err
}

// The original bug: the legend read 23.2% off a sample the axis (topping
// out at a few %) did not hold. The newest sample is on the chart, in the
// legend, and inside the axis.
func TestNewestSamplePastTheEndIsOnTheChart(t *testing.T) {
	m, _ := newTestModel(t, termenv.Ascii, lateSource{newFake()}, 80, 24)
	settle(m, m.Init())
	errs := m.panels[2]
	if last := errs.series[0].Points[len(errs.series[0].Points)-1]; errs.to.Before(last.T) {
		t.Fatalf("the errors chart ends %s, before its newest sample %s", errs.to, last.T)
	}
	v := m.View()
	if !strings.Contains(v, "errors 23.2%") {
		t.Fatalf("legend does not read the newest sample:\n%s", v)
	}
	if !strings.Contains(v, "25%┤") {
		t.Errorf("the errors axis does not reach the legend's 23.2%%:\n%s", v)
	}
}

// U links the focused chart's query, over the range it ran on, to
// Prometheus's own UI when the context names no Grafana; the link reads
// back to the same query and range.
func TestLinkOut(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 200, 50)
	if out := settle(m, panetest.Press(m, "U")); len(out) != 0 || !strings.Contains(m.View(), "no web UI to link to") {
		t.Fatalf("without targets: %+v\n%s", out, m.View())
	}
	m.links = links.Targets{Prometheus: "http://prom.example:9090"}
	panetest.Press(m, "j") // traffic
	link := panetest.Copied(t, m, "U", func() string { return m.flash })
	q, from, to, err := links.ParsePromGraph(link)
	p, _ := m.cursorPanel()
	if err != nil || q != p.exprs[len(p.exprs)-1] || !strings.HasPrefix(q, "sum(rate(http_requests_total") ||
		!from.Equal(p.from.Truncate(1e9)) || !to.Equal(p.to.UTC().Truncate(1e9)) {
		t.Fatalf("link %q reads back as %q %v–%v (%v); the chart ran %q over %v–%v", link, q, from, to, err, p.exprs, p.from, p.to)
	}
	if !strings.Contains(m.View(), "copied link to Prometheus UI") {
		t.Errorf("no flash:\n%s", m.View())
	}
}
