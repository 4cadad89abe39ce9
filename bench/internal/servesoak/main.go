// Command servesoak drives `reltui serve` on loopback with real OpenSSH
// clients, each in its own pty (util-linux script): healthy sessions with
// a live tail and the Incidents pane open, and optionally five hostile
// clients. It prints key-to-frame latency of the healthy sessions, the
// server's RSS and goroutines, the sessions still counted after every
// client has gone, and how long Shutdown took. bench/serve-soak.sh runs it
// twice, without and with the hostile clients.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type options struct {
	reltui, config, work string
	port                 int
	duration             time.Duration
	healthy              int
	hostile              bool
	dump                 string // where to write a goroutine dump of a wedged server
}

func main() {
	var o options
	flag.StringVar(&o.reltui, "reltui", "", "the reltui binary")
	flag.StringVar(&o.config, "config", "", "the dev stack's config file")
	flag.StringVar(&o.work, "work", "", "a scratch directory")
	flag.IntVar(&o.port, "port", 22022, "port to serve on")
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long to measure")
	flag.IntVar(&o.healthy, "healthy", 20, "healthy sessions")
	flag.BoolVar(&o.hostile, "hostile", false, "add the five hostile clients")
	flag.StringVar(&o.dump, "dump", "", "if sessions are wedged, SIGQUIT the server instead of timing Shutdown and write its goroutine dump here")
	flag.Parse()
	if o.reltui == "" || o.config == "" || o.work == "" {
		fmt.Fprintln(os.Stderr, "usage: servesoak -reltui BIN -config FILE -work DIR [-duration 10m] [-hostile]")
		os.Exit(2)
	}
	r, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servesoak:", err)
		os.Exit(1)
	}
	r.print(os.Stdout)
}

// result is one run's figures.
type result struct {
	hostile                bool
	duration               time.Duration
	samples                []time.Duration
	timeouts               int64
	rssStart, rssEnd, peak int64 // KiB
	gorStart, gorEnd       int
	// The floor (fewest) of the 35 s after the start and before the end:
	// every session's SLO pane refreshes every 30 s and briefly adds up
	// to a hundred goroutines, so one sample lands on a burst or not.
	gorStartFloor, gorEndFloor, gorPeak int
	gorAfter                            int // goroutines once every client has gone
	wedged                              int // sessions still counted then
	shutdown                            time.Duration
	stats                               string // the server's last stats line
	dumped                              string // where the wedged server's goroutines went (no Shutdown then)
	hostiles                            map[string]*atomic.Int64
}

