package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

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
		NextPane: pane.Bind("tab", "next pane"),
		PrevPane: pane.Bind("shift+tab", "prev pane"),
		Help:     pane.Bind("?", "help"),
		Refresh:  pane.Bind("ctrl+r", "re-check backends"),
		PanBack:  pane.Bind("[", "earlier"),
		PanFwd:   pane.Bind("]", "later"),
		ZoomIn:   pane.Bind("+", "zoom in", "+", "="),
		ZoomOut:  pane.Bind("-", "zoom out"),
		Live:     pane.Bind("0", "live"),
		Quit:     pane.Bind("q", "quit", "q", "ctrl+c"),
		Pin:      pane.Bind("p", "pin to incident"),
		Back:     pane.Bind("esc", "back after a pivot", "esc", "backspace"),
	}
	for i := 1; i <= 9; i++ {
		k := string(rune('0' + i))
		km.Pane = append(km.Pane, pane.Bind(k, "pane "+k))
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
