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

		Edit:    pane.Bind("i", "search form", "i", "f"),
		Sort:    pane.Bind("s", "sort column"),
		Reverse: pane.Bind("S", "reverse sort"),
		Open:    pane.Bind("enter", "open trace"),

		Collapse:    pane.Bind("←/h", "collapse", "h", "left"),
		Expand:      pane.Bind("→/l", "expand", "l", "right"),
		Toggle:      pane.Bind("x", "fold/unfold"),
		CollapseAll: pane.Bind("C", "collapse all"),
		ExpandAll:   pane.Bind("E", "expand all"),
		FoldTiny:    pane.Bind("z", "fold tiny"),
		Detail:      pane.Bind("enter", "span detail"),
		Filter:      pane.Bind("/", "find span"),
		Next:        pane.Bind("n", "next match"),
		Prev:        pane.Bind("N", "prev match"),
		CopyTrace:   pane.Bind("y", "copy trace id"),
		Link:        pane.Bind("U", "copy web UI link"),
		CopySpan:    pane.Bind("Y", "copy span id"),
		Logs:        pane.Bind("L", "span's logs"),
		Diff:        pane.Bind("D", "diff"),
		DiffJump:    pane.Bind("enter", "go to span"),

		Run:         pane.Bind("enter", "search"),
		NextField:   pane.Bind("tab", "next field", "tab", "down"),
		PrevField:   pane.Bind("shift+tab", "prev field", "shift+tab", "up"),
		SuggestNext: pane.Bind("↓/ctrl+n", "next suggestion", "down", "ctrl+n"),
		SuggestPrev: pane.Bind("↑/ctrl+p", "prev suggestion", "up", "ctrl+p"),
		Accept:      pane.Bind("tab", "take suggestion"),
		Back:        pane.Bind("esc", "back"),
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
