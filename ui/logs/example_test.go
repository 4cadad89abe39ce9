package logs_test

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/logs"
	"github.com/reltui/reltui/ui/pane"
)

// logsPane adapts *logs.Model to ui.Pane: the pane's Update returns its
// concrete type, the root's interface wants a Pane. This is the whole
// adapter the root needs; it lives here to prove it compiles.
type logsPane struct{ *logs.Model }

func (p logsPane) Update(msg tea.Msg) (ui.Pane, tea.Cmd) {
	m, cmd := p.Model.Update(msg)
	return logsPane{m}, cmd
}

var _ ui.Pane = logsPane{}

// ExampleNew shows how the root builds and wires the pane.
func ExampleNew() {
	client, err := loki.New(loki.Config{Address: "http://127.0.0.1:3100"})
	if err != nil {
		return
	}
	lp := logs.New(logs.Config{
		Source:   client,
		Renderer: lipgloss.DefaultRenderer(), // the session's renderer
		Palette:  themes.Dark(),
		Query:    `{service_name=~".+"}`,
	})
	defer lp.Close()
	now := time.Now()
	lp.SetRange(now.Add(-time.Hour), now, true)
	var p ui.Pane = logsPane{lp}
	_ = p.Init() // runs the query: hand the Cmd to the runtime

	// In the root's Update: logs.Msg values, and pane.Routed ones with the
	// pane's ID (its requests' answers), go to the Logs pane even when
	// another pane is showing; a pane.CopyMsg is written to the terminal.
	route := func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		switch msg := msg.(type) {
		case pane.CopyMsg:
			_ = msg.Sequence // write to the session's output
		case logs.Msg:
			p, cmd = p.Update(msg)
		case pane.Routed:
			if msg.PaneID() == lp.ID() {
				p, cmd = p.Update(msg)
			}
		}
		return cmd
	}
	_ = route
}
