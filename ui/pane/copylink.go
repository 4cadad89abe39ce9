package pane

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/links"
)

// CopyLink is what U does in a pane that links out, given what a
// links.Targets method returned: with ok, the Cmd copying l's URL (OSC 52)
// and the flash naming where it opens with the URL itself; without, no Cmd
// and the flash none, which says what to configure.
func CopyLink(l links.Link, ok bool, none string) (flash string, cmd tea.Cmd) {
	if !ok {
		return none, nil
	}
	text, cmd := CopyCmd(l.URL)
	if cmd == nil {
		return none, nil
	}
	return "copied link to " + l.Where + ": " + text, cmd
}
