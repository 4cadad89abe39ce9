package prom

// Fault tests: failures a real Prometheus cannot be made to produce on
// demand (a hang, garbage bytes, 429/503 storms, a body over the limit).
// The happy path and real error texts are tested in integration_test.go.

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// everyCall runs each read method once; fault tests use it so that no
// method escapes the error mapping.
func everyCall(c *Client) map[string]func(context.Context) error {
	now := time.Now()
	return map[string]func(context.Context) error{
		"query": func(ctx context.Context) error { _, _, err := c.Query(ctx, "up", now); return err },
		"query_range": func(ctx context.Context) error {
			_, _, err := c.QueryRange(ctx, "up", now.Add(-time.Hour), now, time.Minute)
			return err
		},
		"series": func(ctx context.Context) error {
			_, _, err := c.Series(ctx, []string{"up"}, time.Time{}, time.Time{})
			return err
		},
		"labels": func(ctx context.Context) error {
			_, _, err := c.LabelNames(ctx, nil, time.Time{}, time.Time{})
			return err
		},
		"label_values": func(ctx context.Context) error {
			_, _, err := c.LabelValues(ctx, "job", nil, time.Time{}, time.Time{})
			return err
		},
		"query_exemplars": func(ctx context.Context) error {
			_, err := c.QueryExemplars(ctx, "up", now.Add(-time.Hour), now)
			return err
		},
		"alerts": func(ctx context.Context) error { _, err := c.Alerts(ctx); return err },
		"rules":  func(ctx context.Context) error { _, err := c.Rules(ctx); return err },
	}
}

func TestHangTimesOutAndOpensBreaker(t *testing.T) {
	srv, hits := faulttest.Hang(t)
	c := newTestClient(t, srv.URL, faulttest.HangPolicy())
	query := func() error { _, _, err := c.Query(context.Background(), "up", time.Time{}); return err }
	faulttest.TimeoutsOpenBreaker(t, hits, query, query)
	if h := c.Health(); h.Breaker != "open" || h.LastErr == nil {
		t.Fatalf("health = %+v, want open breaker with last error", h)
	}
}

func TestGarbageIsBadResponse(t *testing.T) {
	bodies := map[string]string{
		"binary":    "\x00\xff\x1b[31m\x89PNG\r\n",
		"truncated": `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,`,
		"wrong":     `{"status":"success","data":"nope"}`,
		"html":      "<html><body>gateway</body></html>",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			srv, _ := faulttest.Server(t, faulttest.Reply(http.StatusOK, body, "Content-Type", "application/json"))
			c := newTestClient(t, srv.URL, faulttest.Policy())
			for op, fn := range everyCall(c) {
				err := fn(context.Background())
				if se := faulttest.AsError(t, err); se.Kind != sources.KindBadResponse {
					t.Errorf("%s: kind = %v (%v), want bad response", op, se.Kind, err)
				}
			}
		})
	}
}

func TestStormsRetryBoundedThenFail(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   sources.Kind
		inMsg  string
	}{
		{"429", http.StatusTooManyRequests, "slow down, tenant over limit", sources.KindRateLimited, "slow down"},
		{"503", http.StatusServiceUnavailable, "upstream connect error", sources.KindServerError, "upstream connect error"},
		{"503 api", http.StatusServiceUnavailable, `{"status":"error","errorType":"unavailable","error":"TSDB not ready"}`, sources.KindServerError, "TSDB not ready"},
		{"503 timeout", http.StatusServiceUnavailable, `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`, sources.KindTimeout, "query timed out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, hits := faulttest.Server(t, faulttest.Reply(tc.status, tc.body, "Retry-After", "1"))
			p := faulttest.Policy()
			c := newTestClient(t, srv.URL, p)
			_, _, err := c.QueryRange(context.Background(), "up", time.Now().Add(-time.Hour), time.Now(), time.Minute)
			se := faulttest.AsError(t, err)
			if se.Kind != tc.want || se.Status != tc.status {
				t.Fatalf("kind/status = %v/%d (%v), want %v/%d", se.Kind, se.Status, err, tc.want, tc.status)
			}
			if !strings.Contains(err.Error(), tc.inMsg) {
				t.Fatalf("error %q lacks the server's text %q", err, tc.inMsg)
			}
			if got := hits.Load(); got != int32(p.MaxAttempts) {
				t.Fatalf("attempts = %d, want exactly %d", got, p.MaxAttempts)
			}
		})
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   sources.Kind
		inMsg  string
	}{
		{"400 parse", 400, `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}`,
			sources.KindBadQuery, "parse error: unclosed left parenthesis"},
		{"422 exec", 422, `{"status":"error","errorType":"execution","error":"vector cannot contain metrics with the same labelset"}`,
			sources.KindBadQuery, "same labelset"},
		{"422 samples", 422, `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`,
			sources.KindTooMuchData, "too many samples"},
		{"400 plain", 400, "bad request from proxy", sources.KindBadQuery, "bad request from proxy"},
		{"401", 401, "no credentials", sources.KindUnauthorized, "no credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, hits := faulttest.Server(t, faulttest.Reply(tc.status, tc.body, "Content-Type", "application/json"))
			c := newTestClient(t, srv.URL, faulttest.Policy())
			_, _, err := c.Query(context.Background(), "sum(", time.Time{})
			se := faulttest.AsError(t, err)
			if se.Kind != tc.want || se.Status != tc.status {
				t.Fatalf("kind/status = %v/%d (%v), want %v/%d", se.Kind, se.Status, err, tc.want, tc.status)
			}
			if !strings.Contains(se.Msg, tc.inMsg) {
				t.Fatalf("message %q lacks %q", se.Msg, tc.inMsg)
			}
			if hits.Load() != 1 {
				t.Fatalf("attempts = %d, want 1 (no retry)", hits.Load())
			}
			if c.Health().Breaker != "closed" {
				t.Fatalf("a client error moved the breaker to %s", c.Health().Breaker)
			}
		})
	}
}

