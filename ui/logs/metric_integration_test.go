//go:build integration

package logs

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/themes"
)

// TestMetricQueryChartsAgainstStack runs the demo workload's payments
// lines, counted by level, through the pane against the stack's real log
// backend, and checks the chart replaces the lines.
func TestMetricQueryChartsAgainstStack(t *testing.T) {
	st := stacktest.Require(t)
	src := stacklogs.Backend(t, st)
	expr := `{service="payments"} | stats by (level) count() hits`
	if os.Getenv("RELTUI_TEST_LOG_BACKEND") == "loki" {
		expr = `sum by (level) (count_over_time({service="payments"}[1m]))`
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := New(Config{Source: src, Renderer: r, Palette: themes.NoColor(), Location: time.UTC})
	t.Cleanup(m.Close)
	m.SetSize(100, 30)
	now := time.Now()
	m.SetRange(now.Add(-15*time.Minute), now, true)
	// Run the Cmds as the runtime would, until the answer arrives; the
	// backend may take longer than settle waits.
	msgs := make(chan tea.Msg, 8)
	batch, ok := m.Run(expr)().(tea.BatchMsg)
	if !ok {
		t.Fatal("Run did not return a batch")
	}
	for _, c := range batch {
		go func() { msgs <- c() }()
	}
	deadline := time.After(time.Minute)
	for m.query.Busy() {
		select {
		case msg := <-msgs:
			m.Update(msg)
		case <-deadline:
			t.Fatal("no answer within a minute")
		}
	}
	if m.lastErr() != nil {
		t.Fatalf("error: %v", m.lastErr())
	}
	if m.plot == nil || len(m.plot.series) == 0 {
		t.Fatalf("no chart: plot=%+v", m.plot)
	}
	for _, s := range m.plot.series {
		if !strings.HasPrefix(s.Name, "level=") || len(s.Points) == 0 {
			t.Errorf("series %q has %d points", s.Name, len(s.Points))
		}
	}
	if v := m.View(); !strings.Contains(v, "metric query") || !strings.Contains(v, "level=") {
		t.Errorf("view:\n%s", v)
	}
}