func (r *result) print(w io.Writer) {
	sort.Slice(r.samples, func(i, j int) bool { return r.samples[i] < r.samples[j] })
	fmt.Fprintf(w, "run: hostile=%v duration=%s\n", r.hostile, r.duration)
	fmt.Fprintf(w, "latency_samples: %d (timeouts %d)\n", len(r.samples), r.timeouts)
	fmt.Fprintf(w, "latency_p50_ms: %.1f\n", ms(pct(r.samples, 0.50)))
	fmt.Fprintf(w, "latency_p99_ms: %.1f\n", ms(pct(r.samples, 0.99)))
	fmt.Fprintf(w, "rss_start_kib: %d\nrss_end_kib: %d\nrss_peak_kib: %d\n", r.rssStart, r.rssEnd, r.peak)
	fmt.Fprintf(w, "goroutines_start: %d\ngoroutines_end: %d\ngoroutines_after_clients_left: %d\n", r.gorStart, r.gorEnd, r.gorAfter)
	fmt.Fprintf(w, "goroutines_floor_first_35s: %d\ngoroutines_floor_last_35s: %d\ngoroutines_peak: %d\n", r.gorStartFloor, r.gorEndFloor, r.gorPeak)
	fmt.Fprintf(w, "wedged_sessions: %d\n", r.wedged)
	if r.dumped != "" {
		fmt.Fprintf(w, "shutdown_ms: not measured (goroutine dump in %s)\n", r.dumped)
	} else {
		fmt.Fprintf(w, "shutdown_ms: %.0f\n", ms(r.shutdown))
	}
	names := make([]string, 0, len(r.hostiles))
	for n := range r.hostiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "hostile_%s: %d\n", n, r.hostiles[n].Load())
	}
	fmt.Fprintf(w, "server_stats: %s\n", r.stats)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(s []time.Duration, p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	i := int(float64(len(s))*p+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func run(o options) (*result, error) {
	cfgPath, err := setup(o)
	if err != nil {
		return nil, err
	}
	srv, err := startServer(o, cfgPath)
	if err != nil {
		return nil, err
	}
	defer srv.kill()
	res := &result{hostile: o.hostile, duration: o.duration, hostiles: map[string]*atomic.Int64{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var sessions []*term
	for i := range o.healthy {
		t, err := startSSH(o, fmt.Sprintf("u%02d", i+1), fmt.Sprintf("127.0.1.%d", i+1))
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, t)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ready := make(chan error, len(sessions))
	for _, t := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := t.openRoom(); err != nil {
				ready <- err
				return
			}
			ready <- nil
			for ctx.Err() == nil {
				ds := t.helpLatency(ctx)
				mu.Lock()
				res.samples = append(res.samples, ds...)
				if len(ds) < 2 && ctx.Err() == nil {
					res.timeouts++
				}
				mu.Unlock()
				if len(ds) < 2 && ctx.Err() == nil {
					// Lost track of the toggle: close the help if open.
					t.send("\x1b")
					time.Sleep(time.Second)
				}
			}
		}()
	}
	for range sessions {
		if err := <-ready; err != nil {
			return nil, err
		}
	}
	var hwg sync.WaitGroup
	if o.hostile {
		startHostiles(ctx, o, &hwg, res.hostiles)
	}
	time.Sleep(2 * time.Second)
	res.rssStart, res.gorStart = rss(srv.pid()), srv.goroutines()
	measured := time.Now()
	sampler := time.NewTicker(time.Second)
	end := time.After(o.duration)
measure:
	for {
		select {
		case <-end:
			break measure
		case <-sampler.C:
			res.peak = max(res.peak, rss(srv.pid()))
		}
	}
	sampler.Stop()
	res.rssEnd, res.gorEnd = rss(srv.pid()), srv.goroutines()
	res.gorStartFloor, _ = srv.goroutineRange(measured, measured.Add(35*time.Second))
	res.gorEndFloor, _ = srv.goroutineRange(time.Now().Add(-35*time.Second), time.Now())
	_, res.gorPeak = srv.goroutineRange(measured, time.Now())
	cancel()
	wg.Wait()
	hwg.Wait()
	for _, t := range sessions {
		t.quit()
	}
	// Every client has gone: what the server still counts is wedged.
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(1500 * time.Millisecond)
		if n, _ := srv.sessions(); n == 0 {
			break
		}
	}
	res.wedged, _ = srv.sessions()
	res.gorAfter = srv.goroutines()
	res.stats = srv.lastStats()
	if res.wedged > 0 && o.dump != "" {
		res.dumped = o.dump
		return res, srv.dumpGoroutines(o.dump)
	}
	res.shutdown, err = srv.stop()
	return res, err
}

// setup writes the keys, authorized_keys and a config: the dev stack's
// contexts plus a serve block and a private incident database.
func setup(o options) (string, error) {
	if err := os.MkdirAll(o.work, 0o700); err != nil {
		return "", err
	}
	var ak strings.Builder
	users := []struct{ name, role string }{}
	for i := range o.healthy {
		users = append(users, struct{ name, role string }{fmt.Sprintf("u%02d", i+1), "responder"})
	}
	for _, h := range hostileNames {
		users = append(users, struct{ name, role string }{h, "viewer"})
	}
	for _, u := range users {
		key := filepath.Join(o.work, u.name)
		if _, err := os.Stat(key); err != nil {
			if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
				return "", fmt.Errorf("ssh-keygen: %v: %s", err, out)
			}
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&ak, "reltui-user=%q,reltui-role=%q %s", u.name, u.role, pub)
	}
	if err := os.WriteFile(filepath.Join(o.work, "authorized_keys"), []byte(ak.String()), 0o600); err != nil {
		return "", err
	}
	base, err := os.ReadFile(o.config)
	if err != nil {
		return "", err
	}
	cfg := string(base) + fmt.Sprintf(`
incidents:
  path: %s
serve:
  listen: 127.0.0.1:%d
  host_key: %s
  authorized_keys: %s
  stall_timeout: 10s
  handshake_timeout: 10s
`, filepath.Join(o.work, "incidents.db"), o.port, filepath.Join(o.work, "host_ed25519"), filepath.Join(o.work, "authorized_keys"))
	p := filepath.Join(o.work, "config.yaml")
	return p, os.WriteFile(p, []byte(cfg), 0o600)
}

