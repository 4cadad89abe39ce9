package ui

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
)

// probePane records what the root hands it.
type probePane struct {
	title  string
	got    *[]tea.Msg
	rest   bool
	pinned *[]incidents.Evidence
	sel    *incidents.Evidence
}

func (p *probePane) Title() string             { return p.title }
func (p *probePane) Init() tea.Cmd             { return nil }
func (p *probePane) View() string              { return p.title }
func (p *probePane) SetSize(int, int)          {}
func (p *probePane) ShortHelp() []key.Binding  { return nil }
func (p *probePane) FullHelp() [][]key.Binding { return nil }
func (p *probePane) AtRest() bool              { return p.rest }
func (p *probePane) Update(msg tea.Msg) (*probePane, tea.Cmd) {
	*p.got = append(*p.got, msg)
	if pin, ok := msg.(pane.PinMsg); ok && p.pinned != nil {
		*p.pinned = append(*p.pinned, pin.Evidence)
	}
	return p, nil
}
func (p *probePane) Pivot(msg pane.PivotMsg) tea.Cmd {
	*p.got = append(*p.got, msg)
	return nil
}
func (p *probePane) Selection() (incidents.Evidence, bool) {
	if p.sel == nil {
		return incidents.Evidence{}, false
	}
	return *p.sel, true
}

type routedMsg struct{ id string }

func (r routedMsg) PaneID() string { return r.id }

// withProbes replaces the Traces and Incidents panes with probes.
func withProbes(t *testing.T) (m *Model, traces, incs *[]tea.Msg, tp *probePane, pinned *[]incidents.Evidence) {
	t.Helper()
	var pings atomic.Int32
	m, _ = newTestModel(t, &pings)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	traces, incs, pinned = &[]tea.Msg{}, &[]tea.Msg{}, &[]incidents.Evidence{}
	ti, ii := m.indexOf(pane.TargetTraces), m.indexOf(pane.TargetIncidents)
	tp = &probePane{title: "Traces", got: traces, rest: true}
	m.panes[ti] = adapt(tp)
	m.panes[ii] = adapt(&probePane{title: "Incidents", got: incs, pinned: pinned, rest: true})
	return m, traces, incs, tp, pinned
}

func TestRoutedResultReachesHiddenPane(t *testing.T) {
	m, traces, incs, _, _ := withProbes(t)
	ti := m.indexOf(pane.TargetTraces)
	m.Update(routedMsg{id: m.ids[ti]})
	if m.active != 0 {
		t.Fatalf("a routed result must not switch panes; active=%d", m.active)
	}
	if len(*traces) != 1 || len(*incs) != 0 {
		t.Fatalf("routed to the wrong pane: traces got %d, incidents got %d", len(*traces), len(*incs))
	}
	m.Update(routedMsg{id: "traces-stale"})
	if len(*traces) != 1 {
		t.Fatalf("a result for a pane that no longer exists must be dropped")
	}
}

func TestPivotAndBack(t *testing.T) {
	m, traces, _, tp, _ := withProbes(t)
	from := fixedNow.Add(-5 * time.Minute)
	m.Update(pane.PivotMsg{Target: pane.TargetTraces, TraceID: "abc", From: from, To: fixedNow})
	ti := m.indexOf(pane.TargetTraces)
	if m.active != ti {
		t.Fatalf("pivot did not switch to traces: active=%d", m.active)
	}
	// The pane gets the pivot, then the root's word that it is shown.
	n := len(*traces)
	got, ok := (*traces)[max(0, n-2)].(pane.PivotMsg)
	if !ok || got.TraceID != "abc" || !got.From.Equal(from) {
		t.Fatalf("traces pane did not get the pivot: %#v", *traces)
	}
	if v, ok := (*traces)[n-1].(pane.VisibleMsg); !ok || !v.Visible {
		t.Fatalf("traces pane was not told it is shown: %#v", (*traces)[n-1])
	}
	// A pane with something open keeps esc for itself.
	tp.rest = false
	m.Update(keyMsg("esc"))
	if m.active != ti {
		t.Fatalf("esc left a pane that was not at rest")
	}
	tp.rest = true
	m.Update(keyMsg("esc"))
	if m.active != 0 {
		t.Fatalf("esc at rest after a pivot should go back to logs; active=%d", m.active)
	}
	// With nothing to go back to, esc goes to the pane.
	m.Update(keyMsg("esc"))
	if m.active != 0 {
		t.Fatalf("esc with an empty back stack moved panes")
	}
}

func TestPinGoesToIncidents(t *testing.T) {
	m, _, _, tp, pinned := withProbes(t)
	ti := m.indexOf(pane.TargetTraces)
	m.active = ti
	m.Update(keyMsg("p"))
	if len(*pinned) != 0 || m.flash == "" {
		t.Fatalf("pin with no selection must say so and pin nothing; flash=%q pinned=%d", m.flash, len(*pinned))
	}
	tp.sel = &incidents.Evidence{Kind: incidents.EvidenceSpan, Source: "jaeger", Query: "abc"}
	m.Update(keyMsg("p"))
	if len(*pinned) != 1 || (*pinned)[0].Query != "abc" {
		t.Fatalf("pin did not reach the incidents pane: %#v", *pinned)
	}
	if m.active != ti {
		t.Fatalf("pinning must not switch panes")
	}
}

func TestRangeChangeReachesEveryPane(t *testing.T) {
	m, traces, incs, _, _ := withProbes(t)
	m.Update(keyMsg("["))
	count := func(ms []tea.Msg) int {
		n := 0
		for _, x := range ms {
			if _, ok := x.(pane.RangeMsg); ok {
				n++
			}
		}
		return n
	}
	if count(*traces) != 1 || count(*incs) != 1 {
		t.Fatalf("range change not broadcast: traces %d, incidents %d", count(*traces), count(*incs))
	}
}
