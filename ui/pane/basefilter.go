package pane

import "github.com/charmbracelet/bubbles/key"

// FilterConfig is the configuration of a list pane's `/` filter drawn with
// the base styles: the prompt in Prompt, the text plain, the hint and the
// applied filter's note muted, its label subtle, at most 256 runes.
// placeholder is the input's hint; apply and cancel come from the pane's
// keymap.
func (s BaseStyles) FilterConfig(placeholder string, apply, cancel key.Binding) FilterConfig {
	return FilterConfig{
		Input:       InputStyle{Prompt: s.Prompt, Text: s.Plain, Placeholder: s.Muted},
		Placeholder: placeholder, Limit: 256,
		Apply: apply, Cancel: cancel, Label: s.Subtle, Note: s.Muted,
	}
}
