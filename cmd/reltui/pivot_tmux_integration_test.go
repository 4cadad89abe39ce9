//go:build integration

package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
)

// tmuxScreen drives the real binary in a tmux session.
type tmuxScreen struct {
	t    *testing.T
	sess string
}

func (s tmuxScreen) capture() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.sess).Output()
	return string(out)
}

func (s tmuxScreen) keys(k ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.sess}, k...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v %s", err, out)
	}
	time.Sleep(150 * time.Millisecond) // esc then a key too fast reads as alt+key
}

func (s tmuxScreen) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := s.capture()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %s:\n%s", what, screen)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

var (
	tmuxLines    = regexp.MustCompile(`(?m)^[1-9][\d,]* lines`)
	tmuxExemplar = regexp.MustCompile(`exemplar \d+/\d+: trace ([0-9a-f]{16,32})`)
)

func hasLinesOnScreen(s string) bool {
	return tmuxLines.MatchString(s) && !strings.Contains(s, "querying")
}

// The pivots in the real binary under tmux at 80x24 without colour, on
// the dev stack: a line to its trace and back, a span to its lines and
// back, an exemplar to its trace and back, a chart point to its lines
// and back.
func TestE2EPivotsInTmux(t *testing.T) {
	st := stacktest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required (scripts/stack/up.sh installs it)")
	}
	d := stacklogs.Backend(t, st).Dialect()
	traceID := recentDemoIDs(t, st).TraceID
	if traceID == "" {
		t.Fatal("no frontend line with a trace id; is the demo running?")
	}

	bin := buildBinary(t)
	s := tmuxScreen{t: t, sess: fmt.Sprintf("reltui-pivots-%d", time.Now().UnixNano())}
	shell := fmt.Sprintf("env NO_COLOR=1 %s --config %s; echo EXITED=$?; sleep 30", bin, st.ConfigPath)
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", s.sess, "-x", "80", "-y", "24", shell).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", s.sess).Run()
	s.waitFor("four healthy backends", func(x string) bool { return strings.Count(x, "✓") >= 4 })

	// log → trace → esc
	s.keys("i")
	s.keys("-l", d.Contains(d.Stream("service", "frontend"), traceID))
	s.keys("Enter")
	lines := s.waitFor("the trace's lines", hasLinesOnScreen)
	s.keys("o")
	s.waitFor("the trace", func(x string) bool { return strings.Contains(x, "Trace "+traceID) && strings.Contains(x, "spans") })
	s.keys("Escape")
	s.waitFor("the same lines again", func(x string) bool { return strings.Contains(x, strings.Split(lines, "\n")[2]) && hasLinesOnScreen(x) })

	// span → logs → esc
	s.keys("o")
	s.waitFor("the trace again", func(x string) bool { return strings.Contains(x, "Trace "+traceID) && strings.Contains(x, "spans") })
	s.keys("j")
	s.keys("L")
	s.waitFor("the span's lines", func(x string) bool { return !strings.Contains(x, "Trace "+traceID) && hasLinesOnScreen(x) })
	s.keys("Escape")
	s.waitFor("back on the trace", func(x string) bool { return strings.Contains(x, "Trace "+traceID) })

	// exemplar → trace → esc
	s.keys("2")
	s.waitFor("exemplars on the latency chart", func(x string) bool { return regexp.MustCompile(`\d+ exem`).MatchString(x) })
	s.keys("x")
	ex := tmuxExemplar.FindStringSubmatch(s.waitFor("an exemplar", tmuxExemplar.MatchString))
	s.keys("Enter")
	s.waitFor("the exemplar's trace", func(x string) bool { return strings.Contains(x, "Trace "+ex[1]) })
	s.keys("Escape")
	s.waitFor("back on the chart", func(x string) bool { return strings.Contains(x, "Golden signals") })

	// chart point → logs → esc
	s.keys("Escape")
	s.keys("Left")
	s.keys("Left")
	s.waitFor("a cursor", func(x string) bool { return strings.Contains(x, "cursor ") })
	s.keys("L")
	s.waitFor("the service's lines at the cursor", hasLinesOnScreen)
	s.keys("Escape")
	s.waitFor("back on the chart", func(x string) bool { return strings.Contains(x, "Golden signals") && strings.Contains(x, "cursor ") })
	for i, l := range strings.Split(strings.TrimRight(s.capture(), "\n"), "\n") {
		if len([]rune(l)) > 80 {
			t.Fatalf("line %d wider than 80: %q", i, l)
		}
	}
	s.keys("q")
	s.waitFor("a clean exit", func(x string) bool { return strings.Contains(x, "EXITED=0") })
}

// recentDemoIDs are the ids the first of the demo frontend's recent
// "request completed" lines carries (trace id and request id, each from
// the first line that has it).
func recentDemoIDs(t *testing.T, st stacktest.Stack) correlate.Fields {
	t.Helper()
	lb := stacklogs.Backend(t, st)
	d := lb.Dialect()
	now := time.Now()
	res, err := lb.QueryRange(t.Context(), sources.LogQuery{Expr: d.Contains(d.Stream("service", "frontend"), "request completed"),
		From: now.Add(-10 * time.Minute), To: now.Add(-time.Minute), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids correlate.Fields
	for _, e := range res.Entries {
		got := correlate.DefaultExtractor().Extract(e)
		if ids.TraceID == "" {
			ids.TraceID = got.TraceID
		}
		if ids.RequestID == "" {
			ids.RequestID = got.RequestID
		}
	}
	return ids
}
