// Package serve is `reltui serve`: the console over SSH for an on-call
// team. It authenticates public keys only, maps each key to a user and a
// role, runs one bubbletea program per session with its own renderer,
// and protects itself with a handshake timeout, per-IP rate limiting of
// new connections, a session cap and an idle timeout.
//
// The identity of a session comes from the key that completed
// authentication (x/crypto/ssh hands back the Permissions of that key's
// callback; see GHSA-pchf-49fh-w34r and CVE-2024-45337), and it is checked
// again against the session's verified public key before the console
// starts.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults for Config's zero values.
const (
	DefaultIdleTimeout      = 10 * time.Minute
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxSessions      = 64
	DefaultConnsPerMinute   = 30
	DefaultConnBurst        = 10
	// MaxAuthTries is how many failed authentication attempts one
	// connection gets before it is disconnected (OpenSSH's default).
	MaxAuthTries = 6
)

// Permission extensions set by the public key callback of the key that
// completed authentication.
const (
	extUser = "reltui-user"
	extRole = "reltui-role"
	extKey  = "reltui-key-sha256"
)

// App builds the program of one session. It returns the model and a
// function that releases what the model holds; it is called once the
// program has ended.
type App func(s *Session) (tea.Model, func())

// Config configures a Server.
type Config struct {
	// Addr is host:port to listen on.
	Addr    string
	HostKey gossh.Signer
	Keys    *Keys
	// App builds each session's program.
	App App
	// IdleTimeout closes a session that sent no input for this long.
	IdleTimeout time.Duration
	// HandshakeTimeout closes a connection that has not opened a session
	// this long after connecting: stalled key exchanges and logins do not
	// pile up.
	HandshakeTimeout time.Duration
	// MaxSessions is the most concurrent console sessions.
	MaxSessions int
	// ConnsPerMinute and ConnBurst limit new connections per client IP; a
	// negative ConnsPerMinute disables the limit.
	ConnsPerMinute float64
	ConnBurst      int
	// Logf receives one line per notable event (refusals, session start
	// and end); nil discards them.
	Logf func(format string, args ...any)
	// ProgramOptions are added to every session's program (tests).
	ProgramOptions []tea.ProgramOption
}

// Stats are the server's counters.
type Stats struct {
	Sessions       int   // running now
	SessionsTotal  int64 // started since the server began
	Refused        int64 // connections refused by the rate limit
	HandshakeKills int64 // connections closed by the handshake timeout
	BytesOut       int64 // written to sessions' terminals
}

// Server is a running SSH console server.
type Server struct {
	cfg     Config
	srv     *ssh.Server
	limiter *ipLimiter

	mu       sync.Mutex
	sessions map[*Session]struct{}
	closed   bool

	total, refused, hsKills, bytesOut atomic.Int64
	wg                                sync.WaitGroup
}

// New validates cfg and builds the server; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.HostKey == nil {
		return nil, errors.New("serve: no host key")
	}
	if cfg.Keys == nil || cfg.Keys.Len() == 0 {
		return nil, errors.New("serve: no authorized keys; nobody could log in")
	}
	if cfg.App == nil {
		return nil, errors.New("serve: no App")
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.ConnsPerMinute == 0 {
		cfg.ConnsPerMinute = DefaultConnsPerMinute
	}
	if cfg.ConnBurst <= 0 {
		cfg.ConnBurst = DefaultConnBurst
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &Server{cfg: cfg, sessions: map[*Session]struct{}{}}
	if cfg.ConnsPerMinute > 0 {
		s.limiter = newIPLimiter(cfg.ConnsPerMinute, cfg.ConnBurst)
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("reltui"),
		wish.WithPublicKeyAuth(s.publicKey),
		func(srv *ssh.Server) error {
			srv.AddHostKey(cfg.HostKey)
			srv.ServerConfigCallback = s.serverConfig
			srv.ConnCallback = s.onConn
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				s.cfg.Logf("connection from %s failed: %v", c.RemoteAddr(), err)
			}
			// Sessions are the only channel type; no forwarding, no
			// subsystems (sftp), no agent.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.Handler = s.handle
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.srv = srv
	return s, nil
}

// Serve accepts connections on l until Close or Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Config.Addr and serves.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.Serve(l)
}

// Shutdown stops accepting, ends every session and waits for their
// programs to finish or ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for sess := range s.sessions {
		sess.end("the server is shutting down")
	}
	s.mu.Unlock()
	err := s.srv.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	n := len(s.sessions)
	s.mu.Unlock()
	return Stats{Sessions: n, SessionsTotal: s.total.Load(), Refused: s.refused.Load(),
		HandshakeKills: s.hsKills.Load(), BytesOut: s.bytesOut.Load()}
}

