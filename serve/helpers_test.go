package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/incidents"
)

// testKey is a client key pair.
type testKey struct {
	signer gossh.Signer
	pub    gossh.PublicKey
	priv   ed25519.PrivateKey
}

func newTestKey(t testing.TB) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: s, pub: s.PublicKey(), priv: priv}
}

// authorizedLine renders k as an authorized_keys line with reltui options.
func (k testKey) authorizedLine(user, role string) string {
	return fmt.Sprintf(`reltui-user="%s",reltui-role="%s" %s`, user, role, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.pub))))
}

// fakeSigner offers a real public key but cannot sign with it: the
// client holds no private key, so every signature it sends is garbage.
type fakeSigner struct{ pub gossh.PublicKey }

func (f fakeSigner) PublicKey() gossh.PublicKey { return f.pub }
func (f fakeSigner) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return &gossh.Signature{Format: f.pub.Type(), Blob: bytes.Repeat([]byte{7}, 64)}, nil
}

// seen records every session the test App was asked to run.
type seen struct {
	mu       sync.Mutex
	sessions []*Session
	ch       chan *Session
}

func newSeen() *seen { return &seen{ch: make(chan *Session, 512)} }

// helloApp shows who the session is, styled with the session's renderer.
func (sn *seen) app(s *Session) (tea.Model, func()) {
	sn.mu.Lock()
	sn.sessions = append(sn.sessions, s)
	sn.mu.Unlock()
	select {
	case sn.ch <- s:
	default:
	}
	st := s.Renderer.NewStyle().Foreground(lipgloss.Color("212"))
	return helloModel{text: st.Render(fmt.Sprintf("hello user=%s role=%s", s.User, s.Role))}, nil
}

type helloModel struct {
	text string
	w, h int
}

func (m helloModel) Init() tea.Cmd { return nil }
func (m helloModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m helloModel) View() string { return fmt.Sprintf("%s size=%dx%d", m.text, m.w, m.h) }

// fixture is a server on loopback with three users.
type fixture struct {
	srv                          *Server
	addr                         string
	commander, responder, viewer testKey
	seen                         *seen
	logMu                        sync.Mutex
	log                          []string
}

func newFixture(t *testing.T, mod func(*Config)) *fixture { return newFixtureTB(t, mod) }

func newFixtureTB(t testing.TB, mod func(*Config)) *fixture {
	t.Helper()
	f := &fixture{commander: newTestKey(t), responder: newTestKey(t), viewer: newTestKey(t), seen: newSeen()}
	keys := NewKeys()
	file := strings.Join([]string{
		f.commander.authorizedLine("cora", "commander"),
		f.responder.authorizedLine("rita", "responder"),
		f.viewer.authorizedLine("vic", "viewer"),
	}, "\n")
	if err := ParseAuthorizedKeys("authorized_keys", []byte(file), keys, nil); err != nil {
		t.Fatal(err)
	}
	host := newTestKey(t)
	cfg := Config{
		Addr: "127.0.0.1:0", HostKey: host.signer, Keys: keys, App: f.seen.app,
		Logf: func(format string, args ...any) {
			f.logMu.Lock()
			f.log = append(f.log, fmt.Sprintf(format, args...))
			f.logMu.Unlock()
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	f.srv, f.addr = srv, l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		_ = srv.Shutdown(t.Context())
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return f
}

func clientConfig(user string, auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: user, Auth: auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // loopback test server
		Timeout:         10 * time.Second,
	}
}

// termSession is a client session with a pty and a reader of its output.
type termSession struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	mu     sync.Mutex
	out    bytes.Buffer
	closed chan struct{}
}

// open dials, authenticates with signers and starts a console session of
// w x h on term, answering the terminal queries the way a terminal would.
func open(t testing.TB, addr string, term string, w, h int, env map[string]string, signers ...gossh.Signer) (*termSession, error) {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, clientConfig("oncall", gossh.PublicKeys(signers...)))
	if err != nil {
		return nil, err
	}
	return startTerm(t, c, term, w, h, env)
}

