package logs_test

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/logs"
	"github.com/reltui/reltui/ui/pane"
)

// ExampleNew shows how the root builds and wires the pane: like every
// pane, through the pane contract alone.
func ExampleNew() {
	client, err := loki.New(loki.Config{Address: "http://127.0.0.1:3100"})
	if err != nil {
		return
	}
	lp := logs.New(logs.Config{
		Basics:  pane.Basics{ID: "logs-1", Renderer: lipgloss.DefaultRenderer()}, // the session's renderer
		Source:  client,
		Palette: themes.Dark(),
		Query:   `{service_name=~".+"}`,
	})
	defer lp.Close()
	now := time.Now()
	lp.SetRange(now.Add(-time.Hour), now, true)
	_ = lp.Init() // runs the query: hand the Cmd to the runtime

	// In the root's Update: every pane.Routed message with the pane's ID
	// (its requests' answers, its tail, its timers) goes to the Logs pane
	// even when another pane is showing; a range change is a
	// pane.RangeMsg; a pane.CopyMsg is written to the terminal.
	route := func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		switch msg := msg.(type) {
		case pane.CopyMsg:
			_ = msg.Sequence // write to the session's output
		case pane.Routed:
			if msg.PaneID() == lp.ID() {
				lp, cmd = lp.Update(msg)
			}
		}
		return cmd
	}
	_ = route
}
