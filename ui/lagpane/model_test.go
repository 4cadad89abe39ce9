package lagpane

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGroupsSortAndExpand(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), &fakeSource{parts: sample()})
	load(m)
	// Worst status first: orders-consumer (STALL), audit (WARN), billing.
	var order []string
	for _, tp := range m.topics {
		order = append(order, tp.Group+"/"+string(tp.Status))
	}
	if strings.Join(order, " ") != "orders-consumer/STALL audit/WARN billing/OK" {
		t.Fatalf("order %v", order)
	}
	if tp := m.topics[0]; tp.LagMessages != 1453 || tp.LagSeconds != 192 {
		t.Errorf("orders-consumer: %v messages, %v s", tp.LagMessages, tp.LagSeconds)
	}
	panetest.Press(m, "enter")
	if len(m.rows) != 6 || m.AtRest() {
		t.Fatalf("expand: %d rows", len(m.rows))
	}
	panetest.Press(m, "j", "j")
	ev, ok := m.Selection()
	if !ok || ev.Kind != incidents.EvidenceQuery || ev.Query != `kafka_consumergroup_lag{consumergroup="orders-consumer", topic="orders", partition="1"}` ||
		!strings.Contains(ev.Snapshot, "STALL") {
		t.Errorf("evidence %+v", ev)
	}
	cmd := panetest.Press(m, "m")
	if p, ok := cmd().(pane.PivotMsg); !ok || p.Target != pane.TargetMetrics || p.Query != ev.Query {
		t.Errorf("pivot %+v", p)
	}
	panetest.Press(m, "esc")
	if !m.AtRest() || len(m.rows) != 3 || m.sel != 0 {
		t.Errorf("esc: rows %d sel %d", len(m.rows), m.sel)
	}
	// s cycles: lag seconds, messages, name.
	panetest.Press(m, "s")
	if m.topics[0].Group != "orders-consumer" || m.topics[1].Group != "audit" {
		t.Errorf("by seconds: %s %s", m.topics[0].Group, m.topics[1].Group)
	}
	panetest.Press(m, "s", "s")
	if m.topics[0].Group != "audit" || m.topics[2].Group != "orders-consumer" {
		t.Errorf("by name: %v", m.topics)
	}
	panetest.Press(m, "S")
	if m.topics[0].Group != "orders-consumer" {
		t.Errorf("reversed name: %s", m.topics[0].Group)
	}
}

func TestSelectionSurvivesRefresh(t *testing.T) {
	src := &fakeSource{parts: sample()}
	m, _ := newTestModel(t, panetest.Plain(), src)
	load(m)
	panetest.Press(m, "G") // billing
	if g := m.topics[m.rows[m.sel].topic].Group; g != "billing" {
		t.Fatalf("selected %s", g)
	}
	// billing starts to stall: it moves up, and the cursor follows it.
	parts := sample()
	parts[3].Verdict.Status = lag.StatusStop
	src.Locked(func() { src.parts = parts })
	cmd := panetest.Press(m, "r")
	settle(m, cmd)
	if g := m.topics[m.rows[m.sel].topic].Group; g != "billing" || m.sel != 0 {
		t.Errorf("selection moved to %s at %d", g, m.sel)
	}
}

func TestErrorKeepsRowsAndStaleDropped(t *testing.T) {
	src := &fakeSource{parts: sample()}
	m, clk := newTestModel(t, panetest.Plain(), src)
	load(m)
	clk.Add(90 * time.Second)
	src.Fail(&sources.Error{Backend: "prometheus", Kind: sources.KindUnreachable, Msg: "connection refused"})
	cmd := panetest.Press(m, "r")
	stale := answerMsg(m, fixedNow, nil)
	stale.Seq--
	m.Update(stale) // stale: ignored
	if !m.fetch.Busy() {
		t.Fatal("a stale result ended the refresh")
	}
	settle(m, cmd)
	v := m.View()
	if len(m.topics) != 3 || !strings.Contains(v, "unreachable") || !strings.Contains(v, "from 1m30s ago") || !strings.Contains(v, "orders-consumer") {
		t.Errorf("after error:\n%s", v)
	}
}

