//go:build integration

package logs

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// These tests drive the pane in a real bubbletea program (teatest) against
// the dev stack's real log backend. Each run labels its lines with its own run
// value, so it sees neither other tests nor the demo workload.

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
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	run := "logs-pane-" + hex.EncodeToString(b)
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

	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := New(Config{
		Source:   client,
		Renderer: r,
		Palette:  themes.NoColor(),
		Query:    fmt.Sprintf(`{run=%q}`, run),
		Timeout:  30 * time.Second,
	})
	defer m.Close()
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
