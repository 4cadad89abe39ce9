package request

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Request pane's keys, as data. None collides with the
// root's reserved keys (tab, digits, ?, :, [, ], +, =, -, q, p, ctrl+r).
type KeyMap struct {
	// The shared list keys, with space for page down and g/G named top
	// and bottom.
	pane.ListKeys
	NextSvc key.Binding
	PrevSvc key.Binding

	// Open pivots: a span to its trace, a line to the logs around it, a
	// service heading to that service's logs over the window.
	Open key.Binding
	// SpanLogs pivots from a span to the logs written in it.
	SpanLogs key.Binding
	Copy     key.Binding
	// Link copies a link to the same request in the team's web UI.
	Link   key.Binding
	Filter key.Binding

	Edit key.Binding
	Run  key.Binding
	// Back leaves the input or clears the filter.
	Back key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys: pane.SpaceListKeys(),
		NextSvc:  pane.Bind("J", "next service", "J", "}"),
		PrevSvc:  pane.Bind("K", "prev service", "K", "{"),

		Open:     pane.Bind("enter", "open (span→trace, line→logs)"),
		SpanLogs: pane.Bind("L", "logs of span/service"),
		Copy:     pane.Bind("y", "copy"),
		Link:     pane.Bind("U", "copy web UI link"),
		Filter:   pane.Bind("/", "filter"),

		Edit: pane.Bind("i", "enter an id", "i", "e"),
		Run:  pane.Bind("enter", "search"),
		Back: pane.Bind("esc", "back"),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		append(k.ListKeys.Bindings(), k.NextSvc, k.PrevSvc),
		{k.Open, k.SpanLogs, k.Copy, k.Link, k.Filter},
		{k.Edit, k.Run, k.Back},
	}
}
