package slos

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestHostileSpecTextNeverReachesTheTerminal: SLO names, services,
// descriptions and labels come from spec files, errors from Prometheus or
// the spec parser; every frame stays clean and fits.
func TestHostileSpecTextNeverReachesTheTerminal(t *testing.T) {
	var specs []slo.SLO
	for _, s := range testSLOs() {
		for _, h := range panetest.Hostile()[:3] {
			s.Name, s.Description, s.Labels = s.Name+" "+h, "d "+h, map[string]string{"l " + h: h}
			specs = append(specs, s)
		}
	}
	for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		for _, sz := range [][2]int{{80, 24}, {200, 50}} {
			what := func(s string) string { return fmt.Sprint(prof, sz, s) }
			src := burning()
			m := New(Config{Renderer: renderer(prof), Palette: themes.Dark(), Now: panetest.NewClock(fixedNow).Now, SLOs: specs, Source: src})
			m.SetSize(sz[0], sz[1])
			t.Cleanup(m.Close)
			settle(m, m.Init())
			panetest.CheckFrame(t, what("list"), m.View(), sz[0])
			settle(m, press(m, "enter"))
			panetest.CheckFrame(t, what("detail"), m.View(), sz[0])
			press(m, "esc")
			src.mu.Lock()
			src.err = errors.New(panetest.HostileLine())
			src.mu.Unlock()
			settle(m, m.refresh())
			panetest.CheckFrame(t, what("error"), m.View(), sz[0])

			bad := New(Config{Renderer: renderer(prof), Palette: themes.Dark(), SpecErr: errors.New(panetest.HostileLine()), Source: src})
			bad.SetSize(sz[0], sz[1])
			panetest.CheckFrame(t, what("spec error"), bad.View(), sz[0])
		}
	}
}

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}
