package panetest

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
)

// copier copies its text on y and says so in its flash; on n it copies
// nothing; on b it copies without saying what.
type copier struct{ text, flash string }

func (c *copier) Update(msg tea.Msg) (*copier, tea.Cmd) {
	switch msg.(tea.KeyMsg).String() {
	case "y":
		text, cmd := pane.CopyCmd(c.text)
		c.flash = "copied " + text
		return c, cmd
	case "b":
		_, cmd := pane.CopyCmd(c.text)
		c.flash = "copied"
		return c, cmd
	}
	return c, nil
}

func TestCopied(t *testing.T) {
	c := &copier{text: "https://example/x?q=1"}
	if got := Copied(t, c, "y", func() string { return c.flash }); got != c.text {
		t.Fatalf("Copied = %q, want %q", got, c.text)
	}
	for _, k := range []string{"n", "b"} {
		r := &failRecorder{}
		func() {
			defer func() { _ = recover() }() // Fatalf stops Copied
			Copied(r, c, k, func() string { return c.flash })
		}()
		if !r.failed {
			t.Errorf("%s: a key that copies nothing or does not show it passed", k)
		}
	}
}

// failRecorder notes a failure; its Fatalf panics to stop the caller.
type failRecorder struct {
	testing.TB
	failed bool
}

func (r *failRecorder) Helper()               {}
func (r *failRecorder) Errorf(string, ...any) { r.failed = true }
func (r *failRecorder) Fatalf(string, ...any) { r.failed = true; panic("fatal") }
