package incidents

import (
	"errors"
	"fmt"
	"github.com/reltui/reltui/ui/pane/panetest"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(f *fixture)
	}{
		{"list", func(f *fixture) {}},
		{"filtering", func(f *fixture) { panetest.Press(f.m, "/", "Pay") }},
		{"filtered", func(f *fixture) { panetest.Press(f.m, "/", "CHECKOUT", "enter") }},
		{"incident", func(f *fixture) { settle(f, panetest.Press(f.m, "enter")) }},
		{"milestone_error", func(f *fixture) {
			settle(f, panetest.Press(f.m, "enter"))
			panetest.Press(f.m, "m", "ctrl+u", "mitigated", "tab", "10:05")
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{"declare_form", func(f *fixture) { panetest.Press(f.m, "d", "Checkout 502s", "tab", "sev2") }},
		{"resolved", func(f *fixture) { settle(f, panetest.Press(f.m, "G", "enter")) }},
		{"changes", func(f *fixture) {
			f.m.lister = &fakeLister{changes: demoChanges()}
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{"changes_partial", func(f *fixture) {
			f.m.lister = &fakeLister{changes: demoChanges()[:1], err: errors.New("changes config-reloads: prometheus: 503 Service Unavailable")}
			settle(f, panetest.Press(f.m, "enter"))
		}},
	}
	for _, sc := range scenes {
		for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
			for _, pr := range []struct {
				name string
				p    termenv.Profile
			}{{"nocolor", termenv.Ascii}, {"256", termenv.ANSI256}} {
				name := fmt.Sprintf("%s_%dx%d_%s", sc.name, sz.w, sz.h, pr.name)
				t.Run(name, func(t *testing.T) {
					f := newFixture(t, "", pr.p, sz.w, sz.h)
					populate(t, f)
					settle(f, f.m.reload())
					sc.run(f)
					v := f.m.View()
					lines := strings.Split(v, "\n")
					if len(lines) > sz.h {
						t.Errorf("%d lines in a %d-line pane", len(lines), sz.h)
					}
					for i, l := range lines {
						if w := lipgloss.Width(l); w > sz.w {
							t.Errorf("line %d is %d wide (pane %d): %q", i, w, sz.w, l)
						}
					}
					if pr.p == termenv.Ascii && strings.ContainsRune(v, 0x1b) {
						t.Errorf("NO_COLOR frame holds an escape:\n%q", v)
					}
					checkGolden(t, name, v)
				})
			}
		}
	}
}
