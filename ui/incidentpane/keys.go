package incidentpane

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Incidents pane's keys, as data. None collide with the
// root's global keys (tab, digits, [, ], +, =, -, ?, :, q, p, ctrl+r);
// while a form has focus every key is text and the form keys apply.
type KeyMap struct {
	// ListKeys move through the list and the incident's timeline.
	pane.ListKeys

	// The list.
	Open     key.Binding
	Status   key.Binding
	Severity key.Binding
	Declare  key.Binding
	// Filter edits the text filter over id, title, services and
	// commander; Apply (enter) applies it, Back (esc) abandons the edit.
	Filter key.Binding
	Apply  key.Binding

	// The incident view.
	Note      key.Binding
	Milestone key.Binding
	Resolve   key.Binding
	Copy      key.Binding
	// FollowUp adds an action item; Cause sets kind, root-cause
	// category and implicated services.
	FollowUp key.Binding
	Cause    key.Binding
	// Link links the incident to a deploy (the suggested one first).
	Link key.Binding
	// Runbook opens the runbook of the incident's alert in the Alerts
	// pane, where steps marked done go on this incident's timeline.
	Runbook key.Binding

	// Forms.
	Save      key.Binding
	NextField key.Binding
	PrevField key.Binding

	// Back closes a form, leaves the incident view, or clears the list's
	// filters, whichever applies first.
	Back key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys: pane.DefaultListKeys(),

		Open:     pane.Bind("enter", "open"),
		Status:   pane.Bind("s", "status filter"),
		Severity: pane.Bind("v", "severity filter"),
		Declare:  pane.Bind("d", "declare"),
		Filter:   pane.Bind("/", "filter"),
		Apply:    pane.Bind("enter", "apply"),

		Note:      pane.Bind("a", "add note"),
		Milestone: pane.Bind("m", "mark/move milestone"),
		Resolve:   pane.Bind("r", "resolve"),
		Copy:      pane.Bind("y", "copy evidence"),
		FollowUp:  pane.Bind("f", "add follow-up"),
		Cause:     pane.Bind("c", "cause, kind, services"),
		Link:      pane.Bind("L", "link a deploy"),
		Runbook:   pane.Bind("o", "alert's runbook"),

		Save:      pane.Bind("enter", "save"),
		NextField: pane.Bind("tab", "next field", "tab", "down"),
		PrevField: pane.Bind("shift+tab", "previous field", "shift+tab", "up"),

		Back: pane.Bind("esc", "back"),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.ListKeys.Bindings(),
		{k.Open, k.Filter, k.Apply, k.Status, k.Severity, k.Declare, k.Back},
		{k.Note, k.Milestone, k.Resolve, k.Copy, k.FollowUp, k.Cause, k.Link, k.Runbook},
		{k.Save, k.NextField, k.PrevField},
	}
}
