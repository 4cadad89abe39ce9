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

		Detail:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Labels:  key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "labels")),
		Wrap:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap")),
		Expand:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "expand line")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy line")),
		Tail:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "live tail")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Next:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		Context: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "context lines")),
		Jump:    key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "jump to time")),
		Request: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "request view")),
		Trace:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open trace")),
		Link:    key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "copy web UI link")),
		Left:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "chart cursor back")),
		Right:   key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "chart cursor on")),
		Logs:    key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "lines behind the point")),

		Edit:     key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "edit query")),
		Run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		HistPrev: key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older query")),
		HistNext: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer query")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
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
