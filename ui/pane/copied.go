package pane

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// Copied is what a pane says after a copy, given what CopyCmd or
// CopyTextCmd returned: with nothing left to copy (no Cmd), the flash
// none and no Cmd; else the flash done, whose %d is the number of bytes
// copied, and the Cmd.
func Copied(text string, cmd tea.Cmd, none, done string) (flash string, copy tea.Cmd) {
	if cmd == nil {
		return none, nil
	}
	return fmt.Sprintf(done, len(text)), cmd
}
