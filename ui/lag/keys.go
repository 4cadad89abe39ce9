package lag

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the Lag pane's keys, as data.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
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
		Up:        key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:    key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Expand:    key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "partitions")),
		ExpandAll: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "expand all")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Refresh:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Metrics:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "lag in metrics")),
		Collapse:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter / collapse")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Apply:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
	}
}

// ShortHelp is the footer.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Expand, k.Filter, k.Sort, k.Metrics, k.Refresh}
}

// FullHelp is the pane's part of the help overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Expand, k.ExpandAll, k.Collapse},
		{k.Filter, k.Apply},
		{k.Sort, k.Reverse, k.Metrics, k.Refresh},
	}
}
