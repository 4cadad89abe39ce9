package serve

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/ui"
)

// The offered-key attack of GHSA-pchf-49fh-w34r / CVE-2024-45337, with
// Debian's OpenSSH client as the attacker: it offers the commander's
// public key (it cannot use the private key; the server accepts the offer,
// so the public key callback ran for the commander), then authenticates
// with the viewer's key. The session must be the viewer's, and every
// write through its console's store is refused.
func TestOfferedKeyImpersonation(t *testing.T) {
	f := newFixture(t, nil)
	dir := t.TempDir()
	// The attacker has the commander's public key; the private half is
	// sealed with a passphrase it does not know (BatchMode cannot ask), so
	// ssh offers the key, hears it accepted, and cannot sign.
	writeSealed(t, filepath.Join(dir, "commander"), f.commander)
	viewerKey := writePrivate(t, filepath.Join(dir, "viewer"), f.viewer)
	out := runOpenSSH(t, f.addr, "hello user=", "-o", "IdentitiesOnly=yes",
		"-i", filepath.Join(dir, "commander"), "-i", viewerKey)
	if !strings.Contains(out, "hello user=vic role=viewer") {
		t.Fatalf("session output %q, want the viewer's", tail(out, 500))
	}
	if !strings.Contains(out, "Server accepts key: "+filepath.Join(dir, "commander")) {
		t.Fatalf("the commander's key was not offered and accepted first; ssh said:\n%s", tail(out, 3000))
	}
	s := <-f.seen.ch
	if s.User != "vic" || s.Role != incidents.RoleViewer {
		t.Fatalf("session is %s/%s, want vic/viewer", s.User, s.Role)
	}
	store := openStore(t)
	inc, err := store.Declare(t.Context(), incidents.Declaration{Key: "seed", Author: "cora", Title: "checkout down", Severity: "SEV2"})
	if err != nil {
		t.Fatal(err)
	}
	d := sessionDeps(t, store, s)
	for name, err := range allWrites(t, d.Session.Incidents, inc.ID) {
		if !errors.Is(err, incidents.ErrForbidden) {
			t.Errorf("%s as the impersonating viewer: err = %v, want ErrForbidden", name, err)
		}
	}
	if d.Session.User != "vic" || d.Session.Role != "viewer" {
		t.Errorf("console session = %+v", d.Session)
	}
}

// A client holding only a commander's public key never gets in.
func TestPublicKeyWithoutPrivateKeyRefused(t *testing.T) {
	f := newFixture(t, nil)
	_, err := open(t, f.addr, "xterm", 80, 24, nil, fakeSigner{f.commander.pub})
	if err == nil || !strings.Contains(err.Error(), "handshake failed") {
		t.Fatalf("err = %v, want the handshake to fail", err)
	}
	if n := f.srv.Stats().SessionsTotal; n != 0 {
		t.Fatalf("%d sessions started", n)
	}
}

func TestPasswordAndKeyboardInteractiveRefused(t *testing.T) {
	f := newFixture(t, nil)
	asked := false
	for name, auth := range map[string]gossh.AuthMethod{
		"password": gossh.Password("hunter2"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			asked = true
			return []string{"hunter2"}, nil
		}),
	} {
		_, err := gossh.Dial("tcp", f.addr, clientConfig("vic", auth))
		if err == nil {
			t.Fatalf("%s: logged in", name)
		}
		// The server offers publickey only, so the client has nothing left
		// to try.
		if !strings.Contains(err.Error(), "unable to authenticate") || !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if asked {
		t.Error("the server ran a keyboard-interactive challenge")
	}
}

