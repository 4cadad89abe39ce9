package alerts

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Alerts pane's keys, as data; none collide with the
// root's global keys. The list keys move the cursor in the list and the
// noise table, and scroll the runbook.
type KeyMap struct {
	pane.ListKeys
	Detail  key.Binding
	Filter  key.Binding
	State   key.Binding
	Declare key.Binding
	Refresh key.Binding
	Apply   key.Binding
	// Back closes the detail or the filter input, or clears the filter.
	Back key.Binding

	// Runbook opens the selected alert's runbook; the rest act in it.
	Runbook  key.Binding
	NextStep key.Binding
	PrevStep key.Binding
	MarkDone key.Binding
	RunQuery key.Binding
	CopyURL  key.Binding
	// Noise opens the alert-noise table.
	Noise key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys: pane.DefaultListKeys(),
		Detail:   pane.Bind("enter", "labels & annotations"),
		Filter:   pane.Bind("/", "filter"),
		State:    pane.Bind("s", "state filter"),
		Declare:  pane.Bind("d", "declare incident"),
		Refresh:  pane.Bind("R", "refresh"),
		Apply:    pane.Bind("enter", "apply"),
		Back:     pane.Bind("esc", "back"),
		Runbook:  pane.Bind("o", "runbook"),
		NextStep: pane.Bind("n", "next step"),
		PrevStep: pane.Bind("N", "previous step"),
		MarkDone: pane.Bind("x", "step done"),
		RunQuery: pane.Bind("enter", "run step's query"),
		CopyURL:  pane.Bind("y", "copy runbook URL"),
		Noise:    pane.Bind("S", "alert noise"),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.ListKeys.Bindings(),
		{k.Detail, k.Filter, k.State, k.Refresh, k.Back},
		{k.Declare, k.Runbook, k.Noise},
		{k.NextStep, k.PrevStep, k.MarkDone, k.RunQuery, k.CopyURL},
	}
}
