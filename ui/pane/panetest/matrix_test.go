package panetest

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

func TestShotsCoverBothSizesAndProfiles(t *testing.T) {
	var names []string
	for _, s := range Shots() {
		names = append(names, s.Name("x"))
		r, pal := s.Renderer()
		if r.ColorProfile() != s.Profile {
			t.Errorf("%s: renderer profile %v, want %v", s.Name("x"), r.ColorProfile(), s.Profile)
		}
		if (s.Profile == termenv.Ascii) != (pal.Name == "no-color") {
			t.Errorf("%s: palette %q for profile %v", s.Name("x"), pal.Name, s.Profile)
		}
	}
	want := []string{"x_80x24_nocolor", "x_80x24_256", "x_200x50_nocolor", "x_200x50_256"}
	if len(names) != len(want) {
		t.Fatalf("shots %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("shot %d is %s, want %s", i, names[i], want[i])
		}
	}
}

type counter struct{ got []tea.Msg }

func (c *counter) Update(msg tea.Msg) (*counter, tea.Cmd) {
	c.got = append(c.got, msg)
	return c, nil
}

func TestFeedHandsKeptMessagesToUpdate(t *testing.T) {
	cmd := tea.Batch(func() tea.Msg { return 1 }, func() tea.Msg { return "drop" }, func() tea.Msg { return 2 })
	c := Feed(&counter{}, cmd, time.Second, func(m tea.Msg) bool { _, ok := m.(int); return ok })
	if len(c.got) != 2 {
		t.Fatalf("fed %v, want the two ints", c.got)
	}
}
