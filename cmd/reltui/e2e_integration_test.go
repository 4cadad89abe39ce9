//go:build integration

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
)

// buildBinary builds the real reltui binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "reltui")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBin(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// eventually retries f until it succeeds or the deadline passes; the demo
// workload needs a few seconds after start before every backend has data.
func eventually(t *testing.T, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
	}
}

func TestE2EHeadlessAgainstRealStack(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	cfg := []string{"--config", st.ConfigPath}

	t.Run("config check shows healthy backends", func(t *testing.T) {
		code, out, errs := runBin(t, bin, append([]string{"config", "check"}, cfg...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, errs)
		}
		for _, b := range []string{"victorialogs", "prometheus", "alertmanager", "jaeger"} {
			if !strings.Contains(out, "  "+b) || strings.Count(out, "healthy (") < 4 {
				t.Fatalf("backend %s not healthy:\n%s", b, out)
			}
		}
	})

	t.Run("logs jsonl", func(t *testing.T) {
		eventually(t, 60*time.Second, func() error {
			code, out, errs := runBin(t, bin, append([]string{"logs", `{service="payments"}`, "--since", "15m", "--limit", "25", "-o", "jsonl"}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			n := 0
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var l struct {
					Time   time.Time         `json:"time"`
					Labels map[string]string `json:"labels"`
					Line   string            `json:"line"`
				}
				if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
					return fmt.Errorf("bad jsonl line %q: %v", sc.Text(), err)
				}
				if l.Labels["service"] != "payments" || l.Line == "" || l.Time.IsZero() {
					return fmt.Errorf("unexpected entry %+v", l)
				}
				n++
			}
			if n != 25 {
				return fmt.Errorf("got %d lines, want 25", n)
			}
			return nil
		})
	})

	t.Run("metrics json", func(t *testing.T) {
		eventually(t, 60*time.Second, func() error {
			code, out, errs := runBin(t, bin, append([]string{"metrics", `sum by (service) (http_requests_total)`, "--since", "10m", "--step", "30s", "-o", "json"}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var series []struct {
				Labels  map[string]string `json:"labels"`
				Samples [][2]float64      `json:"samples"`
			}
			if err := json.Unmarshal([]byte(out), &series); err != nil {
				return fmt.Errorf("bad json: %v\n%s", err, out)
			}
			for _, s := range series {
				if s.Labels["service"] == "payments" && len(s.Samples) > 0 {
					return nil
				}
			}
			return fmt.Errorf("no payments series in %s", out)
		})
	})

	t.Run("traces and trace json", func(t *testing.T) {
		// Traces that ended 20 s ago: each demo service exports its spans
		// in its own batch, so the newest trace may still be incomplete.
		var id string
		eventually(t, 60*time.Second, func() error {
			code, out, errs := runBin(t, bin, append([]string{"traces", "--service", "frontend", "--since", "15m", "--to", "now-20s", "--limit", "5", "-o", "json"}, cfg...)...)
			if code != 0 {
				return fmt.Errorf("exit %d: %s", code, errs)
			}
			var sums []struct {
				TraceID   string `json:"trace_id"`
				SpanCount int    `json:"span_count"`
			}
			if err := json.Unmarshal([]byte(out), &sums); err != nil {
				return fmt.Errorf("bad json: %v", err)
			}
			if len(sums) == 0 {
				return fmt.Errorf("no traces yet")
			}
			id = sums[0].TraceID
			return nil
		})
		code, out, errs := runBin(t, bin, append([]string{"trace", id, "-o", "json"}, cfg...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var tr struct {
			TraceID string `json:"trace_id"`
			Spans   []struct {
				SpanID    string `json:"span_id"`
				Service   string `json:"service"`
				Operation string `json:"operation"`
			} `json:"spans"`
			Warnings []string `json:"warnings"`
		}
		if err := json.Unmarshal([]byte(out), &tr); err != nil {
			t.Fatal(err)
		}
		if tr.TraceID != id || len(tr.Spans) < 2 || tr.Warnings == nil {
			t.Fatalf("trace %+v", tr)
		}
		services := map[string]bool{}
		for _, s := range tr.Spans {
			services[s.Service] = true
		}
		if !services["frontend"] || !services["checkout"] {
			t.Fatalf("trace does not cross frontend and checkout: %v", services)
		}
	})

	t.Run("alerts json", func(t *testing.T) {
		code, out, errs := runBin(t, bin, append([]string{"alerts", "-o", "json"}, cfg...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var alerts []map[string]any
		if err := json.Unmarshal([]byte(out), &alerts); err != nil {
			t.Fatalf("bad json %v: %s", err, out)
		}
	})

	t.Run("a bad log query is one line and exit 1", func(t *testing.T) {
		code, _, errs := runBin(t, bin, append([]string{"logs", `{service="payments"`, "--since", "5m"}, cfg...)...)
		if code != 1 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "bad query") {
			t.Fatalf("exit %d stderr %q", code, errs)
		}
	})

	t.Run("bad PromQL shows Prometheus's message", func(t *testing.T) {
		code, _, errs := runBin(t, bin, append([]string{"metrics", `sum(rate(http_requests_total[5m]`, "--since", "5m"}, cfg...)...)
		if code != 1 || !strings.Contains(errs, "bad query") || !strings.Contains(errs, "parse error") {
			t.Fatalf("exit %d stderr %q", code, errs)
		}
	})

	t.Run("unknown trace id", func(t *testing.T) {
		code, _, errs := runBin(t, bin, append([]string{"trace", "0123456789abcdef0123456789abcdef"}, cfg...)...)
		if code != 1 || !strings.Contains(errs, "not found") {
			t.Fatalf("exit %d stderr %q", code, errs)
		}
	})

	t.Run("unreachable backends are fast and clear for every command", func(t *testing.T) {
		dead := filepath.Join(t.TempDir(), "dead.yaml")
		if err := os.WriteFile(dead, []byte("contexts:\n  dead:\n    loki: {url: http://127.0.0.1:1}\n    prometheus: {url: http://127.0.0.1:1}\n    alertmanager: {url: http://127.0.0.1:1}\n    jaeger: {url: grpc://127.0.0.1:1}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"logs", `{a="b"}`},
			{"metrics", "up"},
			{"traces", "--service", "x"},
			{"trace", "0123456789abcdef0123456789abcdef"},
			{"alerts"},
		} {
			start := time.Now()
			code, _, errs := runBin(t, bin, append(args, "--config", dead)...)
			if code != 1 || !strings.Contains(errs, "unreachable") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("%v: exit %d stderr %q", args, code, errs)
			}
			// Not a speed target: a guard against a hang (retries are bounded).
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("%v took %v: an unreachable backend must not hang", args, d)
			}
		}
	})
}

// TestE2EConsoleInTmux drives the real binary in tmux as a person would:
// it opens, shows the context, the range and healthy backends, switches
// panes, and quits cleanly.
func TestE2EConsoleInTmux(t *testing.T) {
	st := stacktest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required (scripts/stack/up.sh installs it)")
	}
	bin := buildBinary(t)
	for _, tc := range []struct {
		name string
		w, h int
		env  string
	}{{"80x24-nocolor", 80, 24, "NO_COLOR=1"}, {"200x50-256", 200, 50, "TERM=xterm-256color"}} {
		t.Run(tc.name, func(t *testing.T) {
			sess := fmt.Sprintf("reltui-e2e-%d", time.Now().UnixNano())
			shell := fmt.Sprintf("env %s %s --config %s; echo EXITED=$?; sleep 30", tc.env, bin, st.ConfigPath)
			if out, err := exec.Command("tmux", "new-session", "-d", "-s", sess, "-x", fmt.Sprint(tc.w), "-y", fmt.Sprint(tc.h), shell).CombinedOutput(); err != nil {
				t.Fatalf("tmux: %v %s", err, out)
			}
			defer exec.Command("tmux", "kill-session", "-t", sess).Run()
			capture := func() string {
				out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", sess).Output()
				return string(out)
			}
			keys := func(k ...string) {
				if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", sess}, k...)...).CombinedOutput(); err != nil {
					t.Fatalf("send-keys: %v %s", err, out)
				}
			}
			waitFor := func(what string, ok func(string) bool) string {
				t.Helper()
				deadline := time.Now().Add(20 * time.Second)
				for {
					s := capture()
					if ok(s) {
						return s
					}
					if time.Now().After(deadline) {
						t.Fatalf("screen never showed %s:\n%s", what, s)
					}
					time.Sleep(200 * time.Millisecond)
				}
			}
			screen := waitFor("four healthy backends", func(s string) bool {
				return strings.Count(s, "✓") >= 4
			})
			if !strings.Contains(screen, "ctx dev") || !strings.Contains(screen, "last 1h (live)") {
				t.Fatalf("header lacks context or range:\n%s", screen)
			}
			for i, l := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
				if len([]rune(l)) > tc.w {
					t.Fatalf("line %d wider than %d: %q", i, tc.w, l)
				}
			}
			keys("3")
			waitFor("the Traces pane", func(s string) bool { return strings.Contains(s, "No search yet") })
			keys("-")
			waitFor("the zoomed range", func(s string) bool { return strings.Contains(s, "last 3h (live)") })
			keys("?")
			waitFor("the help overlay", func(s string) bool { return strings.Contains(s, "zoom in") && strings.Contains(s, "re-check") })
			keys("?")
			waitFor("the help closed", func(s string) bool { return !strings.Contains(s, "re-check") })
			// Run a query from the palette, filter it, open a line, go back.
			keys(":")
			keys("-l", `logs {service="payments"}`)
			keys("Enter")
			waitFor("query results", func(s string) bool { return strings.Contains(s, " lines") && strings.Contains(s, "level=") })
			keys("/")
			keys("-l", "level")
			keys("Enter")
			waitFor("filter matches", func(s string) bool { return strings.Contains(s, "/level: ") })
			keys("Enter")
			waitFor("the detail view", func(s string) bool { return strings.Contains(s, "Line detail") && strings.Contains(s, "Labels") })
			keys("Escape")
			waitFor("the list again", func(s string) bool { return !strings.Contains(s, "Line detail") })
			time.Sleep(300 * time.Millisecond) // ESC then q too fast reads as alt+q
			keys("q")
			waitFor("a clean exit", func(s string) bool { return strings.Contains(s, "EXITED=0") })
		})
	}
}

// TestE2EHostileContentNeverReachesTerminal pushes 10,000 hostile lines to
// the real Loki, renders them in the real binary under tmux, records every
// byte the program wrote (pipe-pane), and proves that no control sequence
// from the content reached the terminal.
func TestE2EHostileContentNeverReachesTerminal(t *testing.T) {
	st := stacktest.Require(t)
	bin := buildBinary(t)
	run := fmt.Sprintf("hostile-%d", time.Now().UnixNano())
	payloads := []string{
		"osc52 \x1b]52;c;UkVMVFVJ\x07",
		"title \x1b]0;RELTUI-PWNED\x07",
		"sgr256 \x1b[38;5;196mRED\x1b[0m dsr \x1b[6n",
		"dcs \x1bPq#0;2;0;0;0\x1b\\ apc \x1b_Gf=100;QUFB\x1b\\ pm \x1b^x\x1b\\",
		"c1 \u009b38;5;196m \u009d0;RELTUI-C1\u009c",
		"bidi \u202eRELTUI-BIDI\u202c cr\rBEL\x07 unterminated \x1b]52;c;",
	}
	end := time.Now().Add(-2 * time.Second)
	const n = 10000
	for off := 0; off < n; off += 2500 {
		var lines []stacktest.LokiLine
		for i := off; i < off+2500; i++ {
			ts := end.Add(-time.Duration(n-i) * time.Millisecond)
			lines = append(lines, stacktest.LokiLine{TS: ts, Line: fmt.Sprintf("hostile %d 日本語 🔥 %s", i, payloads[i%len(payloads)])})
		}
		stacklogs.Push(t, st, map[string]string{"service": "hostile", "e2e_run": run}, lines)
	}

	raw := filepath.Join(t.TempDir(), "raw.out")
	sess := fmt.Sprintf("reltui-hostile-%d", time.Now().UnixNano())
	shell := fmt.Sprintf("env NO_COLOR=1 %s --config %s --since 15m; echo EXITED=$?; sleep 30", bin, st.ConfigPath)
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", sess, "-x", "120", "-y", "40", shell).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", sess).Run()
	if out, err := exec.Command("tmux", "pipe-pane", "-o", "-t", sess, "cat >> "+raw).CombinedOutput(); err != nil {
		t.Fatalf("pipe-pane: %v %s", err, out)
	}
	keys := func(k ...string) {
		if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", sess}, k...)...).CombinedOutput(); err != nil {
			t.Fatalf("send-keys: %v %s", err, out)
		}
	}
	capture := func() string {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", sess).Output()
		return string(out)
	}
	waitFor := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !ok(capture()) {
			if time.Now().After(deadline) {
				t.Fatalf("screen never showed %s:\n%s", what, capture())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitFor("the console", func(s string) bool { return strings.Contains(s, "ctx dev") })
	// One query holds at most 5,000 lines, so the 10,000 are shown in two
	// halves: the newest, then the oldest.
	for _, half := range []struct{ filter, first string }{
		{"", "hostile 5000 "},
		// LogsQL, since the stack's log backend is VictoriaLogs.
		{` _msg:~"hostile [0-9]{1,4} " NOT _msg:~"hostile [5-9][0-9]{3} "`, "hostile 0 "},
	} {
		keys(":")
		keys("-l", fmt.Sprintf(`logs {e2e_run=%q}%s`, run, half.filter))
		keys("Enter")
		waitFor("5,000 hostile lines", func(s string) bool { return strings.Contains(s, "5,000 lines") && strings.Contains(s, "hostile") })
		// Page through the buffer so every line is drawn.
		for i := 0; i < 140; i++ {
			keys("PageUp")
		}
		keys("g")
		waitFor("the oldest line "+half.first, func(s string) bool { return strings.Contains(s, half.first) })
	}
	keys("Enter")
	waitFor("the detail of a hostile line", func(s string) bool { return strings.Contains(s, "Line detail") })
	keys("Escape")
	time.Sleep(300 * time.Millisecond)
	keys("q")
	waitFor("a clean exit", func(s string) bool { return strings.Contains(s, "EXITED=0") })

	out, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10000 {
		t.Fatalf("only %d bytes recorded; pipe-pane did not capture the session", len(out))
	}
	for _, bad := range []struct{ name, seq string }{
		{"OSC", "\x1b]"}, {"DCS", "\x1bP"}, {"APC", "\x1b_"}, {"PM", "\x1b^"}, {"SOS", "\x1bX"},
		{"256-colour SGR from content", "\x1b[38;5;196m"}, {"DSR", "\x1b[6n"},
		{"8-bit CSI", "\u009b"}, {"8-bit OSC", "\u009d"}, {"raw C1 CSI", "\x9b38"},
		{"bidi override", "\u202e"}, {"BEL", "\x07"}, {"title payload", "RELTUI-PWNED"},
	} {
		if i := bytes.Index(out, []byte(bad.seq)); i >= 0 {
			lo, hi := max(0, i-40), min(len(out), i+40)
			t.Errorf("%s reached the terminal at byte %d: %q", bad.name, i, out[lo:hi])
		}
	}
	if !bytes.Contains(out, []byte("日本語")) || !bytes.Contains(out, []byte("🔥")) {
		t.Error("CJK or emoji did not pass through")
	}
}
