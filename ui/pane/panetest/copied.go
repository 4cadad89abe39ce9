package panetest

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// Copied presses key on m, runs the Cmd it gives and returns the text
// that Cmd put on the clipboard: it must answer one pane.CopyMsg carrying
// an OSC 52 sequence, and shown (the pane's flash, read after the key)
// must show the text. It fails t otherwise.
func Copied[M interface{ Update(tea.Msg) (M, tea.Cmd) }](t testing.TB, m M, key string, shown func() string) string {
	t.Helper()
	_, cmd := m.Update(Key(key))
	if cmd == nil {
		t.Fatalf("%s copied nothing (shown: %q)", key, shown())
	}
	c, ok := cmd().(pane.CopyMsg)
	if !ok || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") || c.Text == "" {
		t.Fatalf("%s: %#v, want a copy over OSC 52", key, c)
	}
	if !strings.Contains(shown(), c.Text) {
		t.Errorf("%s: %q does not show what was copied, %q", key, shown(), c.Text)
	}
	return c.Text
}
