package serve

import (
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/ui"
)

func consoleFixture(t *testing.T) *fixture {
	return newFixture(t, func(c *Config) {
		c.App = Console(ui.Deps{Context: "serve-test", Tick: 200 * time.Millisecond}, nil)
		c.MaxSessionsPerUser = 8
	})
}

// Two sessions of the real console with different terminals, themes and
// sizes render independently: nothing in the UI is package state.
func TestSessionsRenderIndependently(t *testing.T) {
	f := consoleFixture(t)
	colour, err := open(t, f.addr, "xterm-256color", 80, 24, map[string]string{"RELTUI_THEME": "light"}, f.commander.signer)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := open(t, f.addr, "xterm-256color", 120, 40, map[string]string{"NO_COLOR": "1"}, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	colour.waitFor(t, "serve-test", 5*time.Second)
	plain.waitFor(t, "serve-test", 5*time.Second)
	time.Sleep(500 * time.Millisecond) // a few ticks of both
	co, po := colour.output(), plain.output()
	if !strings.Contains(co, "38;5;") {
		t.Errorf("the 256-colour session has no 256-colour output")
	}
	if strings.Contains(po, "38;5;") || strings.Contains(po, "38;2;") {
		t.Errorf("the NO_COLOR session got colour")
	}
	if w := widest(co); w > 80 || w < 60 {
		t.Errorf("80-column session drew %d columns", w)
	}
	if w := widest(po); w <= 80 || w > 120 {
		t.Errorf("120-column session drew %d columns", w)
	}
}

func widest(out string) int {
	w := 0
	for _, l := range strings.Split(out, "\n") {
		for _, part := range strings.Split(ansi.Strip(l), "\r") {
			w = max(w, ansi.StringWidth(part))
		}
	}
	return w
}

// Clients that vanish (the TCP connection dropped, as when ssh is killed
// with -9) end their programs: goroutines return to the baseline within
// 5 s and the server then idles without burning CPU.
func TestAbruptDisconnectsEndSessions(t *testing.T) {
	f := consoleFixture(t)
	settle := func() int { runtime.GC(); time.Sleep(50 * time.Millisecond); return liveGoroutines() }
	base := settle()
	var sessions []*termSession
	for i := range 5 {
		ts, err := open(t, f.addr, "xterm-256color", 80+i, 24, nil, f.responder.signer)
		if err != nil {
			t.Fatal(err)
		}
		sessions = append(sessions, ts)
	}
	for _, ts := range sessions {
		ts.waitFor(t, "serve-test", 5*time.Second)
	}
	during := liveGoroutines()
	for _, ts := range sessions {
		_ = ts.client.Conn.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	n := settle()
	for n > base+2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		n = settle()
	}
	t.Logf("goroutines: %d before, %d with 5 sessions, %d after the clients vanished", base, during, n)
	if n > base+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines did not return to the baseline (%d > %d+2):\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
	if s := f.srv.Stats().Sessions; s != 0 {
		t.Fatalf("%d sessions still counted", s)
	}
	before := cpuTime()
	time.Sleep(time.Second)
	if used := cpuTime() - before; used > 100*time.Millisecond {
		t.Fatalf("idle server used %s of CPU in 1 s", used)
	}
}

// liveGoroutines counts goroutines. Every timer a session starts ends
// with the session (pane.Tick), so nothing is left out.
func liveGoroutines() int { return runtime.NumGoroutine() }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
