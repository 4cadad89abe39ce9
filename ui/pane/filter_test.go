package pane

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

func newTestFilter() Filter {
	r := lipgloss.NewRenderer(io.Discard)
	return NewFilter(r, FilterConfig{
		Placeholder: "name", Limit: 40,
		Apply:  key.NewBinding(key.WithKeys("enter")),
		Cancel: key.NewBinding(key.WithKeys("esc")),
	})
}

func typeText(t *testing.T, f *Filter, s string) {
	t.Helper()
	if ev, _ := f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}); ev != FilterTyping {
		t.Fatalf("typing %q gave event %v", s, ev)
	}
}

var (
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
)

func TestFilterEnterApplies(t *testing.T) {
	f := newTestFilter()
	if f.Editing() || f.Lines("x") != nil {
		t.Fatal("a new filter is open or shows a line")
	}
	f.Open()
	if !f.Editing() {
		t.Fatal("Open did not give the input the keyboard")
	}
	typeText(t, &f, "  PayMent ")
	if f.Value() != "" || !f.Match("anything") {
		t.Fatalf("typing applied %q before enter", f.Value())
	}
	if l := f.Lines("note"); len(l) != 1 || !strings.Contains(l[0], "PayMent") || strings.Contains(l[0], "filter:") {
		t.Fatalf("open filter's lines should be the input: %q", l)
	}
	if ev, _ := f.Update(enter); ev != FilterApplied {
		t.Fatalf("enter gave %v", ev)
	}
	if f.Editing() || f.Value() != "PayMent" {
		t.Fatalf("after enter: editing %v, value %q (want trimmed)", f.Editing(), f.Value())
	}
	if !f.Match("the payments service") || !f.Match("PAYMENT") || f.Match("pay ment") {
		t.Fatal("match is not a case-insensitive substring test")
	}
	if l := f.Lines("  (2 of 3)"); len(l) != 1 || l[0] != "filter: PayMent  (2 of 3)" {
		t.Fatalf("applied line %q", l)
	}
}

func TestFilterEscKeepsTheAppliedFilter(t *testing.T) {
	f := newTestFilter()
	f.Open()
	typeText(t, &f, "pay")
	f.Update(enter)
	f.Open()
	if !strings.Contains(f.View(), "pay") {
		t.Fatalf("reopening should edit the applied filter: %q", f.View())
	}
	typeText(t, &f, "ZZ")
	if ev, _ := f.Update(esc); ev != FilterCancelled {
		t.Fatalf("esc gave %v", ev)
	}
	if f.Editing() || f.Value() != "pay" || f.Match("zz") {
		t.Fatalf("esc: editing %v, value %q", f.Editing(), f.Value())
	}
	f.Open()
	if v := f.View(); strings.Contains(v, "ZZ") || !strings.Contains(v, "pay") {
		t.Fatalf("the abandoned edit came back: %q", v)
	}
	f.Cancel()
	f.Clear()
	if f.Value() != "" || !f.Match("x") || f.Lines("n") != nil {
		t.Fatalf("Clear left %q", f.Value())
	}
	f.Open()
	if strings.Contains(f.View(), "pay") {
		t.Fatalf("a cleared filter reopened with its old text: %q", f.View())
	}
	// Applying an empty input is no filter at all.
	f.Update(enter)
	if f.Value() != "" || f.Lines("n") != nil {
		t.Fatalf("empty apply: %q", f.Value())
	}
}

func TestFilterSanitizesHostileInput(t *testing.T) {
	f := newTestFilter()
	f.Open()
	// A bracketed paste carrying a bidi override, a tab and escapes.
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("pay\u202eevil\tx\x1b]52;c;aGk=\x07\x1b[2J")})
	f.Update(enter)
	v := f.Value()
	if v == "" || !strings.HasPrefix(v, "pay") {
		t.Fatalf("value %q lost the text", v)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == '\u202e' {
			t.Fatalf("value %q keeps %U", v, r)
		}
	}
	for _, l := range f.Lines("") {
		if strings.ContainsAny(l, "\x1b\x07\u202e\t") {
			t.Fatalf("line %q", l)
		}
	}
}

func TestFilterLimitAndWidth(t *testing.T) {
	f := newTestFilter()
	f.Open()
	typeText(t, &f, strings.Repeat("a", 100))
	f.Update(enter)
	if len(f.Value()) != 40 {
		t.Fatalf("limit not applied: %d runes", len(f.Value()))
	}
	f.SetWidth(-5)
	f.Open()
	if f.View() == "" {
		t.Fatal("a narrow input draws nothing")
	}
}
