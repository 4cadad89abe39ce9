package pane

import (
	"io"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/themes"
)

func TestFilterShortHelp(t *testing.T) {
	apply, cancel, other := Bind("enter", "apply"), Bind("esc", "cancel"), Bind("r", "refresh")
	f := NewFilter(lipgloss.DefaultRenderer(), FilterConfig{Apply: apply, Cancel: cancel})
	help := func(bs []key.Binding) (out []string) {
		for _, b := range bs {
			out = append(out, b.Help().Key)
		}
		return out
	}
	if got := help(f.ShortHelp([]key.Binding{other})); len(got) != 1 || got[0] != "r" {
		t.Errorf("closed: %v", got)
	}
	f.Open()
	if got := help(f.ShortHelp([]key.Binding{other})); len(got) != 2 || got[0] != "enter" || got[1] != "esc" {
		t.Errorf("editing: %v", got)
	}
}

func TestBaseStylesFilterConfig(t *testing.T) {
	s := NewBaseStyles(lipgloss.NewRenderer(io.Discard), themes.Dark())
	apply, cancel := Bind("enter", "apply"), Bind("esc", "clear")
	c := s.FilterConfig("name", apply, cancel)
	if c.Placeholder != "name" || c.Limit != 256 {
		t.Errorf("placeholder %q limit %d", c.Placeholder, c.Limit)
	}
	if c.Apply.Help() != apply.Help() || c.Cancel.Help() != cancel.Help() {
		t.Errorf("keys %v %v", c.Apply.Help(), c.Cancel.Help())
	}
	for _, p := range []struct {
		what      string
		got, want lipgloss.Style
	}{
		{"prompt", c.Input.Prompt, s.Prompt}, {"text", c.Input.Text, s.Plain}, {"hint", c.Input.Placeholder, s.Muted},
		{"label", c.Label, s.Subtle}, {"note", c.Note, s.Muted},
	} {
		if p.got.Render("x") != p.want.Render("x") || p.got.GetForeground() != p.want.GetForeground() {
			t.Errorf("%s style differs", p.what)
		}
	}
}