// server is the running `reltui serve` and what it logs.
type server struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	last string // the last stats line
	// gors is the goroutine count of every stats line, with its time.
	gors []gorSample
	shut string // the shutdown line
	// tail keeps every line once a goroutine dump has been asked for.
	tail    []string
	dumping bool
	done    chan struct{}
}

func startServer(o options, cfg string) (*server, error) {
	cmd := exec.Command(o.reltui, "serve", "--config", cfg, "--stats-every", "1s")
	cmd.Env = append(os.Environ(), "NO_COLOR=", "GOTRACEBACK=all")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	listening := make(chan struct{})
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			switch {
			case strings.Contains(line, "listening on"):
				once.Do(func() { close(listening) })
			case strings.Contains(line, "stats: "):
				s.last = line[strings.Index(line, "stats: ")+len("stats: "):]
				if n, ok := statField(s.last, "goroutines"); ok {
					s.gors = append(s.gors, gorSample{time.Now(), n})
				}
			case strings.Contains(line, "shutdown: "):
				s.shut = line
			}
			if s.dumping {
				s.tail = append(s.tail, line)
			}
			s.mu.Unlock()
			if os.Getenv("SOAK_VERBOSE") != "" {
				fmt.Fprintln(os.Stderr, line)
			}
		}
		_ = cmd.Wait()
	}()
	select {
	case <-listening:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("reltui serve exited before listening")
	case <-time.After(30 * time.Second):
		s.kill()
		return nil, fmt.Errorf("reltui serve did not listen within 30 s")
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) kill() { _ = s.cmd.Process.Kill() }

func (s *server) lastStats() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *server) field(name string) (int, bool) { return statField(s.lastStats(), name) }

// statField reads name=N from a stats line.
func statField(line, name string) (int, bool) {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, name+"="); ok {
			var n int
			_, err := fmt.Sscan(v, &n)
			return n, err == nil
		}
	}
	return 0, false
}

type gorSample struct {
	at time.Time
	n  int
}

// goroutineRange is the fewest and the most goroutines the stats lines
// logged between from and to.
func (s *server) goroutineRange(from, to time.Time) (lo, hi int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lo = -1
	for _, g := range s.gors {
		if g.at.Before(from) || g.at.After(to) {
			continue
		}
		if lo < 0 || g.n < lo {
			lo = g.n
		}
		hi = max(hi, g.n)
	}
	return max(lo, 0), hi
}

func (s *server) sessions() (int, bool) { return s.field("sessions") }

func (s *server) goroutines() int {
	time.Sleep(1100 * time.Millisecond) // a fresh stats line
	n, _ := s.field("goroutines")
	return n
}

// stop sends SIGTERM and times the exit (the server shuts down with a
// 10 s deadline).
func (s *server) stop() (time.Duration, error) {
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-s.done:
		return time.Since(start), nil
	case <-time.After(30 * time.Second):
		return time.Since(start), fmt.Errorf("the server did not exit within 30 s of SIGTERM")
	}
}

// dumpGoroutines sends SIGQUIT (the Go runtime prints every goroutine's
// stack and exits) and writes what the server printed then to path.
func (s *server) dumpGoroutines(path string) error {
	s.mu.Lock()
	s.dumping = true
	s.mu.Unlock()
	if err := s.cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		return err
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
		<-s.done
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return os.WriteFile(path, []byte(strings.Join(s.tail, "\n")+"\n"), 0o600)
}

// rss is a process's resident set in KiB.
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			var n int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &n)
			return n
		}
	}
	return 0
}

var hostileNames = []string{"neverread", "slowread", "reconnect", "nohandshake", "keyflood"}

// dialNoHandshake is the client that sends its version and then nothing:
// the server's handshake timeout must close it.
func dialNoHandshake(ctx context.Context, port int, n *atomic.Int64) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.5")}}
	for ctx.Err() == nil {
		c, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		n.Add(1)
		_, _ = io.WriteString(c, "SSH-2.0-soak\r\n")
		stop := context.AfterFunc(ctx, func() { c.Close() })
		_, _ = io.Copy(io.Discard, c) // until the server closes it
		stop()
		c.Close()
	}
}
