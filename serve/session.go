package serve

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// bgQueryTimeout bounds the wait for the terminal to say its background
// colour. Terminals answer in a round trip; one that does not support the
// query answers the device-attributes query that follows it.
const bgQueryTimeout = time.Second

// handle runs one session: identity check, session cap, terminal, then
// the program until it quits, the client goes away, or it idles out.
func (s *Server) handle(ss ssh.Session) {
	if st, ok := ss.Context().Value(connStateKey{}).(*connState); ok {
		st.enter()
		defer st.leave() // runs last, once the session has freed its slot
	}
	id, err := s.identity(ss)
	if err != nil {
		s.cfg.Logf("refused session from %s: %v", ss.RemoteAddr(), err)
		fmt.Fprintln(ss.Stderr(), "reltui: access denied")
		_ = ss.Exit(1)
		return
	}
	ptyReq, winCh, isPty := ss.Pty()
	if !isPty {
		fmt.Fprintln(ss.Stderr(), "reltui: the console needs a terminal; connect with ssh -t")
		_ = ss.Exit(1)
		return
	}
	if len(ss.Command()) > 0 {
		fmt.Fprintln(ss.Stderr(), "reltui: this server only runs the console; connect without a command")
		_ = ss.Exit(1)
		return
	}
	sess := &Session{
		Identity: id, Environ: append(ss.Environ(), "TERM="+ptyReq.Term),
		Width: ptyReq.Window.Width, Height: ptyReq.Window.Height,
		RemoteAddr: ss.RemoteAddr(), ssh: ss, hangup: hangupOf(ss), finished: make(chan struct{}),
	}
	sess.setSize(sess.Width, sess.Height)
	if why := s.add(sess); why != "" {
		s.capped.Add(1)
		s.cfg.Logf("refused session for %s from %s: %s", id.User, ss.RemoteAddr(), why)
		fmt.Fprintf(ss.Stderr(), "reltui: %s\n", why)
		_ = ss.Exit(1)
		return
	}
	defer s.remove(sess)
	defer close(sess.finished)
	s.total.Add(1)
	s.run(sess, ss, winCh)
}

// hangupOf closes the session's SSH connection: every write waiting on
// the client fails and the session's context ends.
func hangupOf(ss ssh.Session) func() {
	if c, ok := ss.Context().Value(ssh.ContextKeyConn).(io.Closer); ok {
		return func() { _ = c.Close() }
	}
	return func() { _ = ss.Close() }
}

func (sess *Session) setSize(w, h int) { sess.size.Store(int64(w)<<32 | int64(uint32(h))) }

func (sess *Session) sizeNow() (w, h int) {
	v := sess.size.Load()
	return int(v >> 32), int(uint32(v))
}

