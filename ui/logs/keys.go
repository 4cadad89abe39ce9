package logs

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Logs pane's keys. It is data: Update matches bindings and
// never raw key strings, so a session can rebind keys without code changes.
type KeyMap struct {
	// The list: the keys of a pager, g the oldest line, G the newest.
	pane.ListKeys

	// Views of the results.
	Detail  key.Binding
	Labels  key.Binding
	Wrap    key.Binding
	Expand  key.Binding
	Copy    key.Binding
	Tail    key.Binding
	Filter  key.Binding
	Next    key.Binding
	Prev    key.Binding
	Context key.Binding
	Jump    key.Binding
	// Pivots from the selected line.
	Request key.Binding
	Trace   key.Binding
	// Link copies a link to the same query and range in the team's web UI.
	Link key.Binding
	// On a metric query's chart: the cursor, and the lines behind a point.
	Left  key.Binding
	Right key.Binding
	Logs  key.Binding

	// Inputs.
	Edit     key.Binding
	Run      key.Binding
	HistPrev key.Binding
	HistNext key.Binding
	// Back leaves an input or the detail view, cancels a running query, or
	// clears the filter, whichever applies first.
	Back key.Binding
}

// DefaultKeyMap returns the default keys. None of them collide with the
// root's global keys (tab, digits, [, ], +, -, ?, q).
func DefaultKeyMap() KeyMap {
	list := pane.SpaceListKeys()
	list.Top.SetHelp("g", "oldest")
	list.Bottom.SetHelp("G", "newest")
	return KeyMap{
		ListKeys: list,

		Detail:  pane.Bind("enter", "detail"),
		Labels:  pane.Bind("l", "labels"),
		Wrap:    pane.Bind("w", "wrap"),
		Expand:  pane.Bind("e", "expand line"),
		Copy:    pane.Bind("y", "copy line"),
		Tail:    pane.Bind("t", "live tail"),
		Filter:  pane.Bind("/", "filter"),
		Next:    pane.Bind("n", "next match"),
		Prev:    pane.Bind("N", "prev match"),
		Context: pane.Bind("c", "context lines"),
		Jump:    pane.Bind("T", "jump to time"),
		Request: pane.Bind("R", "request view"),
		Trace:   pane.Bind("o", "open trace"),
		Link:    pane.Bind("U", "copy web UI link"),
		Left:    pane.Bind("←/h", "chart cursor back", "left", "h"),
		Right:   pane.Bind("→", "chart cursor on", "right"),
		Logs:    pane.Bind("L", "lines behind the point"),

		Edit:     pane.Bind("i", "edit query"),
		Run:      pane.Bind("enter", "run"),
		HistPrev: pane.Bind("↑", "older query", "up", "ctrl+p"),
		HistNext: pane.Bind("↓", "newer query", "down", "ctrl+n"),
		Back:     pane.Bind("esc", "back"),
	}
}

// listShortHelp is the footer while the list has focus.
func (k KeyMap) listShortHelp() []key.Binding {
	return []key.Binding{k.Edit, k.Filter, k.Tail, k.Detail, k.Copy}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		append(k.ListKeys.Bindings(), k.Jump),
		{k.Edit, k.Run, k.HistPrev, k.HistNext, k.Back},
		{k.Filter, k.Next, k.Prev, k.Context},
		{k.Detail, k.Expand, k.Copy, k.Tail, k.Labels, k.Wrap},
		{k.Request, k.Trace, k.Link, k.Left, k.Right, k.Logs},
	}
}
