// Package serve is `reltui serve`: the console over SSH for an on-call
// team. It authenticates public keys only, maps each key to a user and a
// role, runs one bubbletea program per session with its own renderer,
// and protects itself with a handshake timeout, per-network rate limiting
// of new connections, session caps (in all, per user, per role), an idle
// timeout and a stall timeout for clients that stop reading.
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
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/incidents"
)

// Defaults for Config's zero values.
const (
	DefaultIdleTimeout      = 10 * time.Minute
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxSessions      = 64
	DefaultConnsPerMinute   = 30
	DefaultConnBurst        = 10
	// DefaultMaxSessionsPerUser leaves the other seats to the rest of the
	// team when one key or one person opens console after console.
	DefaultMaxSessionsPerUser = 4
	// DefaultIPv6Prefix is how many leading bits of an IPv6 address name
	// one client for the rate limit: one host usually owns a whole /64.
	DefaultIPv6Prefix = 64
	// DefaultLimiterAddresses bounds the rate limiter's memory.
	DefaultLimiterAddresses = 65536
	// endGrace is how long an ended session's program and goodbye get
	// before its connection is closed under it.
	endGrace = 2 * time.Second
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
	// this long after connecting, or has had none for this long since its
	// last one ended or was refused: stalled key exchanges, logins and
	// refused clients do not pile up connections.
	HandshakeTimeout time.Duration
	// StallTimeout disconnects a session whose client has taken none of
	// its output for this long (DefaultStallTimeout).
	StallTimeout time.Duration
	// OutputBuffer is how many bytes wait for a slow client before they
	// are replaced by one fresh frame (DefaultOutputBuffer).
	OutputBuffer int
	// MaxSessions is the most concurrent console sessions.
	MaxSessions int
	// MaxSessionsPerUser caps one user's concurrent sessions
	// (DefaultMaxSessionsPerUser; at most MaxSessions).
	MaxSessionsPerUser int
	// MaxSessionsPerRole caps each role's concurrent sessions; a role
	// missing here gets DefaultRoleCap.
	MaxSessionsPerRole map[incidents.Role]int
	// ConnsPerMinute and ConnBurst limit new connections per client
	// address (IPv4) or network (IPv6, see IPv6Prefix); a negative
	// ConnsPerMinute disables the limit.
	ConnsPerMinute float64
	ConnBurst      int
	// IPv6Prefix is the prefix length that names one IPv6 client for the
	// rate limit (DefaultIPv6Prefix).
	IPv6Prefix int
	// LimiterAddresses is how many addresses or networks the rate limit
	// remembers; past it the least recently seen is forgotten
	// (DefaultLimiterAddresses).
	LimiterAddresses int
	// Logf receives one line per notable event (refusals, session start
	// and end); nil discards them.
	Logf func(format string, args ...any)
	// StatsEvery logs the counters, the goroutine count and the bytes
	// queued for slow clients this often; 0 never does.
	StatsEvery time.Duration
	// ProgramOptions are added to every session's program (tests).
	ProgramOptions []tea.ProgramOption
}

// Stats are the server's counters.
type Stats struct {
	Sessions       int   // running now
	SessionsTotal  int64 // started since the server began
	Refused        int64 // connections refused by the rate limit
	HandshakeKills int64 // connections closed by the handshake timeout (no session for that long)
	Capped         int64 // sessions refused by a session cap
	Stalled        int64 // sessions disconnected because their client stopped reading
	FramesDropped  int64 // frames replaced by a fresh one for slow readers
	BytesOut       int64 // written to sessions' terminals
	Queued         int64 // waiting for slow clients now, in bytes
}

