package lagpane

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Lag pane's keys, as data.
type KeyMap struct {
	pane.ListKeys
	// Expand shows or hides a group/topic's partitions.
	Expand    key.Binding
	ExpandAll key.Binding
	Sort      key.Binding
	Reverse   key.Binding
	Refresh   key.Binding
	// Metrics opens the row's lag series in the Metrics pane.
	Metrics key.Binding
	// Collapse clears the text filter, or folds the open rows (esc).
	Collapse key.Binding
	// Filter edits the text filter over group and topic; Apply applies
	// it, Collapse (esc) abandons the edit.
	Filter key.Binding
	Apply  key.Binding
}

// DefaultKeyMap returns the default keys; none collides with the root's.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys:  pane.DefaultListKeys(),
		Expand:    pane.Bind("enter", "partitions", "enter", " "),
		ExpandAll: pane.Bind("e", "expand all"),
		Sort:      pane.Bind("s", "sort"),
		Reverse:   pane.Bind("S", "reverse sort"),
		Refresh:   pane.Bind("r", "refresh"),
		Metrics:   pane.Bind("m", "lag in metrics"),
		Collapse:  pane.Bind("esc", "clear filter / collapse"),
		Filter:    pane.Bind("/", "filter"),
		Apply:     pane.Bind("enter", "apply"),
	}
}

// ShortHelp is the footer.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Expand, k.Filter, k.Sort, k.Metrics, k.Refresh}
}

// FullHelp is the pane's part of the help overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		k.ListKeys.Bindings(),
		{k.Expand, k.ExpandAll, k.Collapse},
		{k.Filter, k.Apply},
		{k.Sort, k.Reverse, k.Metrics, k.Refresh},
	}
}
