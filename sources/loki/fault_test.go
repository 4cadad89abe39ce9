package loki

import (
	"context"
	"encoding/base64"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

// These tests use httptest only for what a real Loki cannot be made to do:
// hang, answer garbage, or answer errors on demand. The happy path is tested
// against the real Loki in integration_test.go.

func faultClient(t *testing.T, url string, p resilience.Policy, opts transport.Options) *Client {
	t.Helper()
	c, err := New(Config{Address: url, Transport: opts, Guard: resilience.New(backend, p)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fastPolicy() resilience.Policy {
	return resilience.Policy{Timeout: 2 * time.Second, MaxAttempts: 3, BaseBackoff: time.Millisecond,
		MaxBackoff: 2 * time.Millisecond, BreakerFailures: 1000, BreakerOpenFor: time.Minute}
}

// everyCall runs the same read through each query method.
func everyCall(c *Client) map[string]func(context.Context) error {
	from, to := t0, t0.Add(time.Hour)
	return map[string]func(context.Context) error{
		"query_range": func(ctx context.Context) error {
			_, err := c.QueryRange(ctx, Query{Expr: `{a="b"}`, From: from, To: to})
			return err
		},
		"metric": func(ctx context.Context) error {
			_, _, err := c.MetricRange(ctx, `rate({a="b"}[1m])`, from, to, time.Minute)
			return err
		},
		"instant": func(ctx context.Context) error {
			_, err := c.Instant(ctx, `count_over_time({a="b"}[1m])`, to, 0)
			return err
		},
		"labels": func(ctx context.Context) error { _, err := c.Labels(ctx, from, to); return err },
		"values": func(ctx context.Context) error { _, err := c.LabelValues(ctx, "a", from, to); return err },
		"series": func(ctx context.Context) error { _, err := c.Series(ctx, []string{`{a="b"}`}, from, to); return err },
	}
}

func TestHangTimesOutThenBreakerOpens(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	p := fastPolicy()
	p.Timeout, p.MaxAttempts, p.BreakerFailures = 200*time.Millisecond, 1, 2
	c := faultClient(t, srv.URL, p, transport.Options{})
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		_, err := c.Labels(ctx, t0, t0.Add(time.Hour))
		if sources.KindOf(err) != sources.KindTimeout {
			t.Fatalf("call %d: got %v, want a timeout", i, err)
		}
	}
	_, err := c.Labels(ctx, t0, t0.Add(time.Hour))
	if sources.KindOf(err) != sources.KindCircuitOpen {
		t.Fatalf("third call: got %v, want the breaker open", err)
	}
	if n := hits.Load(); n != 2 {
		t.Fatalf("server saw %d requests, want 2 (the open breaker must not call)", n)
	}
	if h := c.Health(); h.Breaker != "open" || h.LastErr == nil {
		t.Fatalf("health %+v", h)
	}
}

func TestGarbageIsBadResponse(t *testing.T) {
	for name, body := range map[string]string{
		"binary":    "\x00\xff\xfegarbage\x1b[2J",
		"truncated": `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["1","x"`,
		"not json":  "<html>hello</html>",
		"wrong":     `{"status":"success","data":{"resultType":"streams","result":{"oops":1}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
			for call, fn := range everyCall(c) {
				if call == "labels" || call == "values" || call == "series" {
					if name == "wrong" || name == "truncated" {
						continue // those bodies are query-shaped
					}
				}
				err := fn(context.Background())
				if sources.KindOf(err) != sources.KindBadResponse {
					t.Errorf("%s: got %v, want a bad response", call, err)
					continue
				}
				if strings.ContainsRune(err.Error(), 0x1b) {
					t.Errorf("%s: control bytes reached the message: %q", call, err.Error())
				}
			}
		})
	}
}

func TestRetryStormsAreBounded(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   sources.Kind
	}{
		{429, "too many outstanding requests", sources.KindRateLimited},
		{503, "Ingester not ready: waiting for 15s after being ready", sources.KindServerError},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				http.Error(w, tc.body, tc.status)
			}))
			defer srv.Close()
			c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
			for call, fn := range everyCall(c) {
				hits.Store(0)
				err := fn(context.Background())
				if sources.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.body) {
					t.Errorf("%s: got %v, want %s with the server's text", call, err, tc.want)
				}
				if n := hits.Load(); n != int32(fastPolicy().MaxAttempts) {
					t.Errorf("%s: %d attempts, want %d", call, n, fastPolicy().MaxAttempts)
				}
			}
		})
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   sources.Kind
	}{
		{400, "parse error at line 1, col 4: syntax error: unexpected IDENTIFIER", sources.KindBadQuery},
		{422, "unprocessable: step too small", sources.KindBadQuery},
		{400, "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)", sources.KindTooMuchData},
		{401, "no org id", sources.KindUnauthorized},
	} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			http.Error(w, tc.body, tc.status)
		}))
		c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
		for call, fn := range everyCall(c) {
			hits.Store(0)
			err := fn(context.Background())
			var se *sources.Error
			if sources.KindOf(err) != tc.want || !strings.Contains(err.Error(), tc.body) {
				t.Errorf("%d %s: got %v, want %s with the server's text", tc.status, call, err, tc.want)
			} else if se, _ = err.(*sources.Error); se.Status != tc.status {
				t.Errorf("%d %s: status %d", tc.status, call, se.Status)
			}
			if n := hits.Load(); n != 1 {
				t.Errorf("%d %s: %d attempts, want 1", tc.status, call, n)
			}
		}
		srv.Close()
	}
}

func TestUnreachableKeepsCredentialsOut(t *testing.T) {
	addr := freeClosedAddr(t) // nothing listens there now
	p := fastPolicy()
	p.MaxAttempts = 1
	c := faultClient(t, "http://alice:s3cr3t-pw@"+addr, p, transport.Options{BearerToken: "", Tenant: "t1"})
	for call, fn := range everyCall(c) {
		err := fn(context.Background())
		if sources.KindOf(err) != sources.KindUnreachable {
			t.Errorf("%s: got %v, want unreachable", call, err)
		}
		if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(sources.CleanMessage(err), "s3cr3t") {
			t.Errorf("%s: the password reached the error: %v", call, err)
		}
		if se, ok := err.(*sources.Error); ok && se.Err != nil && strings.Contains(se.Err.Error(), "s3cr3t") {
			t.Errorf("%s: the password reached the cause: %v", call, se.Err)
		}
	}
	if err := c.Ping(context.Background()); sources.KindOf(err) != sources.KindUnreachable {
		t.Errorf("ping: got %v", err)
	}
}

func TestPingReportsNotReady(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/loki/ready" {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "Ingester not ready: waiting for 15s after being ready", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL+"/loki/", fastPolicy(), transport.Options{})
	err := c.Ping(context.Background())
	if sources.KindOf(err) != sources.KindServerError || !strings.Contains(err.Error(), "Ingester not ready") {
		t.Fatalf("got %v", err)
	}
}

// The auth, tenant and header options must reach Loki on every path: the
// queries, /ready and the tail handshake.
func TestRequestsCarryAuthAndHeaders(t *testing.T) {
	type seen struct{ path, auth, tenant, extra, flags, ua string }
	var mu sync.Mutex
	var got []seen
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("X-Tenant"),
			r.Header.Get("X-Extra"), r.Header.Get(encodingFlagsHeader), r.Header.Get("User-Agent")})
		mu.Unlock()
		switch r.URL.Path {
		case tailPath:
			conn, err := up.Upgrade(w, r, nil)
			if err == nil {
				_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
				conn.Close()
			}
		case readyPath:
			_, _ = w.Write([]byte("ready"))
		default:
			_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
		}
	}))
	defer srv.Close()
	cases := map[string]struct {
		opts transport.Options
		auth string
	}{
		"basic":    {transport.Options{Username: "u", Password: "p"}, "Basic " + base64.StdEncoding.EncodeToString([]byte("u:p"))},
		"nopass":   {transport.Options{Username: "u"}, "Basic " + base64.StdEncoding.EncodeToString([]byte("u:"))},
		"bearer":   {transport.Options{BearerToken: "tok", Username: "ignored", Password: "x"}, "Bearer tok"},
		"override": {transport.Options{BearerToken: "tok", Headers: map[string]string{"Authorization": "Bearer wrong"}}, "Bearer tok"},
	}
	for name, tc := range cases {
		mu.Lock()
		got = nil
		mu.Unlock()
		tc.opts.Tenant, tc.opts.TenantHeader, tc.opts.UserAgent = "team-a", "X-Tenant", "reltui-test"
		if tc.opts.Headers == nil {
			tc.opts.Headers = map[string]string{}
		}
		tc.opts.Headers["X-Extra"] = "yes"
		c := faultClient(t, srv.URL, fastPolicy(), tc.opts)
		if _, err := c.Labels(context.Background(), t0, t0.Add(time.Hour)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.Ping(context.Background()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		tl := c.Tail(ctx, `{a="b"}`, time.Time{})
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n >= 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the tail never dialled", name)
			}
		}
		cancel()
		waitDone(t, tl)
		mu.Lock()
		for _, s := range got[:3] {
			if s.auth != tc.auth || s.tenant != "team-a" || s.extra != "yes" || s.ua != "reltui-test" {
				t.Errorf("%s %s: auth %q tenant %q extra %q ua %q", name, s.path, s.auth, s.tenant, s.extra, s.ua)
			}
			if s.path != readyPath && s.flags != categorizeLabels {
				t.Errorf("%s %s: no categorize-labels flag", name, s.path)
			}
		}
		mu.Unlock()
	}
}

// Nothing may reach the standard logger, which would draw over the
// terminal UI (logcli's client logged every failed request there).
func TestNothingReachesTheStandardLogger(t *testing.T) {
	var buf strings.Builder
	var bufMu sync.Mutex
	log.SetOutput(writerFunc(func(p []byte) (int, error) {
		bufMu.Lock()
		defer bufMu.Unlock()
		return buf.Write(p)
	}))
	defer log.SetOutput(os.Stderr)
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch s := int(status.Load()); s {
		case 200:
			_, _ = w.Write([]byte("\x00garbage"))
		default:
			http.Error(w, "parse error at line 1", s)
		}
	}))
	closed := freeClosedAddr(t)
	for _, s := range []int32{200, 400, 503, 0} {
		status.Store(s)
		url := srv.URL
		if s == 0 {
			url = "http://" + closed
		}
		c := faultClient(t, url, fastPolicy(), transport.Options{Username: "u", Password: "p"})
		for _, fn := range everyCall(c) {
			_ = fn(context.Background())
		}
	}
	srv.Close()
	bufMu.Lock()
	defer bufMu.Unlock()
	if buf.Len() > 0 {
		t.Fatalf("the standard logger got:\n%s", buf.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func freeClosedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestNewValidatesAddress(t *testing.T) {
	for _, addr := range []string{"", "loki:3100", "ftp://loki:3100", "http://", "http://:3100", "http://loki/?x=1",
		"http://user:hunter2@loki\x7f:3100"} {
		_, err := New(Config{Address: addr})
		se, ok := err.(*sources.Error)
		if !ok || se.Kind != sources.KindConfig {
			t.Errorf("%q: got %v, want a config error", addr, err)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: the password reached the error: %v", addr, err)
		}
	}
	if _, err := New(Config{Address: "http://loki:3100", Transport: transport.Options{Headers: map[string]string{"Bad Name": "x"}}}); err == nil {
		t.Error("a header name with a space was accepted")
	}
	if _, err := New(Config{Address: "http://loki:3100", Transport: transport.Options{CAFile: "/nonexistent/ca.pem"}}); err == nil {
		t.Error("a missing CA file was accepted")
	}
	if _, err := New(Config{Address: "https://loki.example:443/prefix/"}); err != nil {
		t.Errorf("a valid address was refused: %v", err)
	}
}
