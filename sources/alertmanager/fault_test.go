package alertmanager

// Fault tests: failures a real Alertmanager cannot be made to produce on
// demand. The happy path and its real error texts are in
// integration_test.go.

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/reltui/reltui/internal/faulttest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

func newTestClient(t *testing.T, addr string, p resilience.Policy) *Client {
	t.Helper()
	c, err := New(Config{Address: addr, Guard: resilience.New(Backend, p)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestHangTimesOutAndOpensBreaker(t *testing.T) {
	srv, hits := faulttest.Hang(t)
	c := newTestClient(t, srv.URL, faulttest.HangPolicy())
	faulttest.TimeoutsOpenBreaker(t, hits,
		func() error { _, err := c.Alerts(context.Background(), nil); return err },
		func() error { return c.Ping(context.Background()) })
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
			srv, hits := faulttest.Server(t, faulttest.Reply(http.StatusOK, body))
			c := newTestClient(t, srv.URL, faulttest.Policy())
			_, err := c.Alerts(context.Background(), nil)
			if se := faulttest.AsError(t, err); se.Kind != sources.KindBadResponse {
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
			srv, hits := faulttest.Server(t, faulttest.Reply(tc.status, tc.body))
			p := faulttest.Policy()
			c := newTestClient(t, srv.URL, p)
			_, err := c.Alerts(context.Background(), []string{`alertname="X"`})
			se := faulttest.AsError(t, err)
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
			srv, hits := faulttest.Server(t, faulttest.Reply(tc.status, tc.body))
			c := newTestClient(t, srv.URL, faulttest.Policy())
			_, err := c.Alerts(context.Background(), []string{"foo"})
			se := faulttest.AsError(t, err)
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
	srv, _ := faulttest.Server(t, faulttest.Reply(http.StatusOK, body))
	c, err := New(Config{Address: srv.URL, Guard: resilience.New(Backend, faulttest.Policy()), MaxResponseBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Alerts(context.Background(), nil); sources.KindOf(err) != sources.KindTooMuchData {
		t.Fatalf("err = %v, want too much data", err)
	}
	got, err := newTestClient(t, srv.URL, faulttest.Policy()).Alerts(context.Background(), nil)
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
	p := faulttest.Policy()
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
	if se := faulttest.AsError(t, err); se.Kind != sources.KindUnreachable {
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
			faulttest.AsError(t, err)
		}
	}
}
