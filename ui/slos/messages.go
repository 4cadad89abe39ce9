package slos

import (
	"context"
	"math"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// Source is the Prometheus the pane evaluates SLOs against; *prom.Client
// satisfies it.
type Source = slo.RangeQuerier

// outcome is one SLO's answer in a refresh.
type outcome struct {
	eval    slo.Evaluation
	hist    []slo.Point
	err     error
	histErr error
}

// resultMsg is one refresh's answers, one per SLO in the pane's order.
type resultMsg struct {
	pane     string
	seq      int
	at       time.Time
	outcomes []outcome
	warnings []string
}

// tickMsg asks for the periodic refresh.
type tickMsg struct {
	pane string
	gen  int
}

// PaneID implements pane.Routed.
func (m resultMsg) PaneID() string { return m.pane }

// PaneID implements pane.Routed.
func (m tickMsg) PaneID() string { return m.pane }

// History is how far back the burn chart reaches and HistoryStep its
// resolution: 120 points, enough for a 200-column chart.
const (
	History     = 6 * time.Hour
	HistoryStep = 3 * time.Minute
)

// fetchCmd evaluates every SLO at at and reads its burn history. It
// captures its inputs by value; the SLOs share one bound on queries in
// flight.
func fetchCmd(ctx context.Context, src Source, pane string, seq int, slos []slo.SLO, at time.Time, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		sem := make(chan struct{}, slo.DefaultParallelism)
		out := make([]outcome, len(slos))
		var mu sync.Mutex
		var warnings []string
		var wg sync.WaitGroup
		for i, s := range slos {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, w1, err := slo.Measure(ctx, src, s, at, sem)
				from := at.Add(-History).Truncate(HistoryStep)
				hist, w2, herr := slo.BurnHistory(ctx, src, s, from, at, HistoryStep)
				out[i] = outcome{eval: e, hist: hist, err: err, histErr: herr}
				mu.Lock()
				warnings = append(warnings, w1...)
				warnings = append(warnings, w2...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		var ws []string
		for _, w := range warnings {
			if w = sanitize.Line(w); !seen[w] {
				seen[w] = true
				ws = append(ws, w)
			}
		}
		return resultMsg{pane: pane, seq: seq, at: at, outcomes: out, warnings: ws}
	}
}

func tickCmd(ctx context.Context, id string, gen int, every time.Duration) tea.Cmd {
	return pane.Tick(ctx, every, func(time.Time) tea.Msg { return tickMsg{pane: id, gen: gen} })
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
