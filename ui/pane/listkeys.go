package pane

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// ListKeys are the keys that move a selection through a list: a building
// block a pane's KeyMap embeds, so its fields (Up, Down, …) stay the
// pane's own and can be rebound.
type ListKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// DefaultListKeys are the list keys every pane binds: k/j and the arrows,
// pgup/pgdn (ctrl+b/ctrl+f), g/G (home/end).
func DefaultListKeys() ListKeys {
	return ListKeys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
	}
}

// Bindings are the list keys in help order.
func (k ListKeys) Bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// Move applies a list key to the selection sel of a list of n rows with
// page rows on screen. It reports false, leaving sel alone, for any other
// key. The result is not clamped; ClampScroll does that.
func (k ListKeys) Move(msg tea.KeyMsg, sel, n, page int) (int, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return sel - 1, true
	case key.Matches(msg, k.Down):
		return sel + 1, true
	case key.Matches(msg, k.PageUp):
		return sel - page, true
	case key.Matches(msg, k.PageDown):
		return sel + page, true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return n - 1, true
	}
	return sel, false
}
