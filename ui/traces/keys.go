package traces

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/reltui/reltui/ui/pane"
)

// KeyMap is the Traces pane's keys. It is data: Update matches bindings,
// never raw key strings. None of them is a root key (tab, digits, ?, :,
// [, ], +, =, -, q, p) outside the text inputs.
type KeyMap struct {
	// Moving: the shared list keys, with space for page down and g/G
	// named top and bottom.
	pane.ListKeys

	// The search.
	Edit    key.Binding
	Sort    key.Binding
	Reverse key.Binding
	Open    key.Binding

	// The waterfall.
	Collapse    key.Binding
	Expand      key.Binding
	Toggle      key.Binding
	CollapseAll key.Binding
	ExpandAll   key.Binding
	// FoldTiny hides the spans shorter than a share of the trace (1%),
	// one row per parent, never on the critical path.
	FoldTiny  key.Binding
	Detail    key.Binding
	Filter    key.Binding
	Next      key.Binding
	Prev      key.Binding
	CopyTrace key.Binding
	// Link copies a link to the same search or trace in the team's web UI.
	Link     key.Binding
	CopySpan key.Binding
	Logs     key.Binding
	// Diff compares the open trace with a healthy baseline found in
	// Jaeger; DiffJump, in the diff, goes to the row's span.
	Diff     key.Binding
	DiffJump key.Binding

	// The search form.
	Run       key.Binding
	NextField key.Binding
	PrevField key.Binding
	// The suggestion list under the service and operation fields: these
	// win over NextField/PrevField/Back while the list is open; Run takes
	// the highlighted suggestion and searches with it.
	SuggestNext key.Binding
	SuggestPrev key.Binding
	Accept      key.Binding
	// Back leaves an input, the span detail or the trace, or cancels a
	// running request, whichever applies first.
	Back key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		ListKeys: pane.SpaceListKeys(),

		Edit:    key.NewBinding(key.WithKeys("i", "f"), key.WithHelp("i", "search form")),
		Sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open trace")),

		Collapse:    key.NewBinding(key.WithKeys("h", "left"), key.WithHelp("←/h", "collapse")),
		Expand:      key.NewBinding(key.WithKeys("l", "right"), key.WithHelp("→/l", "expand")),
		Toggle:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "fold/unfold")),
		CollapseAll: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "collapse all")),
		ExpandAll:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "expand all")),
		FoldTiny:    key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "fold tiny")),
		Detail:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "span detail")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find span")),
		Next:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:        key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		CopyTrace:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy trace id")),
		Link:        key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "copy web UI link")),
		CopySpan:    key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy span id")),
		Logs:        key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "span's logs")),
		Diff:        key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "diff")),
		DiffJump:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to span")),

		Run:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		NextField:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		PrevField:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "prev field")),
		SuggestNext: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓/ctrl+n", "next suggestion")),
		SuggestPrev: key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/ctrl+p", "prev suggestion")),
		Accept:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "take suggestion")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k KeyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		// The suggestion keys are left out: the form's own hint line and
		// the footer show them while the list is open, and one more row
		// here would push the global keys off an 80x24 overlay.
		append(k.ListKeys.Bindings(), k.Open),
		{k.Edit, k.Run, k.NextField, k.PrevField, k.Sort, k.Reverse, k.Back},
		{k.Collapse, k.Expand, k.Toggle, k.CollapseAll, k.ExpandAll, k.FoldTiny, k.Detail},
		{k.Filter, k.Next, k.Prev, k.CopyTrace, k.CopySpan, k.Logs, k.Diff},
	}
}
