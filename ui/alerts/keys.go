package alerts

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is the Alerts pane's keys, as data; none collide with the
// root's global keys.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Detail   key.Binding
	Filter   key.Binding
	State    key.Binding
	Declare  key.Binding
	Refresh  key.Binding
	Apply    key.Binding
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
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Detail:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "labels & annotations")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		State:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "state filter")),
		Declare:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "declare incident")),
		Refresh:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "refresh")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Runbook:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "runbook")),
		NextStep: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next step")),
		PrevStep: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous step")),
		MarkDone: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "step done")),
		RunQuery: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run step's query")),
		CopyURL:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy runbook URL")),
		Noise:    key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "alert noise")),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Detail, k.Filter, k.State, k.Refresh, k.Back},
		{k.Declare, k.Runbook, k.Noise},
		{k.NextStep, k.PrevStep, k.MarkDone, k.RunQuery, k.CopyURL},
	}
}

// isMotion reports whether msg moves the cursor or the view.
func (k KeyMap) isMotion(msg tea.KeyMsg) bool {
	return key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom)
}

// move applies a motion key to pos, a cursor (the list) or the first
// line shown (the runbook), over n lines with page lines to a page; the
// caller clamps.
func (k KeyMap) move(msg tea.KeyMsg, pos, page, n int) int {
	switch {
	case key.Matches(msg, k.Up):
		return pos - 1
	case key.Matches(msg, k.Down):
		return pos + 1
	case key.Matches(msg, k.PageUp):
		return pos - page
	case key.Matches(msg, k.PageDown):
		return pos + page
	case key.Matches(msg, k.Top):
		return 0
	case key.Matches(msg, k.Bottom):
		return n - 1
	}
	return pos
}
