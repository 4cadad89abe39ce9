package stacktest

import (
	"os/exec"
	"syscall"
	"time"
)

// Stop ends a server a test started the way a restart does: SIGTERM, then
// SIGKILL after grace, and waits for it to exit. A nil or unstarted cmd is
// a no-op.
func Stop(cmd *exec.Cmd, grace time.Duration) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}
