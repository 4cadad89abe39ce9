// Package panetest holds what the panes' tests share: a settable clock,
// key messages by name, a runner that executes a Cmd tree the way the
// Bubble Tea runtime does, and golden-file comparison. Only tests import
// it.
package panetest

import (
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Clock is a pinned clock tests move by hand; Now is safe from any
// goroutine.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var keyTypes = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "ctrl+u": tea.KeyCtrlU,
}

// Key is the key message for a key name ("enter", "esc", "tab",
// "shift+tab", "up", "down", "left", "right", "pgup", "pgdown", "ctrl+u");
// any other string is typed as runes.
func Key(s string) tea.KeyMsg {
	if t, ok := keyTypes[s]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// Runner executes Cmd trees as the runtime does: every Cmd in its own
// goroutine, batches expanded, nil messages dropped. A Cmd still blocked
// when Run returns delivers later into the same runner, so a later Run
// sees it, as the runtime would.
type Runner struct{ out chan tea.Msg }

// NewRunner is a runner that buffers up to buf undelivered messages.
func NewRunner(buf int) *Runner { return &Runner{out: make(chan tea.Msg, buf)} }

// Run starts cmd and returns the messages that arrive within wait.
func (r *Runner) Run(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	var exec func(c tea.Cmd)
	exec = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					exec(c)
				}
				return
			}
			if msg != nil {
				r.out <- msg
			}
		}()
	}
	exec(cmd)
	var msgs []tea.Msg
	deadline := time.After(wait)
	for {
		select {
		case msg := <-r.out:
			msgs = append(msgs, msg)
		case <-deadline:
			return msgs
		}
	}
}

// Collect runs cmd on a fresh runner and returns the messages that arrive
// within wait; ticks due later are left out.
func Collect(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	return NewRunner(64).Run(cmd, wait)
}

// BoolFlag defines the boolean test flag name, or reuses it when another
// imported package (teatest's golden package defines -update) already did.
func BoolFlag(name, usage string) func() bool {
	if f := flag.Lookup(name); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	p := flag.Bool(name, false, usage)
	return func() bool { return *p }
}

// Golden compares got with testdata/<name>.golden, or rewrites that file
// when update is set.
func Golden(t testing.TB, name, got string, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run this package's tests with -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// Press sends the named keys (see Key) to m one after another and returns
// the Cmds they gave, batched.
func Press[M interface{ Update(tea.Msg) (M, tea.Cmd) }](m M, keys ...string) tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		_, c := m.Update(Key(k))
		cmds = append(cmds, c)
	}
	return tea.Batch(cmds...)
}
