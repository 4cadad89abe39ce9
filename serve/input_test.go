package serve

import (
	"strings"
	"testing"
	"time"
)

// A client that closes its input (the SSH channel's EOF, as an OpenSSH
// client left running after its terminal went away sends) but keeps the
// connection open can never type again: its session ends at once with
// a reason, instead of holding its seat until the idle timeout, and the
// seat goes to the user's next login.
func TestClientThatClosesItsInputEndsItsSession(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.IdleTimeout = time.Minute
		c.MaxSessionsPerUser = 1
	})
	ts, err := open(t, f.addr, "xterm-256color", 80, 24, nil, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	ts.waitFor(t, "hello user=vic", 5*time.Second)
	// The channel's EOF; the connection and the channel stay open.
	if err := ts.stdin.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ts.closed:
	case <-time.After(5 * time.Second):
		t.Fatalf("the session outlived its client's input by 5 s (idle timeout %s); %d sessions counted",
			time.Minute, f.srv.Stats().Sessions)
	}
	if out := ts.output(); !strings.Contains(out, "reltui: the terminal closed its input") {
		t.Errorf("no reason shown; output ends %q", tail(out, 300))
	}
	deadline := time.Now().Add(3 * time.Second)
	for f.srv.Stats().Sessions != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := f.srv.Stats().Sessions; n != 0 {
		t.Fatalf("%d sessions still counted after the session ended", n)
	}
	next, err := open(t, f.addr, "xterm-256color", 80, 24, nil, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	next.waitFor(t, "hello user=vic", 5*time.Second)
}

// A client refused a session (here by the per-user cap) that keeps its
// connection open, opening nothing more, has that connection closed once
// it has gone HandshakeTimeout without a session, as a connection that
// never opened one does: refused logins cannot pile up connections. The
// connection of a session that is still running is left alone.
func TestConnectionWithoutSessionIsClosed(t *testing.T) {
	const timeout = 2 * time.Second
	f := newFixture(t, func(c *Config) {
		c.HandshakeTimeout = timeout
		c.MaxSessionsPerUser = 1
	})
	first, err := open(t, f.addr, "xterm-256color", 80, 24, nil, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	first.waitFor(t, "hello user=vic", 5*time.Second)
	refused, err := open(t, f.addr, "xterm-256color", 80, 24, nil, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-refused.closed: // the session channel: refused by the cap
	case <-time.After(5 * time.Second):
		t.Fatal("the second session of a user capped at one was not refused")
	}
	f.logMu.Lock()
	logged := strings.Join(f.log, "\n")
	f.logMu.Unlock()
	if !strings.Contains(logged, "already has 1 sessions") {
		t.Fatalf("no refusal by the per-user cap logged:\n%s", logged)
	}
	start := time.Now()
	gone := make(chan error, 1)
	go func() { gone <- refused.client.Wait() }()
	select {
	case <-gone:
		t.Logf("the refused client's connection was closed %s after its session ended", time.Since(start).Round(10*time.Millisecond))
	case <-time.After(timeout + 3*time.Second):
		t.Fatalf("the refused client's connection is still open %s after its session ended (timeout %s)", time.Since(start).Round(time.Second), timeout)
	}
	select {
	case <-first.closed:
		t.Fatal("the running session's connection was closed too")
	default:
	}
	if n := f.srv.Stats().Sessions; n != 1 {
		t.Fatalf("%d sessions counted, want the first one", n)
	}
}
