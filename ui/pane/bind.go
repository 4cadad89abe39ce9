package pane

import "github.com/charmbracelet/bubbles/key"

// Bind is a key binding with its help: help is the key as the help line
// shows it, desc what it does, and keys the keys that trigger it (none:
// help itself is the key). Keymaps build every binding with it, so a
// pane's DefaultKeyMap is one line per key.
func Bind(help, desc string, keys ...string) key.Binding {
	if len(keys) == 0 {
		keys = []string{help}
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}
