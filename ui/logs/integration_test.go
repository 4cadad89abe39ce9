//go:build integration

package logs

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// These tests drive the pane in a real bubbletea program (teatest) against
// the dev stack's real log backend. Each run labels its lines with its own run
// value, so it sees neither other tests nor the demo workload.

// runID is a fresh run label value, prefix and ten random hex digits,
// so a test sees only the lines it pushed.
func runID(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// harness makes the pane a tea.Model, as the root does for its panes.
type harness struct{ m *Model }

func (h harness) Init() tea.Cmd { return h.m.Init() }

func (h harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return h, tea.Quit
		}
	}
	_, cmd := h.m.Update(msg)
	return h, cmd
}

func (h harness) View() string { return h.m.View() }

// screen collects everything the program wrote, across waits.
type screen struct {
	tm  *teatest.TestModel
	all bytes.Buffer
}

// waitFor reads output until want has been drawn. The renderer redraws
// only lines that changed, so what was drawn by an earlier frame counts.
// Everything read is kept for the final control-sequence check.
func (s *screen) waitFor(t *testing.T, want string, d time.Duration) {
	t.Helper()
	if bytes.Contains(s.all.Bytes(), []byte(want)) {
		return
	}
	var last []byte
	defer func() { s.all.Write(last) }()
	teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool {
		last = b
		return bytes.Contains(b, []byte(want))
	}, teatest.WithDuration(d), teatest.WithCheckInterval(100*time.Millisecond))
}

func (s *screen) keys(ks ...string) {
	for _, k := range ks {
		s.tm.Send(panetest.Key(k))
	}
}

// The pane against the stack's real log backend (VictoriaLogs; a real Loki
// with RELTUI_TEST_LOG_BACKEND=loki): query, filter, detail with fields,
// live tail, a bad query, and no hostile byte reaching the terminal.
func TestLogsPaneAgainstRealBackend(t *testing.T) {
	st := stacktest.Require(t)
	client := stacklogs.Backend(t, st)
	run := runID(t, "logs-pane-")
	stream := map[string]string{"job": "reltui-ui-logs-it", "run": run}

	now := time.Now()
	var lines []stacktest.LokiLine
	for i := 0; i < 30; i++ {
		lines = append(lines, stacktest.LokiLine{TS: now.Add(-time.Duration(60-i) * time.Second),
			Line: fmt.Sprintf("level=info msg=\"it-line-%04d\" run=%s", i, run)})
	}
	hostile := []string{
		"it-hostile-osc52 \x1b]52;c;UkVMVFVJ\x07 end",
		"it-hostile-title \x1b]0;RELTUI-PWNED\x07 end",
		"it-hostile-csi \x1b[31;1;4mred\x1b[0m \x1b[6n \x1b[2J end",
		"it-hostile-dcs \x1bPq#0;2;0;0;0\x1b\\ apc \x1b_Gf=100;QUFB\x1b\\ end",
		"it-hostile-c1 \u009b31;1;4m \u009d0;RELTUI-C1\u009c end",
		"it-hostile-bidi \u202eRELTUI-BIDI\u202c cr\rBEL\x07 end",
		"it-cjk 日本語テキスト 🚀🔥 end",
	}
	for i, h := range hostile {
		lines = append(lines, stacktest.LokiLine{TS: now.Add(-time.Duration(20-i) * time.Second), Line: h})
	}
	lines = append(lines, stacktest.LokiLine{TS: now.Add(-5 * time.Second),
		Line: `{"level":"error","msg":"it-json-line","order_id":42}`,
		Meta: map[string]string{"trace_id": "it-trace-" + run}})
	stacklogs.Push(t, st, stream, lines)

	m := build(t, Config{Source: client, Query: fmt.Sprintf(`{run=%q}`, run), Basics: pane.Basics{Timeout: 30 * time.Second}})
	m.SetRange(now.Add(-15*time.Minute), now, true)

	tm := teatest.NewTestModel(t, harness{m}, teatest.WithInitialTermSize(160, 50))
	s := &screen{tm: tm}
	s.waitFor(t, "38 lines", 30*time.Second)
	s.waitFor(t, "it-json-line", 5*time.Second)
	s.keys("g")
	s.waitFor(t, "it-line-0000", 5*time.Second)

	// Every hostile line shows, with its payload removed, and CJK intact.
	s.keys("/", "it-", "enter")
	s.waitFor(t, "/it-: 38 matches", 5*time.Second)
	s.keys("esc", "G")
	s.waitFor(t, "it-cjk 日本語テキスト 🚀🔥 end", 5*time.Second)
	s.waitFor(t, "it-hostile-bidi", 5*time.Second)

	// Detail of the JSON line: pretty JSON and the structured metadata.
	s.keys("enter")
	s.waitFor(t, "it-trace-"+run, 5*time.Second)
	s.waitFor(t, `"order_id": 42`, 5*time.Second)
	s.keys("esc", "l", "w")
	s.waitFor(t, `job="reltui-ui-logs-it"`, 5*time.Second)

	// Live tail: lines pushed now arrive on screen.
	s.keys("t")
	s.waitFor(t, "● live", 30*time.Second)
	stacklogs.Push(t, st, stream, []stacktest.LokiLine{{TS: time.Now(), Line: "it-tail-line \x1b]52;c;UkVMVFVJ\x07 fresh"}})
	s.waitFor(t, "it-tail-line", 30*time.Second)

	// A bad query is shown with its kind and reason; the lines stay.
	s.keys("i")
	s.keys(" | this is not a query", "enter")
	s.waitFor(t, "bad query", 15*time.Second)

	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	rest, _ := io.ReadAll(tm.FinalOutput(t))
	s.all.Write(rest)

	out := s.all.String()
	for _, bad := range []string{"UkVMVFVJ", "RELTUI-PWNED", "RELTUI-C1", "\x1b[31;1;4m", "\x1b[6n", "\x1b[2J", "\x1bP", "\x1b_", "\x1b]", "\x07", "\u202e"} {
		if strings.Contains(out, bad) {
			i := strings.Index(out, bad)
			t.Errorf("content sequence %q reached the terminal: %q", bad, out[max(0, i-40):min(len(out), i+40)])
		}
	}
	for i, c := range out {
		if c >= 0x80 && c <= 0x9f {
			t.Errorf("C1 control %U reached the terminal at %d", c, i)
			break
		}
	}
	if !utf8.ValidString(out) {
		t.Error("output is not valid UTF-8")
	}
	// The only escapes left are the renderer's own CSI sequences.
	for i := 0; i < len(out); i++ {
		if out[i] == 0x1b && (i+1 >= len(out) || out[i+1] != '[') {
			t.Fatalf("non-CSI escape in output: %q", out[i:min(len(out), i+12)])
		}
	}
}

