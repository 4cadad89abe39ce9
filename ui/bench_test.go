package ui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/ui/pane/panetest"
)

// BenchmarkStartToFirstFrame measures building a session's model, its Init
// and the first full frame at 200x50: what a user waits for between
// pressing enter and seeing the console (backend answers come later).
func BenchmarkStartToFirstFrame(b *testing.B) {
	ping := func(context.Context) error { return nil }
	backends := []Backend{{Name: "loki", Ping: ping}, {Name: "prometheus", Ping: ping}, {Name: "alertmanager", Ping: ping}, {Name: "jaeger", Ping: ping}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, pal := panetest.Renderer(termenv.ANSI256)
		m := New(Deps{Context: "dev", Backends: backends, Palette: pal, Renderer: r, Now: time.Now})
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
		m.Close()
	}
}

// BenchmarkShellFrame is one steady-state frame of the shell at 200x50.
func BenchmarkShellFrame(b *testing.B) {
	ping := func(context.Context) error { return nil }
	r, pal := panetest.Renderer(termenv.ANSI256)
	m := New(Deps{Context: "dev", Backends: []Backend{{Name: "loki", Ping: ping}}, Palette: pal, Renderer: r, Now: time.Now})
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}
