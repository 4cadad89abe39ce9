package logtest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/faulttest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// quickGuard fails fast: short timeouts, one attempt, a breaker that does
// not open during the test.
func (s *suite) quickGuard(t *testing.T, timeout time.Duration) *resilience.Guard {
	name := s.h.New(t, ClientConfig{}).Backend()
	return resilience.New(name, resilience.Policy{Timeout: timeout, MaxAttempts: 1, BaseBackoff: time.Millisecond,
		MaxBackoff: time.Millisecond, BreakerFailures: 1000, BreakerOpenFor: time.Minute})
}

// everyRead runs each read of the contract once.
func everyRead(b sources.LogBackend) map[string]func(context.Context) error {
	to := time.Now()
	from := to.Add(-time.Hour)
	sel := b.Dialect().Stream(Label, "x")
	return map[string]func(context.Context) error{
		"query": func(ctx context.Context) error {
			_, err := b.QueryRange(ctx, sources.LogQuery{Expr: sel, From: from, To: to})
			return err
		},
		"labels": func(ctx context.Context) error { _, err := b.Labels(ctx, from, to); return err },
		"values": func(ctx context.Context) error { _, err := b.LabelValues(ctx, Label, from, to); return err },
		"ping":   func(ctx context.Context) error { return b.Ping(ctx) },
	}
}

func (s *suite) unreachable(t *testing.T) {
	b := s.h.New(t, ClientConfig{Address: "http://" + faulttest.ClosedAddr(t), Guard: s.quickGuard(t, 5*time.Second)})
	for name, read := range everyRead(b) {
		if err := read(ctxT(t, time.Minute)); sources.KindOf(err) != sources.KindUnreachable {
			t.Errorf("%s: got %v, want unreachable", name, err)
		}
	}
}

// hung is a server that accepts and never answers.
func hung(t *testing.T) string {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() {
		close(release)
		srv.Close()
	})
	return srv.URL
}

func (s *suite) hung(t *testing.T) {
	b := s.h.New(t, ClientConfig{Address: hung(t), Guard: s.quickGuard(t, 300*time.Millisecond)})
	for name, read := range everyRead(b) {
		start := time.Now()
		err := read(ctxT(t, time.Minute))
		if sources.KindOf(err) != sources.KindTimeout {
			t.Errorf("%s: got %v, want a timeout", name, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %s against a 300ms timeout", name, d)
		}
	}
	ctx, cancel := context.WithCancel(ctxT(t, time.Minute))
	defer cancel()
	tl := b.Tail(ctx, b.Dialect().Stream(Label, "x"), time.Time{})
	deadline := time.Now().Add(30 * time.Second)
	for st := tl.Status(); sources.KindOf(st.LastErr) != sources.KindTimeout; st = tl.Status() {
		if time.Now().After(deadline) {
			t.Fatalf("a tail against a hung server: %+v, want a timeout as its last error", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	WaitDone(t, tl, 10*time.Second)
	if tl.Err() != nil {
		t.Fatalf("a cancelled tail ended with %v", tl.Err())
	}
}

// proxy passes TCP through to a real server until cut, so the suite can
// break a live connection the way a network or a restart does.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	down   bool
	wg     sync.WaitGroup
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go p.pipe(c)
	}
}

func (p *proxy) pipe(c net.Conn) {
	defer p.wg.Done()
	defer p.drop(c)
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		return
	}
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		_ = up.Close()
		return
	}
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer p.drop(up)
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

func (p *proxy) drop(c net.Conn) {
	_ = c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// cut closes every connection and refuses new ones until restore.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		_ = c.Close()
	}
}

func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}
