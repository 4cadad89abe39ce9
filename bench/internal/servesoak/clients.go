package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// term is one OpenSSH client in a pty of 120x40 (util-linux script runs
// it; ssh puts that pty in raw mode, as on a person's terminal).
type term struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   io.ReadCloser

	mu     sync.Mutex
	buf    []byte
	base   int // bytes dropped from the front of buf
	notify chan struct{}
	exited chan struct{}
}

func sshArgs(o options, user, bind string) []string {
	return []string{"ssh", "-tt", "-p", fmt.Sprint(o.port), "-b", bind, "-i", filepath.Join(o.work, user),
		"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", "oncall@127.0.0.1"}
}

func sshCommand(o options, user, bind string) *exec.Cmd {
	var cmd *exec.Cmd
	if user == "neverread" || user == "slowread" {
		// script would stop passing keys on once its own output is stuck;
		// these clients keep typing into their pty while they do not read
		// it (or read a byte a second).
		cmd = exec.Command("python3", append([]string{"-c", stuckPTY, user}, sshArgs(o, user, bind)...)...)
	} else {
		cmd = exec.Command("script", "-qfec", "stty cols 120 rows 40; exec "+strings.Join(sshArgs(o, user, bind), " "), "/dev/null")
	}
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	return cmd
}

// stuckPTY runs a command in a 120x40 pty, copies stdin to it, and reads
// its output never ("neverread") or one byte a second ("slowread").
const stuckPTY = `
import fcntl, os, pty, struct, sys, termios, threading, time
mode, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execvp(argv[0], argv)
def wait():
    os.waitpid(pid, 0)
    os._exit(0)
def slow():
    while True:
        try:
            if not os.read(fd, 1):
                return
        except OSError:
            return
        time.sleep(1)
threading.Thread(target=wait, daemon=True).start()
if mode == "slowread":
    threading.Thread(target=slow, daemon=True).start()
while True:
    b = os.read(0, 4096)
    if not b:
        break
    os.write(fd, b)
`

// startSSH starts a client whose output is read (and kept for markers).
func startSSH(o options, user, bind string) (*term, error) {
	t, err := spawn(o, user, bind)
	if err != nil {
		return nil, err
	}
	go t.read()
	return t, nil
}

func spawn(o options, user, bind string) (*term, error) {
	cmd := sshCommand(o, user, bind)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	t := &term{cmd: cmd, stdin: stdin, out: out, notify: make(chan struct{}, 1), exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(t.exited) }()
	return t, nil
}

func (t *term) read() {
	b := make([]byte, 32<<10)
	for {
		n, err := t.out.Read(b)
		if n > 0 {
			t.mu.Lock()
			t.buf = append(t.buf, b[:n]...)
			if len(t.buf) > 4<<20 {
				cut := len(t.buf) - 1<<20
				t.buf = append(t.buf[:0], t.buf[cut:]...)
				t.base += cut
			}
			t.mu.Unlock()
			select {
			case t.notify <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// total is how many bytes the client has shown so far.
func (t *term) total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.base + len(t.buf)
}

// waitFor waits until marker shows after offset from.
func (t *term) waitFor(ctx context.Context, marker string, from int, within time.Duration) bool {
	timer := time.NewTimer(within)
	defer timer.Stop()
	for {
		t.mu.Lock()
		i := max(from-t.base, 0)
		found := i <= len(t.buf) && bytes.Contains(t.buf[i:], []byte(marker))
		t.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-t.notify:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		case <-t.exited:
			return false
		}
	}
}

func (t *term) send(s string) { _, _ = io.WriteString(t.stdin, s) }

// openRoom starts a live tail of every service in the Logs pane, then
// opens the Incidents pane (the tail keeps running behind it).
func (t *term) openRoom() error {
	ctx := context.Background()
	if !t.waitFor(ctx, "Incidents", 0, 30*time.Second) {
		return fmt.Errorf("no console: %q", t.tail())
	}
	t.send("i")
	time.Sleep(200 * time.Millisecond)
	t.send(`{service=~".+"}` + "\r")
	time.Sleep(2 * time.Second)
	off := t.total()
	t.send("t")
	if !t.waitFor(ctx, "live", off, 15*time.Second) {
		return fmt.Errorf("no live tail: %q", t.tail())
	}
	off = t.total()
	t.send("8")
	if !t.waitFor(ctx, "declare", off, 10*time.Second) {
		return fmt.Errorf("no Incidents pane: %q", t.tail())
	}
	return nil
}

func (t *term) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf[max(0, len(t.buf)-400):])
}

