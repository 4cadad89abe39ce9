package ui

import (
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// TestRunbookPivotRoutedToAlertsPane: the Incidents pane's runbook pivot
// goes through the real root to the Alerts pane's runbook view, and esc
// (once the runbook is closed) returns to where the user was.
func TestRunbookPivotRoutedToAlertsPane(t *testing.T) {
	m, _ := newTestModel(t, new(atomic.Int32))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(keyMsg("8")) // Incidents
	from := m.active
	m.Update(pane.RunbookPivot("PaymentsErrorBurst", "payments", 3))
	if got := m.panes[m.active].Title(); got != "Alerts" {
		t.Fatalf("the pivot showed %q, want Alerts", got)
	}
	if v := m.View(); !strings.Contains(v, "Runbook · PaymentsErrorBurst · steps go on INC-3") {
		t.Fatalf("the Alerts pane does not show the runbook view for INC-3:\n%s", v)
	}
	m.Update(keyMsg("esc")) // closes the runbook
	m.Update(keyMsg("esc")) // back
	if m.active != from {
		t.Fatalf("esc returned to pane %d, want %d", m.active, from)
	}
}
