package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// The pane left and the pane shown are told, so a live pane refreshes
// only while on screen and catches up when shown.
func TestSwitchingPanesTellsVisibility(t *testing.T) {
	m, traces, incs, _, _ := withProbes(t)
	ti := m.indexOf(pane.TargetTraces)
	m.active = ti - 1
	m.Update(keyMsg("tab"))
	if m.active != ti {
		t.Fatalf("tab went to %d, want %d", m.active, ti)
	}
	if v, ok := last(*traces).(pane.VisibleMsg); !ok || !v.Visible {
		t.Fatalf("shown pane got %#v, want VisibleMsg{true}", last(*traces))
	}
	m.Update(pane.PivotMsg{Target: pane.TargetIncidents})
	if v, ok := last(*traces).(pane.VisibleMsg); !ok || v.Visible {
		t.Fatalf("left pane got %#v, want VisibleMsg{false}", last(*traces))
	}
	if v, ok := last(*incs).(pane.VisibleMsg); !ok || !v.Visible {
		t.Fatalf("pivot target got %#v, want VisibleMsg{true}", last(*incs))
	}
	n := len(*traces)
	m.Update(routedMsg{id: m.ids[ti]}) // no switch: no visibility news
	if len(*traces) != n+1 {
		t.Fatalf("a routed result sent %d messages", len(*traces)-n)
	}
}

func last(ms []tea.Msg) tea.Msg {
	if len(ms) == 0 {
		return nil
	}
	return ms[len(ms)-1]
}
