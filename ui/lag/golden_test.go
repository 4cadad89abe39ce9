package lag

import (
	"fmt"
	"github.com/reltui/reltui/ui/pane/panetest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

func checkGolden(t *testing.T, name, got string) { panetest.Golden(t, name, got, update()) }

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock)
	}{
		{"loading", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) { m.Init() }},
		{"groups", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) { load(m) }},
		{"expanded", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			press(m, "enter", "j", "j")
		}},
		{"filtering", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			press(m, "/", "Pay")
		}},
		{"filtered", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			press(m, "/", "Pay", "enter", "enter")
		}},
		{"error_stale", func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock) {
			load(m)
			clk.Add(2 * time.Minute)
			src.err = &sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"}
			for _, msg := range panetest.Collect(press(m, "r"), 300*time.Millisecond) {
				if r, ok := msg.(resultMsg); ok {
					m.Update(r)
				}
			}
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
					src := &fakeSource{parts: sample()}
					m, clk := newTestModel(t, pr.p, src, sz.w, sz.h)
					sc.run(t, m, src, clk)
					v := m.View()
					lines := strings.Split(v, "\n")
					if len(lines) > sz.h {
						t.Errorf("%d lines in a %d-line pane", len(lines), sz.h)
					}
					for i, l := range lines {
						if lipgloss.Width(l) > sz.w {
							t.Errorf("line %d is %d wide: %q", i, lipgloss.Width(l), l)
						}
					}
					if pr.p == termenv.Ascii && strings.ContainsRune(v, 0x1b) {
						t.Errorf("NO_COLOR frame has an escape sequence")
					}
					checkGolden(t, name, v)
				})
			}
		}
	}
}