// More than six failed attempts on one connection: disconnected before
// the seventh key, even when that key is authorized.
func TestMaxAuthTries(t *testing.T) {
	f := newFixture(t, nil)
	var signers []gossh.Signer
	for range 8 {
		signers = append(signers, newTestKey(t).signer)
	}
	signers = append(signers, f.viewer.signer)
	_, err := open(t, f.addr, "xterm", 80, 24, nil, signers...)
	if err == nil {
		t.Fatal("logged in after 8 failed attempts")
	}
	if !strings.Contains(err.Error(), "too many authentication failures") {
		t.Fatalf("err = %v, want a disconnect for too many failures", err)
	}
	// Six attempts are allowed: five bad keys, then a good one.
	_, err = open(t, f.addr, "xterm", 80, 24, nil, append(signers[:5:5], f.viewer.signer)...)
	if err != nil {
		t.Fatalf("sixth attempt with a good key: %v", err)
	}
}

// 200 connections stall in key exchange, each from its own address so the
// per-IP limit does not stop them; a real user still reaches the console
// in under 2 s, and the handshake timeout reaps the stalled ones.
func TestStalledHandshakesDoNotBlockUsers(t *testing.T) {
	// Long enough that no stalled connection can be cut before the user
	// is in, however slow the machine: being in while all 200 are still
	// open is the proof that they did not block the user.
	f := newFixture(t, func(c *Config) { c.HandshakeTimeout = 8 * time.Second })
	rss0 := rssKiB(t)
	var conns []net.Conn
	for i := range 200 {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(2+i%250))}}
		c, err := d.Dial("tcp", f.addr)
		if err != nil {
			t.Fatalf("stall %d: %v", i, err)
		}
		// Half send their version and stop; half send nothing at all.
		if i%2 == 0 {
			_, _ = c.Write([]byte("SSH-2.0-stall\r\n"))
		}
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the server start on all of them
	rss1 := rssKiB(t)

	start := time.Now()
	ts, err := open(t, f.addr, "xterm-256color", 80, 24, nil, f.responder.signer)
	if err != nil {
		t.Fatal(err)
	}
	ts.waitFor(t, "hello user=rita", 7*time.Second)
	took := time.Since(start)
	killed := f.srv.Stats().HandshakeKills
	t.Logf("with 200 stalled handshakes: console reached in %s; RSS %d KiB -> %d KiB (+%d KiB, %.1f KiB per stalled connection)",
		took.Round(time.Millisecond), rss0, rss1, rss1-rss0, float64(rss1-rss0)/200)
	if killed != 0 {
		t.Errorf("the user got in only after %d stalled handshakes were cut", killed)
	}
	deadline := time.Now().Add(20 * time.Second)
	for f.srv.Stats().HandshakeKills < 200 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := f.srv.Stats().HandshakeKills; n < 200 {
		t.Errorf("handshake timeout closed %d of 200 stalled connections", n)
	}
	// The stalled connections were closed by the server: after its version
	// line, reading ends (EOF), not at our deadline.
	for _, c := range []net.Conn{conns[0], conns[1]} {
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.ReadAll(c); err != nil {
			t.Errorf("a stalled connection is still open: %v", err)
		}
	}
}

func TestRateLimitPerIP(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.ConnsPerMinute, c.ConnBurst = 6, 3 })
	ok, refused := 0, 0
	for range 6 {
		_, err := open(t, f.addr, "xterm", 80, 24, nil, f.viewer.signer)
		if err != nil {
			refused++
		} else {
			ok++
		}
	}
	if ok != 3 || refused != 3 {
		t.Fatalf("%d logged in, %d refused; want a burst of 3 then refusals", ok, refused)
	}
	if n := f.srv.Stats().Refused; n != 3 {
		t.Fatalf("Refused = %d", n)
	}
	// Another address has its own bucket.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 9)}}
	c, err := d.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	conn, chans, reqs, err := gossh.NewClientConn(c, f.addr, clientConfig("vic", gossh.PublicKeys(f.viewer.signer)))
	if err != nil {
		t.Fatalf("another address was refused: %v", err)
	}
	gossh.NewClient(conn, chans, reqs).Close()
}

