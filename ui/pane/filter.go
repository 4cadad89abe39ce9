package pane

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources/sanitize"
)

// FilterConfig is what differs between the panes' `/` text filters.
type FilterConfig struct {
	// Input is how the input looks; Placeholder and Limit are its hint
	// and its length limit in runes.
	Input       InputStyle
	Placeholder string
	Limit       int
	// Apply applies what was typed (enter); Cancel abandons the edit and
	// keeps the filter applied before (esc). They come from the pane's
	// keymap.
	Apply, Cancel key.Binding
	// Label and Note style the applied filter's line (see Lines).
	Label, Note lipgloss.Style
}

// FilterEvent is what a key did to a Filter being edited.
type FilterEvent int

// The filter events.
const (
	// FilterTyping: the key went to the input; the applied filter is as
	// it was.
	FilterTyping FilterEvent = iota
	// FilterApplied: the edit ended and Value is what was typed; the pane
	// re-filters.
	FilterApplied
	// FilterCancelled: the edit ended and Value is unchanged.
	FilterCancelled
)

// Filter is a pane's `/` text filter: a one-line input that has the
// keyboard while it is open (Editing), and the text applied by enter,
// sanitized and trimmed, which Match tests case-insensitively. Build it
// with NewFilter.
type Filter struct {
	cfg     FilterConfig
	input   textinput.Model
	editing bool
	value   string
	lower   string
}

// NewFilter builds a closed filter with nothing applied; its prompt is
// "/".
func NewFilter(r *lipgloss.Renderer, c FilterConfig) Filter {
	return Filter{cfg: c, input: NewInput(r, c.Input, "/", c.Placeholder, c.Limit)}
}

// Open gives the input the keyboard, holding the applied filter to edit.
func (f *Filter) Open() tea.Cmd {
	f.editing = true
	f.input.SetValue(f.value)
	f.input.CursorEnd()
	return f.input.Focus()
}

// Update takes a key while the filter is open: Apply applies the input,
// Cancel closes it keeping the filter applied before, anything else is
// text for the input.
func (f *Filter) Update(msg tea.KeyMsg) (FilterEvent, tea.Cmd) {
	switch {
	case key.Matches(msg, f.cfg.Apply):
		f.close()
		f.set(strings.TrimSpace(sanitize.Line(f.input.Value())))
		return FilterApplied, nil
	case key.Matches(msg, f.cfg.Cancel):
		f.Cancel()
		return FilterCancelled, nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return FilterTyping, cmd
}

// Cancel closes the input without applying it.
func (f *Filter) Cancel() {
	f.close()
	f.input.SetValue(f.value)
}

// Clear removes the applied filter.
func (f *Filter) Clear() {
	f.set("")
	f.input.SetValue("")
}

// Editing reports whether the input has the keyboard.
func (f *Filter) Editing() bool { return f.editing }

// Value is the applied filter, sanitized and trimmed; "" when none.
func (f *Filter) Value() string { return f.value }

// Match reports whether text contains the applied filter, ignoring case;
// everything matches no filter.
func (f *Filter) Match(text string) bool {
	return f.lower == "" || strings.Contains(strings.ToLower(text), f.lower)
}

// SetWidth sets the input's width in cells.
func (f *Filter) SetWidth(w int) { f.input.Width = max(1, w) }

// View is the input.
func (f *Filter) View() string { return f.input.View() }

// Lines are the filter's lines on a pane: the input while it is open,
// else the applied filter followed by note (e.g. how many rows pass),
// else none.
func (f *Filter) Lines(note string) []string {
	switch {
	case f.editing:
		return []string{f.input.View()}
	case f.value != "":
		return []string{f.cfg.Label.Render("filter: ") + f.value + f.cfg.Note.Render(note)}
	}
	return nil
}

func (f *Filter) close() {
	f.editing = false
	f.input.Blur()
}

func (f *Filter) set(v string) {
	f.value, f.lower = v, strings.ToLower(v)
}
