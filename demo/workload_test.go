package demo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang/snappy"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/logpush"
)

// controlServer serves a workload's control API whose clock reads *now,
// and returns it with a client.
func controlServer(t *testing.T, now *time.Time) (*httptest.Server, *Control) {
	t.Helper()
	w, err := New(context.Background(), Config{Rate: 5, Env: "test", Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.ControlHandler())
	t.Cleanup(srv.Close)
	c, err := NewControl(strings.TrimPrefix(srv.URL, "http://"), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestControlServer(t *testing.T) {
	now := start
	_, c := controlServer(t, &now)
	ctx := context.Background()
	win, err := c.Inject(ctx, fault.Errors, 90*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if win.Kind != fault.Errors || win.Source != fault.Manual || !win.End.Equal(now.Add(90*time.Second)) {
		t.Fatalf("Inject = %+v", win)
	}
	s, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Active) != 1 || s.Active[0].Kind != fault.Errors || s.Env != "test" || len(s.Kafka) != 3 {
		t.Fatalf("Status = %+v", s)
	}
	if _, err := c.Inject(ctx, "meteor", time.Minute); err == nil || !strings.Contains(err.Error(), "unknown fault") {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := c.Inject(ctx, fault.Stall, 48*time.Hour); err == nil {
		t.Fatal("48h fault accepted")
	}
	s, err = c.Clear(ctx, fault.Errors)
	if err != nil || len(s.Active) != 0 {
		t.Fatalf("Clear: %v, %+v", err, s.Active)
	}
}

// Two clients (say, two tests) inject the same kind; each ends only its own
// window over the API, and the kind stays active until the other's ends.
func TestControlEndOwnWindow(t *testing.T) {
	now := start
	srv, c := controlServer(t, &now)
	ctx := context.Background()
	active := func() []fault.Window {
		t.Helper()
		s, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.Active
	}
	mine, err := c.Inject(ctx, fault.Latency, 8*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	theirs, err := c.Inject(ctx, fault.Latency, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if mine.ID == "" || theirs.ID == "" || mine.ID == theirs.ID {
		t.Fatalf("ids %q %q", mine.ID, theirs.ID)
	}
	s, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Active) != 1 || len(s.Manual) != 2 {
		t.Fatalf("two latency windows: active %+v, manual %+v", s.Active, s.Manual)
	}
	// The other test finishes first and ends its window: mine stays.
	now = now.Add(30 * time.Second)
	ended, err := c.End(ctx, theirs)
	if err != nil {
		t.Fatal(err)
	}
	if ended.ID != theirs.ID || !ended.End.Equal(now) {
		t.Fatalf("End = %+v", ended)
	}
	if a := active(); len(a) != 1 || a[0].ID != mine.ID {
		t.Fatalf("after the other's End: active %+v, want %s", a, mine.ID)
	}
	// Ending it again, an unknown id, or an id under the wrong kind: 404.
	for _, bad := range []fault.Window{theirs, {ID: "nope", Kind: fault.Latency}, {ID: mine.ID, Kind: fault.Errors}} {
		_, err := c.End(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "control server: ") {
			t.Fatalf("End(%+v) = %v, want the server's error", bad, err)
		}
		t.Logf("End(%s %s): %v", bad.Kind, bad.ID, err)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/faults/latency/nope", nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `no such fault`) {
		t.Fatalf("unknown id: HTTP %d %s", resp.StatusCode, body)
	}
	if a := active(); len(a) != 1 || a[0].ID != mine.ID {
		t.Fatalf("failed Ends touched my window: active %+v", a)
	}
	if _, err := c.End(ctx, fault.Window{Kind: fault.Latency, Source: fault.Scheduled}); err == nil {
		t.Fatal("End of a window without an id succeeded")
	}
	// Clear still ends everything of the kind.
	if _, err := c.Inject(ctx, fault.Latency, time.Minute); err != nil {
		t.Fatal(err)
	}
	s, err = c.Clear(ctx, fault.Latency)
	if err != nil || len(s.Active) != 0 || len(s.Manual) != 0 {
		t.Fatalf("Clear: %v, active %+v, manual %+v", err, s.Active, s.Manual)
	}
	if _, err := c.End(ctx, mine); err == nil {
		t.Fatal("End after Clear succeeded")
	}
}

func TestControlRefusesNonLoopback(t *testing.T) {
	for _, a := range []string{"0.0.0.0:7070", ":7070", "10.1.2.3:7070", "example.com:80"} {
		if _, err := NewControl(a, nil); err == nil {
			t.Errorf("%s accepted", a)
		}
		if _, err := New(context.Background(), Config{Rate: 1, Env: "x", ControlAddr: a}); err == nil {
			t.Errorf("run accepted control address %s", a)
		}
	}
	for _, a := range []string{"127.0.0.1:7070", "[::1]:7070", "localhost:7070"} {
		if _, err := NewControl(a, nil); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
}

func TestLogsBackendChecked(t *testing.T) {
	if _, err := New(context.Background(), Config{Rate: 1, Env: "x", LogsURL: "http://127.0.0.1:1", LogsBackend: "elastic"}); err == nil {
		t.Error("unknown log backend accepted")
	}
	for _, b := range []logpush.Backend{"", logpush.VictoriaLogs, logpush.Loki} {
		if _, err := New(context.Background(), Config{Rate: 1, Env: "x", LogsURL: "http://127.0.0.1:1", LogsBackend: b}); err != nil {
			t.Errorf("log backend %q: %v", b, err)
		}
	}
}

func TestWarningsAreRateLimited(t *testing.T) {
	var out bytes.Buffer
	h := newHealth(&out, map[string]bool{BackendLogs: true})
	boom := errors.New("connection refused")
	h.record(BackendLogs, start, boom)
	h.record(BackendLogs, start.Add(10*time.Second), boom)
	h.record(BackendLogs, start.Add(20*time.Second), boom)
	if n := strings.Count(out.String(), "warning"); n != 1 {
		t.Fatalf("%d warnings within 30s:\n%s", n, out.String())
	}
	h.record(BackendLogs, start.Add(31*time.Second), boom)
	if !strings.Contains(out.String(), "2 more failures") {
		t.Fatalf("second warning does not count the quiet ones:\n%s", out.String())
	}
	h.record(BackendLogs, start.Add(32*time.Second), nil)
	if !strings.Contains(out.String(), "recovered") {
		t.Fatalf("no recovery note:\n%s", out.String())
	}
	b := h.snapshot()[BackendLogs]
	if b.Failures != 4 || b.LastError != "connection refused" || !b.LastSuccess.Equal(start.Add(32*time.Second)) {
		t.Fatalf("status %+v", b)
	}
}

// TestRunSurvivesBackends runs the real loop briefly against a log backend
// that fails, a Prometheus that works and an OTLP endpoint nobody listens
// on. It must keep going, requeue what failed and flush on cancel.
func TestRunSurvivesBackends(t *testing.T) {
	var logCalls, logOK, promCalls atomic.Int32
	var mu sync.Mutex
	var promBody []byte
	logs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/insert/loki/api/v1/push" {
			http.Error(w, "not VictoriaLogs' push path", http.StatusNotFound)
			return
		}
		// The first push fails as if VictoriaLogs were restarting.
		if logCalls.Add(1) == 1 {
			http.Error(w, "storage not ready", http.StatusServiceUnavailable)
			return
		}
		logOK.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer logs.Close()
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		promCalls.Add(1)
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		promBody = b
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer prom.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()

	var stderr bytes.Buffer
	var errMu sync.Mutex
	w, err := New(context.Background(), Config{
		LogsURL: logs.URL, PrometheusURL: prom.URL, OTLPURL: deadURL,
		Rate: 200, Env: "test", Seed: 1,
		LogsInterval: 20 * time.Millisecond, MetricsInterval: 50 * time.Millisecond,
		Stderr: lockedWriter{&errMu, &stderr},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	s := w.Status()
	if s.Counters.Requests == 0 || s.Counters.LogLinesPushed == 0 || s.Counters.MetricPushes == 0 {
		t.Fatalf("counters %+v", s.Counters)
	}
	if s.Queued.LogLines != 0 || s.Counters.LogLinesDrop != 0 {
		t.Fatalf("logs left behind after flush: %+v %+v", s.Queued, s.Counters)
	}
	if logOK.Load() == 0 || promCalls.Load() == 0 {
		t.Fatalf("log pushes ok %d, prom %d", logOK.Load(), promCalls.Load())
	}
	if s.Counters.SpansExported != 0 || s.Backends[BackendOTLP].LastError == "" {
		t.Fatalf("dead OTLP endpoint not reported: %+v", s.Backends[BackendOTLP])
	}
	mu.Lock()
	raw, err := snappy.Decode(nil, promBody)
	mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http_requests_total", "kafka_consumergroup_lag", "db_pool_in_use_ratio", "env"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("remote write body lacks %s", want)
		}
	}
	errMu.Lock()
	defer errMu.Unlock()
	if !strings.Contains(stderr.String(), "warning: logs: push to victorialogs: HTTP 503") {
		t.Errorf("no log backend warning on stderr:\n%s", stderr.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
