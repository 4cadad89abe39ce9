package traces

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
	"github.com/reltui/reltui/themes"
)

// update is -update. The integration build may import teatest, whose
// golden package defines the same flag; then that one is used.
var update = boolFlag("update", "rewrite the golden files under testdata")

func boolFlag(name, usage string) func() bool {
	if f := flag.Lookup(name); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	p := flag.Bool(name, false, usage)
	return func() bool { return *p }
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update() {
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
		t.Fatalf("%v (run go test ./ui/traces -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("view has %d lines, pane is %d high", len(lines), h)
	}
	for i, l := range lines {
		if got := lipgloss.Width(l); got > w {
			t.Errorf("line %d is %d wide, pane is %d: %q", i, got, w, l)
		}
	}
}

func TestGoldenViews(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {200, 50}}
	profiles := []struct {
		name string
		p    termenv.Profile
		pal  themes.Palette
	}{{"nocolor", termenv.Ascii, themes.NoColor()}, {"256", termenv.ANSI256, themes.Dark()}}
	scenes := []struct {
		name string
		run  func(m *Model, src *fakeSource, clk *fakeClock)
	}{
		{"empty", func(*Model, *fakeSource, *fakeClock) {}},
		{"form", func(m *Model, _ *fakeSource, _ *fakeClock) {
			press(m, "i", "payments", "tab", "tab", "http.status_code=500", "tab", "1s")
		}},
		{"results", func(m *Model, _ *fakeSource, _ *fakeClock) {
			search(m, "frontend")
			press(m, "s", "j")
		}},
		{"trace", func(m *Model, _ *fakeSource, _ *fakeClock) {
			search(m, "frontend")
			press(m, "s")
			settle(m, press(m, "enter"))
			press(m, "j", "j", "j")
		}},
		{"trace_error_filter", func(m *Model, _ *fakeSource, _ *fakeClock) {
			search(m, "frontend")
			settle(m, press(m, "enter"))
			press(m, "/", "payments", "enter", "n")
		}},
		{"detail", func(m *Model, _ *fakeSource, _ *fakeClock) {
			search(m, "frontend")
			settle(m, press(m, "enter"))
			press(m, "/", "authorize", "enter", "enter")
		}},
		{"truncated", func(m *Model, src *fakeSource, _ *fakeClock) {
			big := bigTrace(300)
			big.Warnings = []string{"trace has more than 250 spans; showing the first 250"}
			src.traces[big.TraceID] = big
			settle(m, m.Pivot(paneTrace(big.TraceID)))
			press(m, "G")
		}},
		{"error_stale", func(m *Model, src *fakeSource, clk *fakeClock) {
			search(m, "frontend")
			clk.Add(3*time.Minute + 10*time.Second)
			src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 60s"})
			settle(m, press(m, "i", "enter"))
		}},
	}
	for _, sc := range scenes {
		for _, sz := range sizes {
			for _, pr := range profiles {
				name := fmt.Sprintf("%s_%dx%d_%s", sc.name, sz.w, sz.h, pr.name)
				t.Run(name, func(t *testing.T) {
					src := shopSource()
					m, clk := newTestModel(t, pr.p, pr.pal, src, sz.w, sz.h)
					sc.run(m, src, clk)
					v := m.View()
					checkSize(t, v, sz.w, sz.h)
					if pr.p == termenv.Ascii && strings.ContainsRune(v, 0x1b) {
						t.Errorf("ASCII frame contains ESC:\n%q", v)
					}
					checkGolden(t, name, v)
				})
			}
		}
	}
}
