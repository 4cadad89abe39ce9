package metrics

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Metrics pane's keys. None collide with the root's global
// keys (tab, digits, ?, :, [, ], +, =, -, q, p, ctrl+c, ctrl+r).
type KeyMap struct {
	// The shared list keys walk the charts: Up and Down move the focus
	// to the previous and next chart, Top and Bottom put the cursor on
	// the first and last step. The charts do not page: PageUp and
	// PageDown are off.
	pane.ListKeys
	Left    key.Binding
	Right   key.Binding
	Service key.Binding
	Mode    key.Binding

	// Exemplars and pivots.
	NextExemplar key.Binding
	PrevExemplar key.Binding
	OpenTrace    key.Binding
	NextChange   key.Binding
	PrevChange   key.Binding
	Logs         key.Binding
	Copy         key.Binding
	Link         key.Binding

	// Inputs: the PromQL editor (Edit opens it) and the service picker.
	// Back closes an input, then clears the exemplar, then the cursor;
	// Run also picks the highlighted service.
	pane.EditorKeys
	Edit, PickUp, PickDown key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	charts := pane.DefaultListKeys()
	charts.Up.SetHelp("↑/k", "previous chart")
	charts.Down.SetHelp("↓/j", "next chart")
	charts.Top.SetHelp("g", "cursor to start")
	charts.Bottom.SetHelp("G", "cursor to end")
	charts.PageUp.SetEnabled(false)
	charts.PageDown.SetEnabled(false)
	return KeyMap{
		ListKeys: charts,
		Left:     pane.Bind("←/h", "cursor back", "left", "h"),
		Right:    pane.Bind("→/l", "cursor on", "right", "l"),
		Service:  pane.Bind("s", "service"),
		Mode:     pane.Bind("m", "signals/PromQL"),

		NextExemplar: pane.Bind("x", "next exemplar"),
		PrevExemplar: pane.Bind("X", "previous exemplar"),
		OpenTrace:    pane.Bind("enter", "open exemplar trace"),
		NextChange:   pane.Bind("c", "next change (deploy)"),
		PrevChange:   pane.Bind("C", "previous change"),
		Logs:         pane.Bind("L", "logs at cursor or change"),
		Copy:         pane.Bind("y", "copy query"),
		Link:         pane.Bind("U", "copy web UI link"),

		EditorKeys: pane.DefaultEditorKeys(),
		Edit:       pane.Bind("i", "PromQL", "i", "/"),
		PickUp:     pane.Bind("↑", "up", "up", "ctrl+p"),
		PickDown:   pane.Bind("↓", "down", "down", "ctrl+n"),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Service, k.Mode, k.Down, k.Up, k.Edit, k.Copy, k.Link},
		{k.Left, k.Right, k.Top, k.Bottom, k.Back},
		{k.NextExemplar, k.PrevExemplar, k.OpenTrace, k.NextChange, k.PrevChange, k.Logs},
		{k.Run, k.HistPrev, k.HistNext},
	}
}
