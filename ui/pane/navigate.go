package pane

import tea "github.com/charmbracelet/bubbletea"

// Navigate moves a list's cursor with a motion key and keeps it in view:
// sel is the cursor and top the first row shown, of n rows shown h at a
// time (ClampScroll). It reports whether msg was a motion key; when it
// was not, nothing changes.
func (k ListKeys) Navigate(msg tea.KeyMsg, sel, top *int, n, h int) bool {
	s, ok := k.Move(msg, *sel, n, h)
	if ok {
		*sel, *top = ClampScroll(s, *top, n, h)
	}
	return ok
}

// ScrollLines scrolls a view with no cursor (a document, a table read
// whole) with a motion key: top is the first of n lines shown h at a
// time, kept so the view never scrolls past either end. It reports
// whether msg was a motion key.
func (k ListKeys) ScrollLines(msg tea.KeyMsg, top *int, n, h int) bool {
	t, ok := k.Move(msg, *top, n, h)
	if ok {
		_, *top = ClampScroll(t, t, n, h)
	}
	return ok
}
