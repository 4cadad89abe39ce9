package logs_test

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/logs"
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
	pane := logs.New(logs.Config{
		Source:   client,
		Renderer: lipgloss.DefaultRenderer(), // the session's renderer
		Palette:  themes.Dark(),
		Query:    `{service_name=~".+"}`,
	})
	defer pane.Close()
	now := time.Now()
	pane.SetRange(now.Add(-time.Hour), now, true)
	var p ui.Pane = logsPane{pane}
	_ = p.Init() // runs the query: hand the Cmd to the runtime

	// In the root's Update: logs.Msg values go to the Logs pane even when
	// another pane is showing; logs.CopyMsg is written to the terminal.
	route := func(msg tea.Msg) tea.Cmd {
		switch msg := msg.(type) {
		case logs.CopyMsg:
			_ = msg.Sequence // write to the session's output
			return nil
		case logs.Msg:
			var cmd tea.Cmd
			p, cmd = p.Update(msg)
			return cmd
		}
		return nil
	}
	_ = route
}
