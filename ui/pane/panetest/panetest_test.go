package panetest

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestCollectExpandsBatchesAndDropsLate(t *testing.T) {
	late := func() tea.Msg { time.Sleep(time.Second); return "late" }
	cmd := tea.Batch(func() tea.Msg { return "a" }, tea.Batch(func() tea.Msg { return "b" }, func() tea.Msg { return nil }), late)
	got := map[tea.Msg]bool{}
	for _, m := range Collect(cmd, 200*time.Millisecond) {
		got[m] = true
	}
	if !got["a"] || !got["b"] || got["late"] || len(got) != 2 {
		t.Errorf("Collect = %v, want a and b only", got)
	}
}

func TestRunnerDeliversLateMessagesLater(t *testing.T) {
	r := NewRunner(4)
	release := make(chan struct{})
	if msgs := r.Run(func() tea.Msg { <-release; return "fed" }, 20*time.Millisecond); len(msgs) != 0 {
		t.Fatalf("blocked Cmd gave %v", msgs)
	}
	close(release)
	if msgs := r.Run(nil, time.Second); len(msgs) != 1 || msgs[0] != "fed" {
		t.Errorf("later Run = %v, want the late message", msgs)
	}
}

func TestKeyAndClock(t *testing.T) {
	if k := Key("shift+tab"); k.Type != tea.KeyShiftTab {
		t.Errorf("Key(shift+tab) = %v", k)
	}
	if k := Key("up"); k.Type != tea.KeyUp {
		t.Errorf("Key(up) = %v", k)
	}
	if k := Key("jk"); k.Type != tea.KeyRunes || string(k.Runes) != "jk" {
		t.Errorf("Key(jk) = %v", k)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(at)
	c.Add(time.Minute)
	if !c.Now().Equal(at.Add(time.Minute)) {
		t.Errorf("clock at %v", c.Now())
	}
}

func TestGoldenDetectsDifference(t *testing.T) {
	t.Chdir(t.TempDir())
	Golden(t, "x", "one", true)
	ft := &fakeT{TB: t}
	Golden(ft, "x", "two", false)
	if !ft.failed {
		t.Error("Golden accepted a frame that differs from the file")
	}
	Golden(t, "x", "one", false)
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true }