func TestOversizedBodyIsTooMuchData(t *testing.T) {
	big := `{"status":"success","data":{"resultType":"vector","result":[` +
		strings.Repeat(`{"metric":{"a":"b"},"value":[1,"1"]},`, 1000) + `{"metric":{},"value":[1,"1"]}]}}`
	srv, _ := faulttest.Server(t, faulttest.Reply(http.StatusOK, big))
	c, err := New(Config{Address: srv.URL, Guard: resilience.New(Backend, faulttest.Policy()), MaxResponseBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Query(context.Background(), "up", time.Time{})
	if se := faulttest.AsError(t, err); se.Kind != sources.KindTooMuchData {
		t.Fatalf("kind = %v (%v), want too much data", se.Kind, err)
	}
	if !strings.Contains(err.Error(), "prometheus") || !strings.Contains(err.Error(), "limit of 4096 bytes") {
		t.Fatalf("the error names neither the backend nor the limit: %v", err)
	}
	// The same body under a generous limit decodes, so the limit, not the
	// body, caused the failure above.
	c2 := newTestClient(t, srv.URL, faulttest.Policy())
	got, _, err := c2.Query(context.Background(), "up", time.Time{})
	if err != nil || len(got) != 1001 {
		t.Fatalf("under default limit: %d series, err %v", len(got), err)
	}
}

func TestCredentialsNeverInErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens now: connection refused
	p := faulttest.Policy()
	p.MaxAttempts = 1
	c, err := New(Config{
		Address:   "http://alice:hunter2pw@" + addr + "/prom",
		Transport: transport.Options{BearerToken: "tok-s3cret", Headers: map[string]string{"X-Api-Key": "k3y-s3cret"}},
		Guard:     resilience.New(Backend, p),
	})
	if err != nil {
		t.Fatal(err)
	}
	for op, fn := range everyCall(c) {
		err := fn(context.Background())
		se := faulttest.AsError(t, err)
		if se.Kind != sources.KindUnreachable {
			t.Errorf("%s: kind = %v, want unreachable", op, se.Kind)
		}
		for _, secret := range []string{"hunter2pw", "tok-s3cret", "k3y-s3cret", "alice"} {
			if strings.Contains(err.Error(), secret) || strings.Contains(se.Msg, secret) {
				t.Errorf("%s: error %q leaks %q", op, err, secret)
			}
		}
	}
	if err := c.Ping(context.Background()); sources.KindOf(err) != sources.KindUnreachable {
		t.Errorf("ping: %v", err)
	}
}

func TestNewRejectsBadAddresses(t *testing.T) {
	for _, addr := range []string{"", "localhost:9090", "ftp://x", "http://", "http://h/?q=1", "http://u:pw@%zz"} {
		_, err := New(Config{Address: addr})
		if err == nil {
			t.Errorf("New(%q) accepted", addr)
			continue
		}
		faulttest.AsError(t, err)
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("New(%q) error leaks the password: %v", addr, err)
		}
	}
}

func TestWarningsComeBackWithResultsAndErrors(t *testing.T) {
	ok := `{"status":"success","warnings":["partial result: store \u001b[1mB\u001b[0m down"],"infos":["metric might not be a counter"],` +
		`"data":{"resultType":"vector","result":[]}}`
	bad := `{"status":"error","errorType":"execution","error":"cannot run","warnings":["hint: use rate()"]}`
	var fail atomic.Bool
	srv, _ := faulttest.Server(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(422)
			_, _ = w.Write([]byte(bad))
			return
		}
		_, _ = w.Write([]byte(ok))
	})
	c := newTestClient(t, srv.URL, faulttest.Policy())
	_, w, err := c.Query(context.Background(), "up", time.Time{})
	if err != nil || len(w) != 2 || w[0] != "partial result: store B down" || w[1] != "metric might not be a counter" {
		t.Fatalf("warnings %q, err %v", w, err)
	}
	fail.Store(true)
	_, w, err = c.Query(context.Background(), "up", time.Time{})
	if sources.KindOf(err) != sources.KindBadQuery || len(w) != 1 || w[0] != "hint: use rate()" {
		t.Fatalf("warnings %q, err %v", w, err)
	}
}
