package pane

import (
	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/sanitize"
)

// CopyTextCmd is CopyCmd for text that may span lines (a whole log line,
// an event's snapshot): it is sanitized keeping its newlines and tabs,
// then returned with the Cmd that asks the root to put it on the
// clipboard. Both are empty when nothing is left to copy.
func CopyTextCmd(text string) (string, tea.Cmd) {
	return copyCmd(sanitize.Text(text))
}

// copyCmd is the Cmd sending CopyMsg for text, already sanitized; none
// for empty text.
func copyCmd(text string) (string, tea.Cmd) {
	if text == "" {
		return "", nil
	}
	msg := CopyMsg{Text: text, Sequence: osc52.New(text).String()}
	return text, func() tea.Msg { return msg }
}