// Server is a running SSH console server.
type Server struct {
	cfg     Config
	srv     *ssh.Server
	limiter *ipLimiter

	mu       sync.Mutex
	sessions map[*Session]struct{}
	closed   bool
	stop     chan struct{} // closed by Shutdown
	stopOnce sync.Once

	total, refused, hsKills, capped, stalled, dropped, bytesOut atomic.Int64
	wg                                                          sync.WaitGroup
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
	if cfg.StallTimeout <= 0 {
		cfg.StallTimeout = DefaultStallTimeout
	}
	if cfg.OutputBuffer <= 0 {
		cfg.OutputBuffer = DefaultOutputBuffer
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxSessionsPerUser <= 0 {
		cfg.MaxSessionsPerUser = DefaultMaxSessionsPerUser
	}
	cfg.MaxSessionsPerUser = min(cfg.MaxSessionsPerUser, cfg.MaxSessions)
	roles := map[incidents.Role]int{}
	for _, r := range []incidents.Role{incidents.RoleViewer, incidents.RoleResponder, incidents.RoleCommander} {
		roles[r] = DefaultRoleCap(r, cfg.MaxSessions)
	}
	for r, n := range cfg.MaxSessionsPerRole {
		if n > 0 {
			roles[r] = min(n, cfg.MaxSessions)
		}
	}
	cfg.MaxSessionsPerRole = roles
	if cfg.IPv6Prefix <= 0 || cfg.IPv6Prefix > 128 {
		cfg.IPv6Prefix = DefaultIPv6Prefix
	}
	if cfg.LimiterAddresses <= 0 {
		cfg.LimiterAddresses = DefaultLimiterAddresses
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
	s := &Server{cfg: cfg, sessions: map[*Session]struct{}{}, stop: make(chan struct{})}
	if cfg.ConnsPerMinute > 0 {
		s.limiter = newIPLimiter(cfg.ConnsPerMinute, cfg.ConnBurst, cfg.IPv6Prefix, cfg.LimiterAddresses)
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
	if s.cfg.StatsEvery > 0 {
		go s.logStats(s.cfg.StatsEvery)
	}
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

// Shutdown ends every session and waits for their programs to finish
// until ctx ends; then it closes every connection that is left and
// returns, by ctx's deadline whatever the clients do. No lock is held
// while sessions end.
func (s *Server) Shutdown(ctx context.Context) error {
	start := time.Now()
	s.stopOnce.Do(func() { close(s.stop) })
	s.mu.Lock()
	s.closed = true
	live := make([]*Session, 0, len(s.sessions))
	for sess := range s.sessions {
		live = append(live, sess)
	}
	s.mu.Unlock()
	for _, sess := range live {
		sess.end("the server is shutting down")
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var waitErr error
	select {
	case <-done:
	case <-ctx.Done():
		waitErr = ctx.Err()
	}
	// Close drops the listeners and every connection at once; it waits on
	// nothing the clients control.
	err := s.srv.Close()
	s.cfg.Logf("shutdown: %d sessions ended in %s%s", len(live), time.Since(start).Round(time.Millisecond), suffix(errText(waitErr)))
	if waitErr != nil {
		return waitErr
	}
	return err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// logStats logs the counters every d until Shutdown.
func (s *Server) logStats(d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			st := s.Stats()
			s.cfg.Logf("stats: sessions=%d total=%d refused=%d capped=%d stalled=%d handshake_kills=%d frames_dropped=%d queued_bytes=%d goroutines=%d",
				st.Sessions, st.SessionsTotal, st.Refused, st.Capped, st.Stalled, st.HandshakeKills, st.FramesDropped, st.Queued, runtime.NumGoroutine())
		}
	}
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	n := len(s.sessions)
	var queued int64
	for sess := range s.sessions {
		if o := sess.term.Load(); o != nil {
			queued += int64(o.queued())
		}
	}
	s.mu.Unlock()
	return Stats{Sessions: n, Queued: queued, SessionsTotal: s.total.Load(), Refused: s.refused.Load(),
		HandshakeKills: s.hsKills.Load(), Capped: s.capped.Load(), Stalled: s.stalled.Load(),
		FramesDropped: s.dropped.Load(), BytesOut: s.bytesOut.Load()}
}

type connStateKey struct{}

// connState is one connection's timer: it closes the connection once it
// has had no session for HandshakeTimeout, after connecting or after its
// last session ended (a refused or finished session's client that keeps
// its connection open opening nothing).
type connState struct {
	timer *time.Timer
	wait  time.Duration

	mu   sync.Mutex
	live int // sessions running on this connection
}

// enter stops the timer: a session runs.
func (st *connState) enter() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.live++
	st.timer.Stop()
}

// leave arms the timer again when the connection's last session is gone.
func (st *connState) leave() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.live--
	if st.live == 0 {
		st.timer.Reset(st.wait)
	}
}

// onConn runs before the SSH handshake: it applies the per-IP rate limit
// and arms the handshake timeout.
func (s *Server) onConn(ctx ssh.Context, c net.Conn) net.Conn {
	if !s.limiter.allow(c.RemoteAddr()) {
		s.refused.Add(1)
		s.cfg.Logf("refused %s: too many new connections from this address", c.RemoteAddr())
		return nil
	}
	st := &connState{wait: s.cfg.HandshakeTimeout}
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

	ssh    ssh.Session
	lastIn atomic.Int64 // unix nanoseconds of the last input
	size   atomic.Int64 // the terminal's size now: width<<32 | height
	// hangup closes the session's connection; it unblocks every write.
	hangup   func()
	finished chan struct{} // closed when the session's run returns
	term     atomic.Pointer[output]

	mu     sync.Mutex // guards prog, ended, reason
	prog   *tea.Program
	ended  bool
	reason string // why the server ended the session
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

// end asks the session's program to stop; reason is shown to the user. It
// never waits: a program that has not finished endGrace later has its
// connection closed under it.
func (s *Session) end(reason string) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended, s.reason = true, reason
	p := s.prog
	s.mu.Unlock()
	if p != nil {
		go p.Quit()
	}
	time.AfterFunc(endGrace, func() {
		select {
		case <-s.finished:
		default:
			s.hangup()
		}
	})
}

// start records the session's program; a session ended before its program
// existed stops it at once.
func (s *Session) start(p *tea.Program) {
	s.mu.Lock()
	s.prog = p
	ended := s.ended
	s.mu.Unlock()
	if ended {
		go p.Quit()
	}
}

func (s *Session) why() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// DefaultRoleCap is a role's session cap when the config gives none:
// viewers may hold three quarters of the seats and responders seven
// eighths, so the people who act on an incident always find one free;
// commanders may take them all.
func DefaultRoleCap(r incidents.Role, maxSessions int) int {
	switch r {
	case incidents.RoleViewer:
		return max(1, maxSessions*3/4)
	case incidents.RoleResponder:
		return max(1, maxSessions*7/8)
	default:
		return maxSessions
	}
}

// add takes a slot for sess, or says which cap refused it.
func (s *Server) add(sess *Session) (refusal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "the server is shutting down"
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		return fmt.Sprintf("the server is full (%d sessions); try again later", s.cfg.MaxSessions)
	}
	var byUser, byRole int
	for o := range s.sessions {
		if o.User == sess.User {
			byUser++
		}
		if o.Role == sess.Role {
			byRole++
		}
	}
	if byUser >= s.cfg.MaxSessionsPerUser {
		return fmt.Sprintf("%s already has %d sessions, the most one user may have; close one first", sess.User, byUser)
	}
	if roleCap := s.cfg.MaxSessionsPerRole[sess.Role]; byRole >= roleCap {
		return fmt.Sprintf("the %d seats for the %s role are taken; try again later", roleCap, sess.Role)
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	return ""
}

func (s *Server) remove(sess *Session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.wg.Done()
}
