package lag

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
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
		t.Fatalf("%v (run go test ./ui/lag -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(t *testing.T, m *Model, src *fakeSource, clk *fakeClock)
	}{
		{"loading", func(t *testing.T, m *Model, _ *fakeSource, _ *fakeClock) { m.Init() }},
		{"groups", func(t *testing.T, m *Model, _ *fakeSource, _ *fakeClock) { load(m) }},
		{"expanded", func(t *testing.T, m *Model, _ *fakeSource, _ *fakeClock) {
			load(m)
			press(m, "enter", "j", "j")
		}},
		{"error_stale", func(t *testing.T, m *Model, src *fakeSource, clk *fakeClock) {
			load(m)
			clk.Add(2 * time.Minute)
			src.err = &sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"}
			for _, msg := range run(press(m, "r"), 300*time.Millisecond) {
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