func startTerm(t testing.TB, c *gossh.Client, term string, w, h int, env map[string]string) (*termSession, error) {
	s, err := c.NewSession()
	if err != nil {
		c.Close()
		return nil, err
	}
	for k, v := range env {
		if err := s.Setenv(k, v); err != nil {
			c.Close()
			return nil, fmt.Errorf("setenv: %w", err)
		}
	}
	if err := s.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		c.Close()
		return nil, err
	}
	ts := &termSession{client: c, sess: s, closed: make(chan struct{})}
	ts.stdin, _ = s.StdinPipe()
	stdout, _ := s.StdoutPipe()
	if err := s.Shell(); err != nil {
		c.Close()
		return nil, err
	}
	go func() {
		defer close(ts.closed)
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				ts.mu.Lock()
				ts.out.Write(buf[:n])
				answer := bytes.Contains(buf[:n], []byte("\x1b[c"))
				ts.mu.Unlock()
				if answer {
					// A dark terminal answering OSC 11, then DA1.
					_, _ = io.WriteString(ts.stdin, "\x1b]11;rgb:1010/1010/1010\x07\x1b[?62;22c")
				}
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { c.Close() })
	return ts, nil
}

func (ts *termSession) output() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.out.String()
}

// waitFor polls the output until it contains want.
func (ts *termSession) waitFor(t testing.TB, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if strings.Contains(ts.output(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %q within %s; output:\n%q", want, within, tail(ts.output(), 2000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// allWrites tries every kind of write a store accepts and returns each
// error by name.
func allWrites(t testing.TB, st incidents.Store, id int64) map[string]error {
	t.Helper()
	ctx := t.Context()
	out := map[string]error{}
	_, out["declare"] = st.Declare(ctx, incidents.Declaration{Key: "k-declare", Author: "x", Title: "t", Severity: "SEV2"})
	for name, w := range map[string]incidents.Write{
		"note":      {Key: "k-note", Author: "x", Kind: incidents.KindNote, Text: "n"},
		"evidence":  {Key: "k-ev", Author: "x", Kind: incidents.KindEvidence, Evidence: &incidents.Evidence{Kind: incidents.EvidenceLog, Source: "loki", Query: `{app="x"}`}},
		"milestone": {Key: "k-ms", Author: "x", Kind: incidents.KindMilestone, Milestone: incidents.Mitigated, At: time.Now()},
		"resolve":   {Key: "k-res", Author: "x", Kind: incidents.KindMilestone, Milestone: incidents.Resolved, At: time.Now()},
		"update":    {Key: "k-up", Author: "x", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{Title: "new"}},
	} {
		_, out[name] = st.Append(ctx, id, w)
	}
	return out
}

func writePublic(t testing.TB, path string, pub gossh.PublicKey) {
	t.Helper()
	if err := os.WriteFile(path, gossh.MarshalAuthorizedKey(pub), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writePrivate writes k's private key in OpenSSH format and returns the path.
func writePrivate(t testing.TB, path string, k testKey) string {
	t.Helper()
	if k.priv == nil {
		t.Fatal("key has no private half")
	}
	block, err := gossh.MarshalPrivateKey(k.priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	writePublic(t, path+".pub", k.pub)
	return path
}

// writeSealed writes k's private key under a passphrase nobody knows.
func writeSealed(t testing.TB, path string, k testKey) {
	t.Helper()
	block, err := gossh.MarshalPrivateKeyWithPassphrase(k.priv, "", []byte(rand.Text()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	writePublic(t, path+".pub", k.pub)
}

// runOpenSSH runs Debian's ssh client against addr with a pty until its
// output contains want (or 15 s pass), then ends it, and returns stdout
// and its verbose log.
func runOpenSSH(t testing.TB, addr, want string, args ...string) string {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	all := append([]string{"-tt", "-v", "-p", port, "-F", "/dev/null",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "PasswordAuthentication=no"}, args...)
	all = append(all, "oncall@"+host)
	cmd := exec.CommandContext(ctx, "ssh", all...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	var buf syncBuffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil && !strings.Contains(buf.String(), want) {
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return buf.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