// helpLatency presses ? and times until the help is drawn, then presses
// ? again and times until the Incidents pane is back: two samples. Each
// key waits for the frame of the one before, so no two toggles can fall
// into one frame (which would draw nothing).
func (t *term) helpLatency(ctx context.Context) []time.Duration {
	var out []time.Duration
	for _, marker := range []string{"esc to close", "shown of"} {
		off := t.total()
		start := time.Now()
		t.send("?")
		if !t.waitFor(ctx, marker, off, 10*time.Second) {
			return out
		}
		out = append(out, time.Since(start))
		select {
		case <-ctx.Done():
			return out
		case <-time.After(200*time.Millisecond + time.Duration(time.Now().UnixNano()%200)*time.Millisecond):
		}
	}
	return out
}

// blindTail types what starts a live tail without looking at the screen.
func (t *term) blindTail() {
	time.Sleep(3 * time.Second)
	t.send("i")
	time.Sleep(200 * time.Millisecond)
	t.send(`{service=~".+"}` + "\r")
	time.Sleep(2 * time.Second)
	t.send("t")
}

// toggleUntilGone presses ? every 15 ms until the client exits: each
// press is a full frame for the server to send.
func (t *term) toggleUntilGone(ctx context.Context) {
	for {
		select {
		case <-t.exited:
			return
		case <-ctx.Done():
			return
		case <-time.After(15 * time.Millisecond):
			t.send("?")
		}
	}
}

func (t *term) quit() {
	t.send("q")
	select {
	case <-t.exited:
	case <-time.After(5 * time.Second):
		_ = t.cmd.Process.Kill()
	}
}

func (t *term) kill() {
	_ = t.cmd.Process.Kill()
	<-t.exited
}

// startHostiles runs the five hostile clients until ctx ends; each counts
// its connections in counts.
func startHostiles(ctx context.Context, o options, wg *sync.WaitGroup, counts map[string]*atomic.Int64) {
	for _, n := range hostileNames {
		counts[n] = &atomic.Int64{}
	}
	loop := func(name, bind string, body func(*term)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t, err := spawn(o, name, bind)
				if err != nil {
					time.Sleep(time.Second)
					continue
				}
				counts[name].Add(1)
				stop := context.AfterFunc(ctx, func() { _ = t.cmd.Process.Kill() })
				body(t)
				stop()
				t.kill()
				time.Sleep(500 * time.Millisecond)
			}
		}()
	}
	// Never reads: the pty, then ssh, then the SSH window fill up. It
	// starts a live tail blind and toggles the help, so the server has
	// plenty to send.
	loop("neverread", "127.0.0.2", func(t *term) {
		t.blindTail()
		t.toggleUntilGone(ctx)
	})
	// Reads one byte a second, with a live tail running and the help
	// toggling.
	loop("slowread", "127.0.0.3", func(t *term) {
		t.blindTail()
		t.toggleUntilGone(ctx)
	})
	// Logs in and leaves at once, over and over.
	loop("reconnect", "127.0.0.4", func(t *term) {
		go t.read()
		t.waitFor(ctx, "Incidents", 0, 5*time.Second)
	})
	// Floods keys that move and toggle, never one that writes or quits.
	loop("keyflood", "127.0.0.6", func(t *term) {
		go t.read()
		t.waitFor(ctx, "Incidents", 0, 10*time.Second)
		keys := strings.Repeat("jkjk?", 40)
		for {
			if _, err := io.WriteString(t.stdin, keys); err != nil {
				return
			}
			select {
			case <-t.exited:
				return
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	wg.Add(1)
	go func() { defer wg.Done(); dialNoHandshake(ctx, o.port, counts["nohandshake"]) }()
}
