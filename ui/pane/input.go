package pane

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
)

// InputStyle is how a pane's text input looks.
type InputStyle struct {
	Prompt, Text, Placeholder lipgloss.Style
}

// NewInput builds a pane's text input. Every style comes from the
// session's renderer (the bubbles defaults use the global one); the
// cursor does not blink, so frames are stable and no blink Cmd runs; and
// ctrl+v is off, because it reads the clipboard of the machine reltui
// runs on, which under `reltui serve` is not the user's (the terminal's
// own bracketed paste still works).
func NewInput(r *lipgloss.Renderer, s InputStyle, prompt, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Placeholder = placeholder
	ti.PromptStyle = s.Prompt
	ti.TextStyle = s.Text
	ti.PlaceholderStyle = s.Placeholder
	ti.CompletionStyle = s.Placeholder
	ti.Cursor.Style = r.NewStyle()
	ti.Cursor.TextStyle = r.NewStyle()
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = limit
	ti.KeyMap.Paste.SetEnabled(false)
	return ti
}