type connStateKey struct{}

// connState is one connection's pre-session timer.
type connState struct {
	timer *time.Timer
}

// onConn runs before the SSH handshake: it applies the per-IP rate limit
// and arms the handshake timeout.
func (s *Server) onConn(ctx ssh.Context, c net.Conn) net.Conn {
	if !s.limiter.allow(c.RemoteAddr()) {
		s.refused.Add(1)
		s.cfg.Logf("refused %s: too many new connections from this address", c.RemoteAddr())
		return nil
	}
	st := &connState{}
	st.timer = time.AfterFunc(s.cfg.HandshakeTimeout, func() {
		s.hsKills.Add(1)
		_ = c.Close()
	})
	ctx.SetValue(connStateKey{}, st)
	return c
}

func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		MaxAuthTries: MaxAuthTries,
		// Called once, for the key whose signature completed
		// authentication, with the Permissions its PublicKeyCallback
		// returned. The identity recorded there must be this key's.
		VerifiedPublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey, p *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			if p == nil || p.Extensions[extKey] != gossh.FingerprintSHA256(key) {
				return nil, errors.New("identity does not belong to the verified key")
			}
			return p, nil
		},
	}
}

// publicKey is the public key callback. x/crypto calls it for every key a
// client offers, with or without proof of the private key; what it
// records goes into the Permissions of that key only (charmbracelet/ssh
// resets them before each call), and x/crypto keeps the Permissions of
// the key that completes authentication.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	id, ok := s.cfg.Keys.Lookup(key)
	if !ok {
		return false
	}
	p := ctx.Permissions()
	if p.Extensions == nil {
		p.Extensions = map[string]string{}
	}
	p.Extensions[extUser] = id.User
	p.Extensions[extRole] = string(id.Role)
	p.Extensions[extKey] = gossh.FingerprintSHA256(key)
	return true
}

// identity is the session's identity, taken from the Permissions of the
// key that completed authentication and checked against the session's
// public key and the authorized key list.
func (s *Server) identity(sess ssh.Session) (Identity, error) {
	key := sess.PublicKey()
	if key == nil {
		return Identity{}, errors.New("no public key")
	}
	ext := sess.Permissions().Extensions
	want, ok := s.cfg.Keys.Lookup(key)
	switch {
	case !ok:
		return Identity{}, errors.New("the session's key is not authorized")
	case ext[extKey] != gossh.FingerprintSHA256(key):
		return Identity{}, errors.New("the authenticated key and the session's key differ")
	case ext[extUser] != want.User || ext[extRole] != string(want.Role):
		return Identity{}, errors.New("the recorded identity does not match the key's")
	}
	return want, nil
}

// Session is one SSH console session.
type Session struct {
	Identity
	// Renderer is this session's lipgloss renderer (its terminal's colour
	// profile and background).
	Renderer *lipgloss.Renderer
	// Environ is what the client sent (TERM, and NO_COLOR or RELTUI_THEME
	// if its SendEnv allows).
	Environ []string
	// Width and Height are the terminal size at start.
	Width, Height int
	// Output is the terminal, for OSC 52 copy.
	Output io.Writer
	// RemoteAddr is the client's address.
	RemoteAddr net.Addr

	ssh     ssh.Session
	prog    *tea.Program
	lastIn  atomic.Int64 // unix nanoseconds of the last input
	endOnce sync.Once
	reason  atomic.Value // string: why the server ended the session
}

// Getenv returns the client-sent environment variable k.
func (s *Session) Getenv(k string) string { return environ(s.Environ).Getenv(k) }

func cutEnv(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return "", "", false
}

// end stops the session's program; reason is shown to the user.
func (s *Session) end(reason string) {
	s.endOnce.Do(func() {
		s.reason.Store(reason)
		if s.prog != nil {
			s.prog.Quit()
		}
	})
}

func (s *Server) add(sess *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.sessions) >= s.cfg.MaxSessions {
		return false
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) remove(sess *Session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.wg.Done()
}
