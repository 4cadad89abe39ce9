//go:build integration

package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
)

// Debian's OpenSSH client, driven in tmux, logs in to the real `reltui
// serve`, opens an incident and adds a note; the note appears in a second
// session within a second or two; the viewer's attempt to add one is
// refused; killing the ssh clients with -9 ends both sessions.
func TestE2EServeOverOpenSSH(t *testing.T) {
	st := stacktest.Require(t)
	for _, tool := range []string{"tmux", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is required", tool)
		}
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	for _, k := range []string{"alice", "bob"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", filepath.Join(dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
	}
	pub := func(k string) string {
		b, err := os.ReadFile(filepath.Join(dir, k+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	ak := fmt.Sprintf("reltui-user=\"alice\",reltui-role=\"responder\" %s\nreltui-user=\"bob\",reltui-role=\"viewer\" %s\n", pub("alice"), pub("bob"))
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(ak), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(dir, "data"), "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	title := fmt.Sprintf("e2e %d", time.Now().UnixNano()%1000000)
	decl := exec.Command(bin, "--config", st.ConfigPath, "incident", "declare", "--title", title, "--severity", "SEV2")
	decl.Env = env
	if out, err := decl.CombinedOutput(); err != nil {
		t.Fatalf("declare: %v %s", err, out)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var logs lockedBuffer
	srv := exec.Command(bin, "--config", st.ConfigPath, "serve", "--listen", addr,
		"--host-key", filepath.Join(dir, "host_ed25519"), "--authorized-keys", filepath.Join(dir, "authorized_keys"))
	srv.Env, srv.Stdout, srv.Stderr = env, &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	_, port, _ := net.SplitHostPort(addr)
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(logs.String(), "listening on"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
	}

	type term struct{ name string }
	start := func(user string, w, h int) term {
		t.Helper()
		name := fmt.Sprintf("reltui-serve-e2e-%s-%d", user, time.Now().UnixNano())
		sshCmd := fmt.Sprintf("TERM=xterm-256color ssh -tt -p %s -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR -i %s oncall@127.0.0.1; sleep 30",
			port, filepath.Join(dir, user))
		if out, err := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), sshCmd).CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() })
		return term{name}
	}
	capture := func(tm term) string {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", tm.name).Output()
		return string(out)
	}
	keys := func(tm term, k ...string) {
		if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", tm.name}, k...)...).CombinedOutput(); err != nil {
			t.Fatalf("send-keys: %v %s", err, out)
		}
	}
	waitFor := func(tm term, what string, within time.Duration, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			s := capture(tm)
			if ok(s) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never showed %s:\n%s\nserver log:\n%s", tm.name, what, s, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	openIncident := func(tm term) {
		t.Helper()
		waitFor(tm, "the console", 15*time.Second, func(s string) bool { return strings.Contains(s, "8 Incidents") })
		keys(tm, "8")
		waitFor(tm, "the incident list", 10*time.Second, func(s string) bool { return strings.Contains(s, title) })
		keys(tm, "Enter")
		waitFor(tm, "the incident", 10*time.Second, func(s string) bool { return strings.Contains(s, "timeline") })
	}

	alice, bob := start("alice", 200, 50), start("bob", 80, 24)
	openIncident(alice)
	openIncident(bob)

	note := fmt.Sprintf("rolled back payments %d", time.Now().Unix()%10000)
	keys(alice, "a")
	time.Sleep(300 * time.Millisecond)
	keys(alice, "-l", note)
	keys(alice, "Enter")
	waitFor(alice, "the note in the writer's session", 10*time.Second, func(s string) bool { return strings.Contains(s, "alice") && strings.Contains(s, "note: "+note) })
	wrote := time.Now()
	waitFor(bob, "the note in the other session", 5*time.Second, func(s string) bool { return strings.Contains(s, note) })
	t.Logf("the note reached the second session %s after it showed in the first", time.Since(wrote).Round(10*time.Millisecond))

	keys(bob, "a")
	waitFor(bob, "the viewer's refusal", 5*time.Second, func(s string) bool { return strings.Contains(s, "viewer cannot add a note") })

	// kill -9 both ssh clients (each the child of its tmux pane's shell):
	// the server ends both sessions.
	for _, tm := range []term{alice, bob} {
		pane, err := exec.Command("tmux", "display-message", "-p", "-t", tm.name, "#{pane_pid}").Output()
		if err != nil {
			t.Fatal(err)
		}
		pid, err := exec.Command("pgrep", "-P", strings.TrimSpace(string(pane)), "-x", "ssh").Output()
		if err != nil {
			t.Fatalf("no ssh under pane %s: %v", strings.TrimSpace(string(pane)), err)
		}
		if out, err := exec.Command("kill", "-9", strings.TrimSpace(string(pid))).CombinedOutput(); err != nil {
			t.Fatalf("kill: %v %s", err, out)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(logs.String(), "session end:") < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := strings.Count(logs.String(), "session end:"); n < 2 {
		t.Fatalf("%d of 2 sessions ended after their clients were killed; log:\n%s", n, logs.String())
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
