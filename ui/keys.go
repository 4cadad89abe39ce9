package ui

import "github.com/charmbracelet/bubbles/key"

// GlobalKeyMap holds the keys the root model handles in every pane.
type GlobalKeyMap struct {
	NextPane key.Binding
	PrevPane key.Binding
	Pane     []key.Binding
	Help     key.Binding
	Refresh  key.Binding
	PanBack  key.Binding
	PanFwd   key.Binding
	ZoomIn   key.Binding
	ZoomOut  key.Binding
	Live     key.Binding
	Quit     key.Binding
	// Pin attaches what is under the cursor to the current incident.
	Pin key.Binding
	// Back returns to where a pivot started, when the pane has nothing
	// of its own to close.
	Back key.Binding
}

// DefaultGlobalKeyMap returns the default global keys.
func DefaultGlobalKeyMap() GlobalKeyMap {
	km := GlobalKeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev pane")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Refresh:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "re-check backends")),
		PanBack:  key.NewBinding(key.WithKeys("["), key.WithHelp("[", "earlier")),
		PanFwd:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "later")),
		ZoomIn:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "zoom in")),
		ZoomOut:  key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "zoom out")),
		Live:     key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "live")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Pin:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pin to incident")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back after a pivot")),
	}
	for i := 1; i <= 8; i++ {
		k := string(rune('0' + i))
		km.Pane = append(km.Pane, key.NewBinding(key.WithKeys(k), key.WithHelp(k, "pane "+k)))
	}
	return km
}

// ShortHelp is the footer line.
func (k GlobalKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.PanBack, k.PanFwd, k.ZoomOut, k.Live, k.Help, k.Quit}
}

// FullHelp is the ? overlay.
func (k GlobalKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Pane[0], k.Refresh},
		{k.PanBack, k.PanFwd, k.ZoomIn, k.ZoomOut, k.Live},
		{k.Pin, k.Back, k.Help, k.Quit},
	}
}
