package alertmanager

// Fault tests: failures a real Alertmanager cannot be made to produce on
// demand. The happy path and its real error texts are in
// integration_test.go.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

func testPolicy() resilience.Policy {
	return resilience.Policy{
		Timeout: 2 * time.Second, MaxAttempts: 3,
		BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		MaxConcurrent: 4, BreakerFailures: 100, BreakerOpenFor: time.Hour,
	}
}

func fakeServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func newTestClient(t *testing.T, addr string, p resilience.Policy) *Client {
	t.Helper()
	c, err := New(Config{Address: addr, Guard: resilience.New(Backend, p)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func asError(t *testing.T, err error) *sources.Error {
	t.Helper()
	var se *sources.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T %v is not a *sources.Error", err, err)
	}
	return se
}

func TestHangTimesOutAndOpensBreaker(t *testing.T) {
	release := make(chan struct{})
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	p := testPolicy()
	p.Timeout = 100 * time.Millisecond
	p.MaxAttempts = 1
	p.BreakerFailures = 2
	c := newTestClient(t, srv.URL, p)
	for i := 0; i < 2; i++ {
		_, err := c.Alerts(context.Background(), nil)
		if se := asError(t, err); se.Kind != sources.KindTimeout {
			t.Fatalf("call %d: kind = %v (%v), want timeout", i, se.Kind, err)
		}
	}
	before := hits.Load()
	if se := asError(t, c.Ping(context.Background())); se.Kind != sources.KindCircuitOpen {
		t.Fatalf("kind = %v, want circuit open", se.Kind)
	}
	if hits.Load() != before {
		t.Fatalf("open breaker let a request through")
	}
	if h := c.Health(); h.Breaker != "open" {
		t.Fatalf("health = %+v", h)
	}
}

func TestGarbageIsBadResponse(t *testing.T) {
	for name, body := range map[string]string{
		"binary":    "\x00\xff\x1b]0;pwned\x07",
		"truncated": `[{"labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z"`,
		"object":    `{"alerts":[]}`,
		"bad time":  `[{"labels":{},"startsAt":"yesterday"}]`,
		"empty":     ``,
	} {
		t.Run(name, func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
			p := testPolicy()
			c := newTestClient(t, srv.URL, p)
			_, err := c.Alerts(context.Background(), nil)
			if se := asError(t, err); se.Kind != sources.KindBadResponse {
				t.Fatalf("kind = %v (%v), want bad response", se.Kind, err)
			}
			// A bad response is the server's fault and may be transient
			// (a proxy mid-restart), but the guard does not retry it.
			if hits.Load() != 1 {
				t.Fatalf("attempts = %d", hits.Load())
			}
		})
	}
}

func TestStormsRetryBoundedThenFail(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   sources.Kind
		inMsg  string
	}{
		{429, "rate limit exceeded for tenant", sources.KindRateLimited, "rate limit exceeded"},
		{503, `"cluster not ready"`, sources.KindServerError, "cluster not ready"},
		{500, `{"code":500,"message":"internal failure"}`, sources.KindServerError, "internal failure"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			p := testPolicy()
			c := newTestClient(t, srv.URL, p)
			_, err := c.Alerts(context.Background(), []string{`alertname="X"`})
			se := asError(t, err)
			if se.Kind != tc.want || se.Status != tc.status || !strings.Contains(se.Msg, tc.inMsg) {
				t.Fatalf("got %v/%d %q, want %v/%d containing %q", se.Kind, se.Status, se.Msg, tc.want, tc.status, tc.inMsg)
			}
			if hits.Load() != int32(p.MaxAttempts) {
				t.Fatalf("attempts = %d, want %d", hits.Load(), p.MaxAttempts)
			}
		})
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   sources.Kind
		inMsg  string
	}{
		{400, `"bad matcher format: foo"` + "\n", sources.KindBadQuery, "bad matcher format: foo"},
		{422, `{"code":602,"message":"filter in query should be of type array"}`, sources.KindBadQuery, "should be of type array"},
		{403, "<html>forbidden</html>", sources.KindUnauthorized, "forbidden"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c := newTestClient(t, srv.URL, testPolicy())
			_, err := c.Alerts(context.Background(), []string{"foo"})
			se := asError(t, err)
			if se.Kind != tc.want || !strings.Contains(se.Msg, tc.inMsg) {
				t.Fatalf("got %v %q, want %v containing %q", se.Kind, se.Msg, tc.want, tc.inMsg)
			}
			if hits.Load() != 1 {
				t.Fatalf("attempts = %d, want 1", hits.Load())
			}
		})
	}
}

func TestOversizedBodyIsTooMuchData(t *testing.T) {
	body := "[" + strings.Repeat(`{"labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z","status":{"state":"active"}},`, 200) + "{}]"
	srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
	c, err := New(Config{Address: srv.URL, Guard: resilience.New(Backend, testPolicy()), MaxResponseBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Alerts(context.Background(), nil); sources.KindOf(err) != sources.KindTooMuchData {
		t.Fatalf("err = %v, want too much data", err)
	}
	got, err := newTestClient(t, srv.URL, testPolicy()).Alerts(context.Background(), nil)
	if err != nil || len(got) != 201 {
		t.Fatalf("under the default limit: %d alerts, %v", len(got), err)
	}
}

func TestCredentialsNeverInErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := testPolicy()
	p.MaxAttempts = 1
	c, err := New(Config{
		Address:   "http://bob:hunter2pw@" + addr,
		Transport: transport.Options{Username: "bob", Password: "pw-s3cret"},
		Guard:     resilience.New(Backend, p),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Alerts(context.Background(), []string{`team="secret-team"`})
	if se := asError(t, err); se.Kind != sources.KindUnreachable {
		t.Fatalf("kind = %v", se.Kind)
	}
	for _, s := range []string{"hunter2pw", "pw-s3cret", "bob", "secret-team"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q leaks %q", err, s)
		}
	}
}

func TestNewRejectsBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "am:9093", "unix:///x", "https://", "http://h#frag"} {
		if _, err := New(Config{Address: addr}); err == nil {
			t.Errorf("New(%q) accepted", addr)
		} else {
			asError(t, err)
		}
	}
}
