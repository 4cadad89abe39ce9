//go:build integration

package victorialogs

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/logtest"
)

// TestConformance runs the log-backend suite against the dev stack's
// VictoriaLogs, and its restart test against a private VictoriaLogs
// started from the stack's binary.
func TestConformance(t *testing.T) {
	st := stacktest.Require(t)
	if st.VLogsURL == "" {
		t.Fatal("stack.env has no RELTUI_VLOGS_URL")
	}
	logtest.Run(t, logtest.Harness{
		Address: st.VLogsURL,
		New: func(t *testing.T, cfg logtest.ClientConfig) sources.LogBackend {
			addr := cfg.Address
			if addr == "" {
				addr = st.VLogsURL
			}
			c, err := New(Config{Address: addr, PageSize: cfg.PageSize, Guard: cfg.Guard,
				Tail: TailConfig{Engine: logtail.Options{BackoffBase: cfg.TailBackoff}}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Push:           pushVLogs,
		Private:        func(t *testing.T) (string, func()) { return startPrivateVL(t, st) },
		BadQueryReason: "cannot parse query",
		ExactRuns:      true,
		// The tail runs DefaultTailOffset behind now and looks every
		// DefaultTailRefresh.
		TailLatency: DefaultTailOffset + DefaultTailRefresh + 5*time.Second,
	})
}

func pushVLogs(t *testing.T, addr string, stream map[string]string, lines []logtest.Line) {
	t.Helper()
	vl := make([]stacktest.VLogsLine, len(lines))
	for i, l := range lines {
		vl[i] = stacktest.VLogsLine{TS: l.Time, Line: l.Line, Fields: l.Metadata}
	}
	stacktest.PushVLogs(t, addr, stream, vl)
}

// privateVL is a VictoriaLogs of a test's own, from the stack's binary,
// with its own port and data, so it can be stopped and started without
// disturbing the shared stack.
type privateVL struct {
	t    *testing.T
	bin  string
	dir  string
	addr string
	cmd  *exec.Cmd
}

func startPrivateVL(t *testing.T, st stacktest.Stack) (string, func()) {
	t.Helper()
	bin := st.Var("RELTUI_VLOGS_BIN")
	if bin == "" {
		t.Fatal("stack.env has no RELTUI_VLOGS_BIN")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	p := &privateVL{t: t, bin: bin, dir: t.TempDir(), addr: addr}
	t.Cleanup(p.stop)
	p.start()
	return "http://" + addr, func() {
		p.stop()
		p.start()
	}
}

func (p *privateVL) start() {
	p.t.Helper()
	log, err := os.OpenFile(filepath.Join(p.dir, "victoria-logs.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	defer log.Close()
	p.cmd = exec.Command(p.bin, "-httpListenAddr="+p.addr, "-storageDataPath="+filepath.Join(p.dir, "data"))
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + p.addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(p.dir, "victoria-logs.log"))
	p.t.Fatalf("private VictoriaLogs not healthy; log:\n%s", out)
}

// stop ends the server the way a restart does and waits for it to exit.
func (p *privateVL) stop() {
	stacktest.Stop(p.cmd, 30*time.Second)
	p.cmd = nil
}