// Holding k past the oldest of 20,000 real lines (pages of 5,000) loads
// the earlier pages in order: the buffer ends up exactly the backend's own
// answer for the whole stream, no duplicate, no gap.
func TestScrollBackAgainstRealBackend(t *testing.T) {
	st := stacktest.Require(t)
	client := stacklogs.Backend(t, st)
	run := runID(t, "logs-older-")
	now := time.Now().Truncate(time.Millisecond)
	const n = 20_000
	lines := make([]stacktest.LokiLine, n)
	for i := range lines {
		// Two lines per millisecond: page boundaries fall inside an instant.
		lines[i] = stacktest.LokiLine{TS: now.Add(-time.Duration(n-i) * 500 * time.Microsecond).Truncate(time.Millisecond),
			Line: fmt.Sprintf("level=info msg=\"older-%05d\" run=%s", i, run)}
	}
	stacklogs.Push(t, st, map[string]string{"job": "reltui-ui-logs-older", "run": run}, lines)

	m := build(t, Config{Source: client, Basics: pane.Basics{Timeout: 30 * time.Second}})
	m.SetSize(80, 24)
	from, to := now.Add(-2*time.Minute), now.Add(time.Second)
	m.SetRange(from, to, false)
	expr := client.Dialect().Stream("run", run)
	settleWithin(m, m.Run(expr), 3*time.Second) // as long as a real backend takes
	if m.lastErr() != nil || m.buf.Len() != DefaultLimit {
		t.Fatalf("first page: %d lines, err %v", m.buf.Len(), m.lastErr())
	}
	for i := 0; i < 10 && m.buf.Len() < n; i++ {
		press(m, "g")
		settleWithin(m, press(m, "k"), 3*time.Second)
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
	m := build(t, Config{Source: src})
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
