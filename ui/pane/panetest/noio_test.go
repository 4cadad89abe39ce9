package panetest

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// caller is a pane whose "f" key returns a Cmd that calls its backend,
// and whose "now" key calls it in Update.
type caller struct {
	calls *atomic.Int32
	seen  []string
	views *int
}

func (c *caller) Update(msg tea.Msg) (*caller, tea.Cmd) {
	k, _ := msg.(tea.KeyMsg)
	c.seen = append(c.seen, k.String())
	switch k.String() {
	case "f":
		return c, func() tea.Msg { c.calls.Add(1); return nil }
	case "now":
		c.calls.Add(1)
	}
	return c, nil
}

func (c *caller) View() string { *c.views++; return "" }

func TestStepsAndOnlyCmdsCall(t *testing.T) {
	views := 0
	c := &caller{calls: &atomic.Int32{}, views: &views}
	cmds := Steps(c, "j", Key("f"), "k")
	if len(cmds) != 3 || cmds[1] == nil || views != 3 || len(c.seen) != 3 || c.seen[1] != "f" {
		t.Fatalf("steps: %d cmds, %d views, seen %v", len(cmds), views, c.seen)
	}
	OnlyCmdsCall(t, c.calls.Load, cmds, time.Second)

	// A call in Update, and Cmds that call nothing, both fail.
	for _, keys := range [][]any{{"f", "now"}, {"j"}} {
		c := &caller{calls: &atomic.Int32{}, views: &views}
		cmds := Steps(c, keys...)
		failed := make(chan bool, 1)
		go func() {
			r := &fatalRecorder{TB: t}
			defer func() { failed <- r.failed }()
			OnlyCmdsCall(r, c.calls.Load, cmds, time.Second)
		}()
		if !<-failed {
			t.Errorf("%v: OnlyCmdsCall passed", keys)
		}
	}
}

// fatalRecorder records a Fatal and ends its goroutine, as testing does.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

func (r *fatalRecorder) Fatal(...any) { r.failed = true; runtime.Goexit() }
