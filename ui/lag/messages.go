package lag

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Source is where the pane reads lag: lag.PromSource or a lag.KafkaSource.
type Source = lag.Source

type resultMsg struct {
	pane     string
	seq      int
	at       time.Time
	parts    []lag.Partition
	warnings []string
	err      error
}

type tickMsg struct {
	pane string
	gen  int
}

// PaneID implements pane.Routed.
func (m resultMsg) PaneID() string { return m.pane }

// PaneID implements pane.Routed.
func (m tickMsg) PaneID() string { return m.pane }

func fetchCmd(ctx context.Context, src Source, pane string, seq int, from, at time.Time, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		parts, warnings, err := src.Partitions(ctx, "", from, at)
		for i := range warnings {
			warnings[i] = sanitize.Line(warnings[i])
		}
		return resultMsg{pane: pane, seq: seq, at: at, parts: parts, warnings: warnings, err: err}
	}
}

func tickCmd(ctx context.Context, id string, gen int, every time.Duration) tea.Cmd {
	return pane.Tick(ctx, every, func(time.Time) tea.Msg { return tickMsg{pane: id, gen: gen} })
}