func TestIdleTimeoutClosesSession(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.IdleTimeout = 700 * time.Millisecond })
	ts, err := open(t, f.addr, "xterm", 80, 24, nil, f.viewer.signer)
	if err != nil {
		t.Fatal(err)
	}
	ts.waitFor(t, "hello user=vic", 3*time.Second)
	// Input keeps it open past the timeout...
	for range 4 {
		time.Sleep(300 * time.Millisecond)
		if _, err := ts.stdin.Write([]byte("x")); err != nil {
			t.Fatalf("session ended despite input: %v", err)
		}
	}
	// ...and silence closes it.
	select {
	case <-ts.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("an idle session was not closed")
	}
	if !strings.Contains(ts.output(), "without input") {
		t.Errorf("no reason shown: %q", tail(ts.output(), 300))
	}
	waitSessions(t, f.srv, 0)
}

func waitSessions(t *testing.T, srv *Server, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for srv.Stats().Sessions != want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := srv.Stats().Sessions; n != want {
		t.Fatalf("%d sessions counted, want %d", n, want)
	}
}

func TestMaxSessions(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxSessions = 2 })
	for _, k := range []testKey{f.commander, f.responder} {
		ts, err := open(t, f.addr, "xterm", 80, 24, nil, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		ts.waitFor(t, "hello", 3*time.Second)
	}
	if out := refusedSession(t, f.addr, f.commander.signer); !strings.Contains(out, "server is full") {
		t.Fatalf("third session: %q", out)
	}
}

// refusedSession opens a session that the server is expected to refuse
// and returns what it said.
func refusedSession(t *testing.T, addr string, signer gossh.Signer) string {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, clientConfig("oncall", gossh.PublicKeys(signer)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	_ = s.RequestPty("xterm", 24, 80, nil)
	out, _ := s.CombinedOutput("")
	return string(out)
}

// A viewer's console store refuses every write; a responder's refuses all
// but notes and evidence; a commander's allows all.
func TestRolesGuardEveryWrite(t *testing.T) {
	store := openStore(t)
	inc, err := store.Declare(t.Context(), incidents.Declaration{Key: "seed", Author: "cora", Title: "checkout down", Severity: "SEV2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		role    incidents.Role
		allowed []string
	}{
		{incidents.RoleViewer, nil},
		{incidents.RoleResponder, []string{"note", "evidence"}},
	} {
		d := sessionDeps(t, store, &Session{Identity: Identity{User: "u", Role: tc.role}})
		for name, err := range allWrites(t, d.Session.Incidents, inc.ID) {
			want := false
			for _, a := range tc.allowed {
				want = want || a == name
			}
			switch {
			case want && errors.Is(err, incidents.ErrForbidden):
				t.Errorf("%s: %s refused: %v", tc.role, name, err)
			case !want && !errors.Is(err, incidents.ErrForbidden):
				t.Errorf("%s: %s not refused: %v", tc.role, name, err)
			case !want && !strings.Contains(err.Error(), string(tc.role)):
				t.Errorf("%s: %s refusal does not say why: %v", tc.role, name, err)
			}
		}
	}
}

func TestSessionWithoutPtyOrWithCommandRefused(t *testing.T) {
	f := newFixture(t, nil)
	c, err := gossh.Dial("tcp", f.addr, clientConfig("vic", gossh.PublicKeys(f.viewer.signer)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	out, err := s.CombinedOutput("cat /etc/passwd")
	if err == nil || !strings.Contains(string(out), "needs a terminal") {
		t.Fatalf("exec without pty: err=%v out=%q", err, out)
	}
	s, _ = c.NewSession()
	_ = s.RequestPty("xterm", 24, 80, nil)
	out, err = s.CombinedOutput("cat /etc/passwd")
	if err == nil || !strings.Contains(string(out), "only runs the console") {
		t.Fatalf("exec with pty: err=%v out=%q", err, out)
	}
	if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		t.Fatal("port forwarding was allowed")
	}
}

func sessionDeps(t *testing.T, store incidents.Store, s *Session) ui.Deps {
	t.Helper()
	return consoleDeps(ui.Deps{Context: "test"}, store, s)
}

func openStore(t *testing.T) incidents.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "inc.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func rssKiB(t testing.TB) int {
	t.Helper()
	runtime.GC()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal(fmt.Errorf("no VmRSS"))
	return 0
}
