package logs

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// Msg is implemented by every message the pane sends itself from its Cmds.
// The root routes any Msg to the Logs pane even while another pane is
// showing, so that a query or a tail finishing in the background is not lost.
// The spinner's ticks are pane.SpinMsgs, routed by the pane's ID.
type Msg interface{ logsMsg() }

// CopyMsg asks the root to put Text on the clipboard. Sequence is the
// OSC 52 escape that does it (plain form, no tmux/screen wrapping); the root
// writes it to its own output, the only place that knows where the terminal
// is (a local tty or an SSH session). Text is sanitized: pasting it later
// cannot replay control sequences from the log line.
type CopyMsg struct {
	Text     string
	Sequence string
}

// RangeMsg tells the pane the console's time range changed. Unlike
// SetRange, it also re-runs the current query over the new range.
type RangeMsg struct {
	From, To time.Time
	Live     bool
}

// resultMsg is a query's answer. rows are already prepared (sanitized,
// levelled, oldest first) by the Cmd, off the UI goroutine.
type resultMsg struct {
	pane     string
	seq      int
	q        sources.LogQuery
	rows     []row
	warnings []string
	err      error
}

// tailStartedMsg hands the pane the tail its Cmd opened.
type tailStartedMsg struct {
	pane   string
	seq    int
	tailer sources.LogTail
}

// tailBatchMsg carries one or more batches read from the tail.
type tailBatchMsg struct {
	pane string
	seq  int
	rows []row
}

// tailEndMsg says the tail's channel closed, and why.
type tailEndMsg struct {
	pane   string
	seq    int
	err    error
	status sources.TailStatus
}

// tailTickMsg refreshes the tail's connection state and the rate once a
// second, also while no lines arrive.
type tailTickMsg struct {
	pane   string
	seq    int
	status sources.TailStatus
}

func (resultMsg) logsMsg()      {}
func (tailStartedMsg) logsMsg() {}
func (tailBatchMsg) logsMsg()   {}
func (tailEndMsg) logsMsg()     {}
func (tailTickMsg) logsMsg()    {}

// queryCmd runs one query. It captures everything by value and touches no
// model state; rows are prepared here so Update only swaps them in.
func queryCmd(ctx context.Context, src Source, pane string, seq int, q sources.LogQuery, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res, err := src.QueryRange(ctx, q)
		msg := resultMsg{pane: pane, seq: seq, q: q}
		if err != nil {
			msg.err = err
			return msg
		}
		msg.rows = buildRows(res.Entries, q.Direction == sources.Backward)
		for _, w := range res.Warnings {
			msg.warnings = append(msg.warnings, sanitize.Line(w))
		}
		return msg
	}
}

// tailOpenCmd opens the tail. Opening dials in the background, so it is a
// Cmd like any other I/O.
func tailOpenCmd(ctx context.Context, src Source, pane string, seq int, expr string, start time.Time) tea.Cmd {
	return func() tea.Msg {
		return tailStartedMsg{pane: pane, seq: seq, tailer: src.Tail(ctx, expr, start)}
	}
}

// maxTailDrain bounds how many entries one tailBatchMsg carries, so a burst
// is drawn in a few frames instead of one per websocket frame, and one
// message never holds the UI for long.
const maxTailDrain = 20000

// tailReadCmd reads the next batch, then drains whatever else is already
// waiting. Update re-issues it after every batch: a stream is a Cmd that
// re-issues itself.
func tailReadCmd(ctx context.Context, t sources.LogTail, pane string, seq int) tea.Cmd {
	return func() tea.Msg {
		var batch []row
		select {
		case es, ok := <-t.C():
			if !ok {
				<-t.Done()
				return tailEndMsg{pane: pane, seq: seq, err: t.Err(), status: t.Status()}
			}
			batch = buildRows(es, false)
		case <-ctx.Done():
			return tailEndMsg{pane: pane, seq: seq}
		}
		for len(batch) < maxTailDrain {
			select {
			case es, ok := <-t.C():
				if !ok {
					// Deliver what we have; the next read reports the end.
					return tailBatchMsg{pane: pane, seq: seq, rows: batch}
				}
				batch = append(batch, buildRows(es, false)...)
				continue
			default:
			}
			break
		}
		return tailBatchMsg{pane: pane, seq: seq, rows: batch}
	}
}

// tailTickInterval is how often the tail's state and rate are refreshed.
const tailTickInterval = time.Second

func tailTickCmd(t sources.LogTail, pane string, seq int) tea.Cmd {
	return tea.Tick(tailTickInterval, func(time.Time) tea.Msg {
		return tailTickMsg{pane: pane, seq: seq, status: t.Status()}
	})
}
