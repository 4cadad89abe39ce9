package pane

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestSpinnerRoutesAndStops(t *testing.T) {
	s := NewSpinner("p1", lipgloss.NewStyle())
	start := s.Start()
	if start == nil {
		t.Fatal("Start on an idle spinner returned no Cmd")
	}
	if again := s.Start(); again != nil {
		t.Error("Start while running started a second tick chain")
	}
	msg, ok := start().(SpinMsg)
	if !ok || msg.PaneID() != "p1" {
		t.Fatalf("tick is %#v, want a SpinMsg routed to p1", msg)
	}
	before := s.View()
	next := s.Update(msg, true)
	if next == nil {
		t.Fatal("busy spinner did not schedule its next tick")
	}
	if s.View() == before {
		t.Error("busy spinner did not advance a frame")
	}
	if _, ok := next().(SpinMsg); !ok {
		t.Error("next tick is not a SpinMsg")
	}
	if cmd := s.Update(SpinMsg{Pane: "other", Tick: msg.Tick}, true); cmd != nil {
		t.Error("spinner acted on another pane's tick")
	}
	if cmd := s.Update(msg, false); cmd != nil {
		t.Error("idle pane's spinner kept ticking")
	}
	if s.Start() == nil {
		t.Error("Start after the chain stopped did not restart it")
	}
}
