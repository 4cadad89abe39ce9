package slopane

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestInitEvaluatesEverySLO(t *testing.T) {
	src := burning()
	m, _ := newTestModel(t, panetest.Plain(), src)
	settle(m, m.Init())
	want := map[string]slo.Status{
		"payments-availability": slo.StatusPage, "checkout-availability": slo.StatusTicket,
		"frontend-availability": slo.StatusOK, "payments-latency": slo.StatusOK,
	}
	for _, it := range m.items {
		if !it.has || it.eval.Status != want[it.s.Name] {
			t.Errorf("%s: has %v status %q, want %q", it.s.Name, it.has, it.eval.Status, want[it.s.Name])
		}
		if len(it.hist) == 0 {
			t.Errorf("%s: no burn history", it.s.Name)
		}
	}
	if m.fetch.Busy() || m.shownAt != fixedNow {
		t.Errorf("fetching %v shownAt %v", m.fetch.Busy(), m.shownAt)
	}
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := burning()
	m, _ := newTestModel(t, panetest.Plain(), src)
	init := m.Init()
	_ = m.View()
	cmds := panetest.Steps(m, "j", "k", "/", "pay", "enter", "esc", "r", "G", "g", "enter",
		pane.RangeMsg{From: fixedNow.Add(-time.Hour), To: fixedNow, Live: true}, m.fetch.Tick())
	panetest.OnlyCmdsCall(t, src.Calls, append(cmds, init), 200*time.Millisecond)
}

func TestStaleResultsAreDropped(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), burning())
	m.Init()
	old := m.fetch.Seq()
	m.Update(pane.RangeMsg{To: fixedNow, Live: true}) // a new refresh supersedes the first
	m.Update(resultMsg{Pane: m.id, Seq: old, Value: answer{at: fixedNow, outcomes: make([]slo.Measured, len(m.items))}})
	if !m.fetch.Busy() || m.items[0].has {
		t.Fatalf("a stale result was applied: fetching %v has %v", m.fetch.Busy(), m.items[0].has)
	}
	m.Update(resultMsg{Pane: "other", Seq: m.fetch.Seq()})
	if !m.fetch.Busy() {
		t.Fatal("another pane's result was applied")
	}
}

func TestOverlappingRefreshIsDropped(t *testing.T) {
	src := burning()
	src.Hold()
	m, _ := newTestModel(t, panetest.Plain(), src)
	m.Init()
	seq := m.fetch.Seq()
	_, cmd := m.Update(m.fetch.Tick())
	if m.fetch.Seq() != seq {
		t.Fatalf("a tick during a refresh started another (seq %d → %d)", seq, m.fetch.Seq())
	}
	if cmd == nil {
		t.Fatal("the tick did not schedule the next one")
	}
	panetest.Press(m, "r")
	if m.fetch.Seq() != seq || m.flash == "" {
		t.Errorf("r during a refresh: seq %d → %d, flash %q", seq, m.fetch.Seq(), m.flash)
	}
	// A tick from a stopped timer generation does nothing.
	if _, cmd := m.Update(pane.RefreshTickMsg{Pane: m.id, Gen: m.fetch.Tick().Gen - 1}); cmd != nil {
		t.Error("an old timer's tick was acted on")
	}
	src.Release()
}

func TestErrorKeepsOldResults(t *testing.T) {
	src := burning()
	m, clk := newTestModel(t, panetest.Plain(), src)
	settle(m, m.Init())
	clk.Add(2 * time.Minute)
	src.Fail(&sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindUnreachable, Msg: "dial tcp 127.0.0.1:9090: connection refused"})
	settle(m, panetest.Press(m, "r"))
	if !m.items[0].has || m.items[0].eval.Status != slo.StatusPage || m.items[0].err == nil {
		t.Fatalf("old evaluation lost or error not kept: %+v", m.items[0])
	}
	v := m.View()
	for _, s := range []string{"unreachable", "dial tcp", "from 2m ago", "PAGE"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
}

func TestFilterScrollAndSelection(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), burning())
	settle(m, m.Init())
	panetest.Press(m, "/", "check", "enter")
	if len(m.visible) != 1 || m.items[m.visible[0]].s.Name != "checkout-availability" || m.AtRest() {
		t.Fatalf("filter: visible %v at rest %v", m.visible, m.AtRest())
	}
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceChart || ev.Source != "prometheus" || !strings.Contains(ev.Query, `service="checkout"`) || !strings.Contains(ev.Snapshot, "ticket") {
		t.Errorf("evidence %+v", ev)
	}
	// Filtering by status works too.
	panetest.Press(m, "esc", "/", "page", "enter")
	if len(m.visible) != 1 || m.items[m.visible[0]].s.Name != "payments-availability" {
		t.Fatalf("status filter: %v", m.visible)
	}
	panetest.Press(m, "esc")
	if !m.AtRest() || len(m.visible) != 4 {
		t.Fatalf("esc did not clear the filter")
	}
	panetest.Press(m, "G")
	if m.sel != 3 {
		t.Errorf("G: sel %d", m.sel)
	}
	// A short pane scrolls the list to keep the selection in view.
	m.SetSize(80, 16)
	panetest.Press(m, "g", "j", "j", "j")
	if m.sel != 3 || m.top == 0 || !strings.Contains(m.View(), "payments-latency") {
		t.Errorf("scroll: sel %d top %d\n%s", m.sel, m.top, m.View())
	}
}

func TestEnterPivotsToMetricsWithTheBurnQuery(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), burning())
	settle(m, m.Init())
	cmd := panetest.Press(m, "enter")
	if cmd == nil {
		t.Fatal("no pivot")
	}
	p, ok := cmd().(pane.PivotMsg)
	want, _ := slo.BurnHistoryQuery(m.items[0].s)
	if !ok || p.Target != pane.TargetMetrics || p.Query != want || !p.To.Equal(fixedNow) || p.Service != "payments" {
		t.Errorf("pivot %+v", p)
	}
}

func TestPastRangeIsJudgedAtItsEnd(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), burning())
	end := fixedNow.Add(-24 * time.Hour)
	_, cmd := m.Update(pane.RangeMsg{From: end.Add(-time.Hour), To: end})
	for _, msg := range panetest.Collect(cmd, 300*time.Millisecond) {
		if r, ok := msg.(resultMsg); ok && !r.Value.at.Equal(end) {
			t.Errorf("evaluated at %v, want %v", r.Value.at, end)
		}
	}
}

func TestWithoutPrometheusOrWithBadSpecs(t *testing.T) {
	m := newModel(t, panetest.Plain(), panetest.NewClock(fixedNow), Config{SLOs: testSLOs()})
	if m.Init() == nil {
		// The timer still starts; no fetch does.
		t.Error("Init returned nil")
	}
	if v := m.View(); !strings.Contains(v, "No Prometheus") {
		t.Errorf("view:\n%s", v)
	}
	m2 := New(Config{Source: burning(), SpecErr: errors.New("slos.yaml:3:5: slos[0].objective: must be between 0 and 100, got 120")})
	m2.SetSize(80, 24)
	if v := m2.View(); !strings.Contains(v, "slos.yaml:3:5") {
		t.Errorf("spec error not shown:\n%s", v)
	}
}
