//go:build integration

package logs

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// settleReal feeds cmd's messages back until none is left, waiting as long
// as a real backend takes; spinner ticks are dropped.
func settleReal(m *Model, cmd tea.Cmd) {
	for i := 0; cmd != nil && i < 50; i++ {
		var next []tea.Cmd
		for _, msg := range panetest.Collect(cmd, 3*time.Second) {
			if _, ok := msg.(pane.SpinMsg); ok {
				continue
			}
			_, c := m.Update(msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// Holding k past the oldest of 20,000 real lines (pages of 5,000) loads
// the earlier pages in order: the buffer ends up exactly the backend's own
// answer for the whole stream, no duplicate, no gap.
func TestScrollBackAgainstRealBackend(t *testing.T) {
	st := stacktest.Require(t)
	client := stacklogs.Backend(t, st)
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	run := "logs-older-" + hex.EncodeToString(b)
	now := time.Now().Truncate(time.Millisecond)
	const n = 20_000
	lines := make([]stacktest.LokiLine, n)
	for i := range lines {
		// Two lines per millisecond: page boundaries fall inside an instant.
		lines[i] = stacktest.LokiLine{TS: now.Add(-time.Duration(n-i) * 500 * time.Microsecond).Truncate(time.Millisecond),
			Line: fmt.Sprintf("level=info msg=\"older-%05d\" run=%s", i, run)}
	}
	stacklogs.Push(t, st, map[string]string{"job": "reltui-ui-logs-older", "run": run}, lines)

	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := New(Config{Source: client, Renderer: r, Palette: themes.NoColor(), Timeout: 30 * time.Second, Location: time.UTC})
	t.Cleanup(m.Close)
	m.SetSize(80, 24)
	from, to := now.Add(-2*time.Minute), now.Add(time.Second)
	m.SetRange(from, to, false)
	expr := client.Dialect().Stream("run", run)
	settleReal(m, m.Run(expr))
	if m.lastErr() != nil || m.buf.Len() != DefaultLimit {
		t.Fatalf("first page: %d lines, err %v", m.buf.Len(), m.lastErr())
	}
	for i := 0; i < 10 && m.buf.Len() < n; i++ {
		press(m, "g")
		settleReal(m, press(m, "k"))
		if m.lastErr() != nil {
			t.Fatalf("page %d: %v", i, m.lastErr())
		}
	}

	want, err := client.QueryRange(t.Context(), sources.LogQuery{Expr: expr, From: from, To: to, Limit: n + 10, Direction: sources.Forward})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Entries) != n || m.buf.Len() != n {
		t.Fatalf("backend %d lines, buffer %d, pushed %d", len(want.Entries), m.buf.Len(), n)
	}
	// In time order, and instant by instant the same lines as the backend
	// (which orders lines of one instant as it likes).
	seen := map[string]bool{}
	for i, e := range want.Entries {
		got := m.buf.at(m.buf.first() + int64(i)).e
		if !got.Time.Equal(e.Time) {
			t.Fatalf("line %d at %s, backend's at %s", i, got.Time, e.Time)
		}
		if seen[got.Line] {
			t.Fatalf("line %d %q twice", i, got.Line)
		}
		seen[got.Line] = true
	}
	for _, e := range want.Entries {
		if !seen[e.Line] {
			t.Fatalf("%q missing", e.Line)
		}
	}
}
