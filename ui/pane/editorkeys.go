package pane

import "github.com/charmbracelet/bubbles/key"

// EditorKeys are the keys of a query editor with a history, for a pane's
// KeyMap to embed beside its own: Run runs what is typed, HistPrev and
// HistNext walk to older and newer queries, Back leaves the editor (and
// is the pane's back key elsewhere).
type EditorKeys struct {
	Run, HistPrev, HistNext, Back key.Binding
}

// DefaultEditorKeys are enter, ↑ or ctrl+p, ↓ or ctrl+n, and esc.
func DefaultEditorKeys() EditorKeys {
	return EditorKeys{
		Run:      Bind("enter", "run"),
		HistPrev: Bind("↑", "older query", "up", "ctrl+p"),
		HistNext: Bind("↓", "newer query", "down", "ctrl+n"),
		Back:     Bind("esc", "back"),
	}
}
