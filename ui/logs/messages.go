package logs

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// answer is a query's answer: its lines, prepared (sanitized, levelled,
// oldest first) by the Cmd off the UI goroutine, or, for a metric query,
// its chart.
type answer struct {
	q        sources.LogQuery
	rows     []row
	metric   bool // plot holds the answer, not rows
	plot     plot
	warnings []string
}

// resultMsg is a query's answer, to the pane's query request.
type resultMsg = pane.Result[answer]

// tailStartedMsg hands the pane the tail its Cmd opened.
type tailStartedMsg struct {
	run    pane.Stamp
	tailer sources.LogTail
}

// tailBatchMsg carries one or more batches read from the tail.
type tailBatchMsg struct {
	run  pane.Stamp
	rows []row
}

// tailEndMsg says the tail's channel closed, and why; it ends the tail
// request's run.
type tailEndMsg = pane.Result[sources.TailStatus]

// tailTickMsg refreshes the tail's connection state and the rate once a
// second, also while no lines arrive.
type tailTickMsg struct {
	run    pane.Stamp
	status sources.TailStatus
}

// Every message the pane sends itself is pane.Routed: the root hands it
// to this pane by ID even while another pane is showing, so a query or a
// tail finishing in the background is not lost.

// PaneID implements pane.Routed.
func (m tailStartedMsg) PaneID() string { return m.run.Pane }

// PaneID implements pane.Routed.
func (m tailBatchMsg) PaneID() string { return m.run.Pane }

// PaneID implements pane.Routed.
func (m tailTickMsg) PaneID() string { return m.run.Pane }

// query runs one log query. It captures everything by value and touches
// no model state; rows are prepared here so Update only swaps them in.
func query(src Source, q sources.LogQuery) func(context.Context) (answer, error) {
	return func(ctx context.Context) (answer, error) {
		res, err := src.QueryRange(ctx, q)
		a := answer{q: q}
		if err != nil {
			return a, err
		}
		a.rows = buildRows(res.Entries, q.Direction == sources.Backward)
		for _, w := range res.Warnings {
			a.warnings = append(a.warnings, sanitize.Line(w))
		}
		return a, nil
	}
}

// tailOpenCmd opens the tail. Opening dials in the background, so it is a
// Cmd like any other I/O.
func tailOpenCmd(ctx context.Context, src Source, run pane.Stamp, expr string, start time.Time) tea.Cmd {
	return func() tea.Msg {
		return tailStartedMsg{run: run, tailer: src.Tail(ctx, expr, start)}
	}
}

// maxTailDrain bounds how many entries one tailBatchMsg carries, so a burst
// is drawn in a few frames instead of one per websocket frame, and one
// message never holds the UI for long.
const maxTailDrain = 20000

// tailReadCmd reads the next batch, then drains whatever else is already
// waiting. Update re-issues it after every batch: a stream is a Cmd that
// re-issues itself.
func tailReadCmd(ctx context.Context, t sources.LogTail, run pane.Stamp) tea.Cmd {
	return func() tea.Msg {
		var batch []row
		select {
		case es, ok := <-t.C():
			if !ok {
				<-t.Done()
				return pane.NewResult(run, t.Status(), t.Err())
			}
			batch = buildRows(es, false)
		case <-ctx.Done():
			return pane.NewResult(run, sources.TailStatus{}, nil)
		}
		for len(batch) < maxTailDrain {
			select {
			case es, ok := <-t.C():
				if !ok {
					// Deliver what we have; the next read reports the end.
					return tailBatchMsg{run: run, rows: batch}
				}
				batch = append(batch, buildRows(es, false)...)
				continue
			default:
			}
			break
		}
		return tailBatchMsg{run: run, rows: batch}
	}
}

// tailTickInterval is how often the tail's state and rate are refreshed.
const tailTickInterval = time.Second

// tailTickCmd is cancelled with the tail's run (ctx), so a stopped tail
// leaves no timer behind.
func tailTickCmd(ctx context.Context, t sources.LogTail, run pane.Stamp) tea.Cmd {
	return pane.Tick(ctx, tailTickInterval, func(time.Time) tea.Msg {
		return tailTickMsg{run: run, status: t.Status()}
	})
}