func (s *Server) run(sess *Session, ss ssh.Session, winCh <-chan ssh.Window) {
	start := time.Now()
	var p *tea.Program
	var progReady = make(chan struct{})
	out := newOutput(ss, s.cfg.OutputBuffer, &s.bytesOut, &s.dropped, func() {
		// A window size message makes the renderer forget what it drew
		// and draw the whole frame again.
		<-progReady
		w, h := sess.sizeNow()
		p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	})
	in := newInputPump(ss, func() { sess.lastIn.Store(time.Now().UnixNano()) }, func(err error) {
		if ss.Context().Err() != nil {
			return // the connection is gone: the program ends with it
		}
		// The channel's EOF with the connection still open (an OpenSSH
		// client whose terminal went away, ssh -tt < /dev/null): no key
		// can reach this session again, so it must not hold its seat
		// until the idle timeout.
		s.cfg.Logf("input closed: %s from %s (%v)", sess.User, sess.RemoteAddr, err)
		sess.end("the terminal closed its input")
	})
	defer in.stop()
	sess.lastIn.Store(start.UnixNano())
	sess.Output = out
	sess.term.Store(out)
	sess.Renderer = newRenderer(out, in, sess.Getenv("TERM"), sess.Environ)

	model, release := s.cfg.App(sess)
	opts := append([]tea.ProgramOption{
		tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen(),
		tea.WithContext(ss.Context()),
		// One process serves every session: a signal must not quit them
		// all, and the SSH client delivers ctrl+c as input anyway.
		tea.WithoutSignalHandler(),
		tea.WithEnvironment(sess.Environ),
	}, s.cfg.ProgramOptions...)
	p = tea.NewProgram(model, opts...)
	close(progReady)
	sess.start(p)
	s.cfg.Logf("session start: %s (%s) from %s", sess.User, sess.Role, sess.RemoteAddr)

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.forwardWindow(p, winCh, sess, done) }()
	go func() { defer wg.Done(); s.watch(sess, out, done) }()

	_, err := p.Run()
	in.stop() // what the input does from now on is no reason to end anything
	close(done)
	wg.Wait()
	if release != nil {
		release()
	}
	why := sess.why()
	switch {
	case why != "":
		fmt.Fprintf(out, "\r\nreltui: %s\r\n", why)
	case err != nil && ss.Context().Err() == nil && err != tea.ErrProgramKilled:
		fmt.Fprintf(out, "\r\nreltui: the console stopped: %v\r\n", err)
	}
	s.cfg.Logf("session end: %s from %s after %s%s", sess.User, sess.RemoteAddr, time.Since(start).Round(time.Second), suffix(why))
	if !out.close(endGrace) {
		// The client does not take what is left: nothing more can reach it.
		sess.hangup()
		return
	}
	_ = ss.Exit(0)
	_ = ss.Close()
}

