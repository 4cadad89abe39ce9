package incidents

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the Incidents pane's keys, as data. None collide with the
// root's global keys (tab, digits, [, ], +, =, -, ?, :, q, p, ctrl+r);
// while a form has focus every key is text and the form keys apply.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

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
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),

		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Status:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "status filter")),
		Severity: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "severity filter")),
		Declare:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "declare")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),

		Note:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add note")),
		Milestone: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark/move milestone")),
		Resolve:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resolve")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy evidence")),
		FollowUp:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "add follow-up")),
		Cause:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cause, kind, services")),
		Link:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "link a deploy")),
		Runbook:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "alert's runbook")),

		Save:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),

		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Filter, k.Apply, k.Status, k.Severity, k.Declare, k.Back},
		{k.Note, k.Milestone, k.Resolve, k.Copy, k.FollowUp, k.Cause, k.Link, k.Runbook},
		{k.Save, k.NextField, k.PrevField},
	}
}
