package pane

import "github.com/charmbracelet/bubbles/key"

// ShortHelp is the footer of a pane with this filter: the filter's apply
// and cancel keys while it is being edited, else short (the pane's own).
func (f *Filter) ShortHelp(short []key.Binding) []key.Binding {
	if f.editing {
		return []key.Binding{f.cfg.Apply, f.cfg.Cancel}
	}
	return short
}
