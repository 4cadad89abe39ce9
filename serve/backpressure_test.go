package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// floodModel redraws a full screen of changing text every few
// milliseconds: far more output than a client that stops reading takes.
type floodModel struct {
	n    int
	w, h int
}

type floodTick struct{}

func floodApp(*Session) (tea.Model, func()) { return floodModel{w: 200, h: 50}, nil }

func (m floodModel) Init() tea.Cmd {
	return tea.Tick(2*time.Millisecond, func(time.Time) tea.Msg { return floodTick{} })
}

func (m floodModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case floodTick:
		m.n++
		return m, m.Init()
	}
	return m, nil
}

func (m floodModel) View() string {
	var b strings.Builder
	for i := range m.h {
		fmt.Fprintf(&b, "\x1b[3%dmframe %d line %d %s\x1b[0m\n", i%8, m.n, i, strings.Repeat(string(rune('a'+(m.n+i)%26)), max(0, m.w-40)))
	}
	return b.String()
}

// stuckSession logs in with a pty and never reads the channel: after the
// SSH window fills, every write the server makes to it would block. Its
// input stays open, as a terminal's does (a client that closes its input
// is ended at once, see TestClientThatClosesItsInputEndsItsSession).
func stuckSession(t *testing.T, addr string, signer gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, clientConfig("oncall", gossh.PublicKeys(signer)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 50, 200, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StdoutPipe(); err != nil { // a pipe nobody reads
		t.Fatal(err)
	}
	if _, err := s.StdinPipe(); err != nil { // open, and never written
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return c
}

// A client that never reads is disconnected within the stall timeout,
// its slot goes to the next login, and the session was never stuck
// behind its own output: the server counts it gone.
func TestClientThatNeverReadsIsDisconnected(t *testing.T) {
	const stall = 2 * time.Second
	f := newFixture(t, func(c *Config) {
		c.App = floodApp
		c.MaxSessions = 1
		c.StallTimeout = stall
	})
	stuck := stuckSession(t, f.addr, f.viewer.signer)
	waitSessions(t, f.srv, 1)
	gone := make(chan struct{})
	go func() { _ = stuck.Wait(); close(gone) }()
	// The stall is counted from when the SSH window is full.
	waitStuck(t, f.srv, 1)
	start := time.Now()
	select {
	case <-gone:
		t.Logf("stuck client disconnected %s after its window filled", time.Since(start).Round(time.Millisecond))
	case <-time.After(stall + 2*time.Second):
		t.Fatalf("the client that never reads is still connected %s after its window filled", stall+2*time.Second)
	}
	waitSessions(t, f.srv, 0)
	st := f.srv.Stats()
	if st.Stalled != 1 {
		t.Fatalf("stats: %+v, want one stalled session", st)
	}
	f.logMu.Lock()
	logged := strings.Join(f.log, "\n")
	f.logMu.Unlock()
	if !strings.Contains(logged, "stalled: vic from 127.0.0.1") {
		t.Fatalf("no stall logged:\n%s", logged)
	}
	// The one slot is free again.
	f.srv.cfg.App = f.seen.app
	login(t, f, f.responder, "hello user=rita")
}

// A slow reader gets fewer frames, not a growing queue: what waits for
// it stays under the output buffer and stale frames are dropped.
func TestSlowReaderGetsCoalescedFrames(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.App = floodApp
		c.OutputBuffer = 64 << 10
		c.StallTimeout = time.Minute
	})
	stuckSession(t, f.addr, f.viewer.signer)
	waitSessions(t, f.srv, 1)
	deadline := time.Now().Add(10 * time.Second)
	for f.srv.Stats().FramesDropped == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if f.srv.Stats().FramesDropped == 0 {
		t.Fatal("no frame was dropped for a client that reads nothing")
	}
	outs := outputs(f.srv)
	for range 50 {
		for _, o := range outs {
			n := o.queued()
			// One full 200x50 frame may sit on top of the buffer.
			if n > 64<<10+64<<10 {
				t.Fatalf("%d bytes queued for a slow reader; the buffer is 64 KiB", n)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Shutdown with a 3 s deadline returns within 3 s while clients that
// never read are connected (and the stall timeout is far away); with a
// deadline shorter than a session's goodbye it still returns by it.
func TestShutdownHonoursDeadlineWithStuckClient(t *testing.T) {
	for _, deadline := range []time.Duration{3 * time.Second, 300 * time.Millisecond} {
		t.Run(deadline.String(), func(t *testing.T) {
			f := newFixture(t, func(c *Config) {
				c.App = floodApp
				c.StallTimeout = time.Hour
				c.IdleTimeout = time.Hour
			})
			stuckSession(t, f.addr, f.viewer.signer)
			stuckSession(t, f.addr, f.responder.signer)
			waitSessions(t, f.srv, 2)
			waitStuck(t, f.srv, 2)
			ctx, cancel := context.WithTimeout(t.Context(), deadline)
			defer cancel()
			start := time.Now()
			err := f.srv.Shutdown(ctx)
			took := time.Since(start)
			t.Logf("Shutdown took %s (err %v)", took.Round(time.Millisecond), err)
			if took > deadline+250*time.Millisecond {
				t.Fatalf("Shutdown took %s with a %s deadline", took, deadline)
			}
			// The sessions are gone soon after, and the server's lock was
			// never held while they ended.
			waitSessions(t, f.srv, 0)
		})
	}
}

func outputs(srv *Server) []*output {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	var outs []*output
	for s := range srv.sessions {
		if o := s.term.Load(); o != nil {
			outs = append(outs, o)
		}
	}
	return outs
}

// waitStuck waits until n sessions' writes have waited on their clients
// for a while: their SSH windows are full.
func waitStuck(t *testing.T, srv *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		stuck := 0
		for _, o := range outputs(srv) {
			if o.stalled(time.Now(), 300*time.Millisecond) {
				stuck++
			}
		}
		if stuck >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("fewer than %d sessions stuck on their clients", n)
}

// StatsEvery logs the counters; Shutdown logs how long it took.
func TestStatsAndShutdownLogged(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.StatsEvery = 20 * time.Millisecond })
	login(t, f, f.viewer, "hello user=vic")
	time.Sleep(100 * time.Millisecond)
	if err := f.srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.logMu.Lock()
	logged := strings.Join(f.log, "\n")
	f.logMu.Unlock()
	for _, want := range []string{"stats: sessions=1 total=1 ", " goroutines=", "shutdown: 1 sessions ended in "} {
		if !strings.Contains(logged, want) {
			t.Errorf("no %q in the log:\n%s", want, logged)
		}
	}
}