func TestOverlappingRefreshDropped(t *testing.T) {
	src := &fakeSource{parts: sample()}
	src.Hold()
	m, _ := newTestModel(t, panetest.Plain(), src)
	m.Init()
	seq := m.fetch.Seq()
	if _, cmd := m.Update(m.fetch.Tick()); cmd == nil || m.fetch.Seq() != seq {
		t.Fatalf("tick during a fetch: seq %d → %d", seq, m.fetch.Seq())
	}
	src.Release()
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	src := &fakeSource{parts: sample()}
	m, _ := newTestModel(t, panetest.Plain(), src)
	init := m.Init()
	cmds := panetest.Steps(m, answerMsg(m, fixedNow, sample()), "j", "enter", "e", "s", "S", "r", "m", "esc", "G", "g", m.fetch.Tick())
	panetest.OnlyCmdsCall(t, src.Calls, append(cmds, init), 200*time.Millisecond)
}

func TestSparkline(t *testing.T) {
	if got := sparkline([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8); got != "▁▂▃▄▅▆▇█" {
		t.Errorf("ramp: %q", got)
	}
	if got := sparkline([]float64{0, 0, 0}, 10); got != "▁▁▁" {
		t.Errorf("flat: %q", got)
	}
	// Squeezed, a spike survives (each cell is its share's maximum).
	vs := make([]float64, 100)
	vs[37] = 9
	if got := sparkline(vs, 10); !strings.Contains(got, "█") {
		t.Errorf("spike lost: %q", got)
	}
}

func TestTextFilter(t *testing.T) {
	m, _ := newTestModel(t, panetest.Plain(), &fakeSource{parts: sample()})
	load(m)
	panetest.Press(m, "G") // billing/payments, the last row
	if m.Editing() || !m.AtRest() {
		t.Fatal("editing or not at rest before /")
	}
	panetest.Press(m, "/")
	if !m.Editing() || m.AtRest() {
		t.Fatal("/ did not give the input the keyboard")
	}
	// Keys are text while typing: j does not move, e does not expand.
	panetest.Press(m, "P", "a", "j", "e")
	if m.sel != 2 || len(m.rows) != 3 || m.filter.Value() != "" || !strings.Contains(m.View(), "/Paje") {
		t.Fatalf("typing moved or filtered early: sel %d, %d rows, filter %q", m.sel, len(m.rows), m.filter.Value())
	}
	panetest.Press(m, "ctrl+u", "P", "A", "Y", "enter")
	if m.Editing() || m.filter.Value() != "PAY" {
		t.Fatalf("enter: editing %v, filter %q", m.Editing(), m.filter.Value())
	}
	var shown []string
	for _, r := range m.rows {
		shown = append(shown, m.topics[r.topic].Group)
	}
	// Case-insensitive, over group and topic; the selection stays on billing.
	if strings.Join(shown, " ") != "audit billing" || m.topics[m.rows[m.sel].topic].Group != "billing" {
		t.Fatalf("PAY shows %v, selected row %d", shown, m.sel)
	}
	if v := m.View(); !strings.Contains(v, "filter: PAY  (2 of 3 group/topics shown; esc clears)") || strings.Contains(v, "orders-consumer") {
		t.Errorf("filtered view:\n%s", v)
	}
	if m.AtRest() {
		t.Error("AtRest with a filter set")
	}
	// esc while editing abandons the edit and keeps the applied filter.
	panetest.Press(m, "/", "x", "esc")
	if m.filter.Value() != "PAY" || m.Editing() || len(m.rows) != 2 {
		t.Fatalf("esc while editing: filter %q, %d rows", m.filter.Value(), len(m.rows))
	}
	// A filter matching nothing says so.
	panetest.Press(m, "/", "ctrl+u", "z", "z", "enter")
	if v := m.View(); len(m.rows) != 0 || !strings.Contains(v, `No group or topic matches "zz"`) || !strings.Contains(v, "0 of 3") {
		t.Errorf("no match, %d rows:\n%s", len(m.rows), v)
	}
	// esc clears the filter before it collapses anything.
	panetest.Press(m, "esc")
	if m.filter.Value() != "" || len(m.rows) != 3 || !m.AtRest() {
		t.Errorf("esc: filter %q, %d rows, at rest %v", m.filter.Value(), len(m.rows), m.AtRest())
	}
	// The filter holds across a refresh.
	panetest.Press(m, "/", "orders", "enter")
	m.Update(answerMsg(m, fixedNow, sample()))
	if len(m.rows) != 1 || m.topics[m.rows[0].topic].Group != "orders-consumer" {
		t.Errorf("after a refresh %d rows", len(m.rows))
	}
}