// forwardWindow passes terminal size changes to the program.
func (s *Server) forwardWindow(p *tea.Program, winCh <-chan ssh.Window, sess *Session, done <-chan struct{}) {
	p.Send(tea.WindowSizeMsg{Width: sess.Width, Height: sess.Height})
	for {
		select {
		case <-done:
			return
		case w, ok := <-winCh:
			if !ok {
				return
			}
			sess.setSize(w.Width, w.Height)
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// watch ends the session after IdleTimeout without input (output does not
// count: the console redraws its clock on its own), and disconnects it
// when its client has taken no output for StallTimeout: such a client
// cannot be told anything, so its connection is closed at once.
func (s *Server) watch(sess *Session, out *output, done <-chan struct{}) {
	idle, stall := s.cfg.IdleTimeout, s.cfg.StallTimeout
	check := min(max(min(idle, stall)/10, 10*time.Millisecond), 5*time.Second)
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			if out.stalled(now, stall) {
				s.stalled.Add(1)
				s.cfg.Logf("stalled: %s from %s took no output for %s; disconnected", sess.User, sess.RemoteAddr, stall)
				sess.end(fmt.Sprintf("disconnected: the terminal took no output for %s", stall))
				sess.hangup()
				return
			}
			last := time.Unix(0, sess.lastIn.Load())
			if now.Sub(last) >= idle {
				s.cfg.Logf("idle timeout: %s from %s", sess.User, sess.RemoteAddr)
				sess.end(fmt.Sprintf("session closed after %s without input", idle))
				return
			}
		}
	}
}

// inputPump reads the session on one goroutine for the session's whole
// life, so nothing else ever has a read in flight on it: a background
// colour query that times out cannot leave a reader behind that would
// eat the user's first keys. It ends when the session's input does, and
// then calls onEnd with the read's error (io.EOF when the client closed
// its input), unless stop came first.
type inputPump struct {
	ch      chan []byte
	quit    chan struct{} // closed by stop: nobody reads ch any more
	once    sync.Once
	pending []byte
	onInput func()
	onEnd   func(error)
	mu      sync.Mutex // guards err
	err     error
}

func newInputPump(r io.Reader, onInput func(), onEnd func(error)) *inputPump {
	p := &inputPump{ch: make(chan []byte, 16), quit: make(chan struct{}), onInput: onInput, onEnd: onEnd}
	go p.run(r)
	return p
}

func (p *inputPump) run(r io.Reader) {
	defer close(p.ch)
	for {
		buf := make([]byte, 1024)
		n, err := r.Read(buf)
		if n > 0 {
			p.onInput()
			select {
			case p.ch <- buf[:n]:
			case <-p.quit:
				return
			}
		}
		if err != nil {
			p.mu.Lock()
			p.err = err
			p.mu.Unlock()
			select {
			case <-p.quit:
			default:
				if p.onEnd != nil {
					p.onEnd(err)
				}
			}
			return
		}
	}
}

// stop lets the pump end once the session's program is gone, instead of
// waiting forever to hand over input nobody reads.
func (p *inputPump) stop() { p.once.Do(func() { close(p.quit) }) }

// Read implements io.Reader for the program.
func (p *inputPump) Read(b []byte) (int, error) {
	if len(p.pending) == 0 {
		chunk, ok := <-p.ch
		if !ok {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.err == nil {
				return 0, io.EOF
			}
			return 0, p.err
		}
		p.pending = chunk
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// query writes q and collects input until stop says the answer is
// complete or the timeout passes. Input that is not part of the answer is
// kept for the program.
func (p *inputPump) query(w io.Writer, q string, timeout time.Duration, stop func([]byte) int) []byte {
	if _, err := io.WriteString(w, q); err != nil {
		return nil
	}
	var got []byte
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if end := stop(got); end >= 0 {
			p.pending = append(p.pending, got[end:]...)
			return got[:end]
		}
		select {
		case chunk, ok := <-p.ch:
			if !ok {
				return nil
			}
			got = append(got, chunk...)
		case <-deadline.C:
			p.pending = append(p.pending, got...)
			return nil
		}
	}
}

// newRenderer builds the session's lipgloss renderer from the client's
// TERM and environment, and asks the terminal for its background colour
// so adaptive colours suit it (what wish's bubbletea.MakeRenderer does,
// but through the session's one input pump).
func newRenderer(out io.Writer, in *inputPump, term string, env []string) *lipgloss.Renderer {
	if term == "" || term == "dumb" {
		return lipgloss.NewRenderer(out, termenv.WithProfile(termenv.Ascii))
	}
	r := lipgloss.NewRenderer(out, termenv.WithEnvironment(environ(env)), termenv.WithUnsafe(), termenv.WithColorCache(true))
	// OSC 11 asks for the background; DA1 follows so that a terminal that
	// ignores OSC 11 still answers something and we stop waiting.
	answer := in.query(out, "\x1b]11;?\x07\x1b[c", bgQueryTimeout, da1End)
	if dark, ok := parseBackground(answer); ok {
		r.SetHasDarkBackground(dark)
	}
	return r
}

// da1End returns the index just after a DA1 answer (ESC [ ? ... c) in b,
// or -1.
func da1End(b []byte) int {
	i := bytes.Index(b, []byte("\x1b[?"))
	if i < 0 {
		return -1
	}
	for j := i + 3; j < len(b); j++ {
		c := b[j]
		switch {
		case c == 'c':
			return j + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return -1
		}
	}
	return -1
}

// parseBackground reads an OSC 11 answer (rgb:RRRR/GGGG/BBBB) and says
// whether the colour is dark.
func parseBackground(b []byte) (dark, ok bool) {
	i := bytes.Index(b, []byte("]11;rgb:"))
	if i < 0 {
		return false, false
	}
	rest := string(b[i+len("]11;rgb:"):])
	if j := strings.IndexAny(rest, "\x07\x1b"); j >= 0 {
		rest = rest[:j]
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for k, h := range parts {
		if len(h) == 0 || len(h) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(h, 16, 16)
		if err != nil {
			return false, false
		}
		c[k] = float64(v) / float64(uint64(1)<<(4*len(h))-1)
	}
	lum := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	return lum < 0.5, true
}

type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string {
	for _, kv := range e {
		if name, v, ok := cutEnv(kv); ok && name == k {
			return v
		}
	}
	return ""
}

func suffix(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}
