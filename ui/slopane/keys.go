package slopane

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the SLOs pane's keys, as data.
type KeyMap struct {
	pane.ListKeys
	Filter  key.Binding
	Apply   key.Binding
	Back    key.Binding
	Refresh key.Binding
	// Metrics opens the selected SLO's burn query in the Metrics pane.
	Metrics key.Binding
}

// DefaultKeyMap returns the default keys; none collides with the root's.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys: pane.DefaultListKeys(),
		Filter:   pane.Bind("/", "filter"),
		Apply:    pane.Bind("enter", "apply"),
		Back:     pane.Bind("esc", "clear filter"),
		Refresh:  pane.Bind("r", "refresh"),
		Metrics:  pane.Bind("enter", "burn in metrics"),
	}
}

// ShortHelp is the footer while the list has focus.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Filter, k.Metrics, k.Refresh}
}

// FullHelp is the pane's part of the help overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.ListKeys.Bindings(),
		{k.Filter, k.Apply, k.Back},
		{k.Metrics, k.Refresh},
	}
}
