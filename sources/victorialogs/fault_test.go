package victorialogs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

// These tests use httptest for what a real VictoriaLogs cannot be made to
// do on demand: answer garbage, fail in the middle of an answer, redirect,
// send an over-long row, go silent. The happy path runs against the real
// server in the integration tests.

func fastPolicy() resilience.Policy {
	return resilience.Policy{Timeout: 2 * time.Second, MaxAttempts: 3, BaseBackoff: time.Millisecond,
		MaxBackoff: 2 * time.Millisecond, BreakerFailures: 1000, BreakerOpenFor: time.Minute}
}

func faultClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Guard == nil {
		cfg.Guard = resilience.New(backend, fastPolicy())
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recorder answers every request with an empty 200 and keeps what came.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	_ = req.ParseForm()
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if strings.HasSuffix(req.URL.Path, "field_names") || strings.HasSuffix(req.URL.Path, "field_values") {
		_, _ = w.Write([]byte(`{"values":[]}`))
	}
}

func (r *recorder) last() *http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

func TestTenantAuthHeadersAndPrefix(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	for _, c := range []struct {
		name string
		opts transport.Options
		want map[string]string
	}{
		{"account and project", transport.Options{Tenant: "12:34"}, map[string]string{"AccountID": "12", "ProjectID": "34", "X-Scope-OrgID": ""}},
		{"account only", transport.Options{Tenant: "5"}, map[string]string{"AccountID": "5", "ProjectID": "0"}},
		{"tenant wins over headers", transport.Options{Tenant: "1:2", Headers: map[string]string{"accountid": "9", "X-Team": "sre"}},
			map[string]string{"AccountID": "1", "ProjectID": "2", "X-Team": "sre"}},
		{"gateway header", transport.Options{Tenant: "team-a", TenantHeader: "X-Scope-OrgID"},
			map[string]string{"X-Scope-OrgID": "team-a", "AccountID": ""}},
		{"headers only", transport.Options{Headers: map[string]string{"AccountID": "3", "ProjectID": "4"}},
			map[string]string{"AccountID": "3", "ProjectID": "4"}},
		{"bearer", transport.Options{BearerToken: "tok"}, map[string]string{"Authorization": "Bearer tok"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := faultClient(t, Config{Address: srv.URL + "/vl/", Transport: c.opts})
			if _, err := cl.Labels(context.Background(), t0, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			r := rec.last()
			if r.URL.Path != "/vl"+fieldNamesPath {
				t.Fatalf("path %s, want the prefix kept", r.URL.Path)
			}
			for k, v := range c.want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	for _, bad := range []string{"a:b", "1:2:3", "-1", "99999999999", ":"} {
		_, err := New(Config{Address: srv.URL, Transport: transport.Options{Tenant: bad}})
		if sources.KindOf(err) != sources.KindConfig || !strings.Contains(err.Error(), "tenant") {
			t.Errorf("tenant %q: %v", bad, err)
		}
	}
	// Userinfo in the address becomes basic auth and leaves the URL.
	cl := faultClient(t, Config{Address: strings.Replace(srv.URL, "http://", "http://u:hunter2@", 1)})
	if _, err := cl.Labels(context.Background(), t0, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u, p, ok := rec.last().BasicAuth(); !ok || u != "u" || p != "hunter2" {
		t.Fatalf("basic auth %q %q %v", u, p, ok)
	}
}

func TestConfigErrorsKeepSecrets(t *testing.T) {
	for name, cfg := range map[string]Config{
		"bad url":     {Address: "ftp://u:hunter2@host"},
		"header":      {Address: "http://h", Transport: transport.Options{Headers: map[string]string{"X-Bad\n": "hunter2"}}},
		"header val":  {Address: "http://h", Transport: transport.Options{Headers: map[string]string{"X-Key": "hunter2\r\nX: y"}}},
		"token":       {Address: "http://h", Transport: transport.Options{BearerToken: "hunter2\n"}},
		"page size":   {Address: "http://u:hunter2@h", PageSize: -1},
		"tail offset": {Address: "http://h", Tail: TailConfig{Offset: -time.Second}},
		"ca file":     {Address: "https://h", Transport: transport.Options{CAFile: "/nonexistent/hunter2.pem"}},
	} {
		_, err := New(cfg)
		if sources.KindOf(err) != sources.KindConfig {
			t.Errorf("%s: got %v, want a config error", name, err)
			continue
		}
		if name != "ca file" && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error repeats a secret: %v", name, err)
		}
	}
}

func TestUnreachableErrorHasNoSecrets(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	_ = l.Close()
	c := faultClient(t, Config{Address: "http://u:hunter2@" + addr, Transport: transport.Options{BearerToken: "s3cret"}})
	_, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `{app="hunter2"}`})
	if sources.KindOf(err) != sources.KindUnreachable {
		t.Fatalf("got %v", err)
	}
	for _, secret := range []string{"hunter2", "s3cret"} {
		if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", err), secret) {
			t.Fatalf("error carries %q: %v", secret, err)
		}
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var followed atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Store(true) }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL, Transport: transport.Options{BearerToken: "tok"}})
	_, err := c.Labels(context.Background(), t0, t0.Add(time.Hour))
	if err == nil || followed.Load() {
		t.Fatalf("redirect followed (%v), error %v", followed.Load(), err)
	}
}

func TestGarbageAndMidStreamErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		kind sources.Kind
		msg  string
	}{
		"binary":     {"\x00\xff\xfegarbage\x1b[2J", sources.KindServerError, "garbage"},
		"truncated":  {`{"_time":"2026-01-01T00:00:00Z","_msg":"x"`, sources.KindBadResponse, "decode"},
		"bad time":   {`{"_time":"soon"}`, sources.KindBadResponse, "_time"},
		"stats rows": {`{"count(*)":"12"}`, sources.KindBadQuery, "_time"},
		"mid-stream": {`{"_time":"2026-01-01T00:00:00Z","_msg":"x"}` + "\n\ncannot execute query [x]: error reading &quot;part&quot;\n",
			sources.KindServerError, `error reading "part"`},
		"timed out": {"\nthe request couldn't be executed in 30.000 seconds; possible solutions: ...\n", sources.KindTimeout, "couldn't be executed"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			p := fastPolicy()
			p.MaxAttempts = 1
			c := faultClient(t, Config{Address: srv.URL, Guard: resilience.New(backend, p)})
			_, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `*`})
			if sources.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v (%v), want %v with %q", err, sources.KindOf(err), tc.kind, tc.msg)
			}
			if strings.ContainsRune(err.Error(), 0x1b) {
				t.Fatalf("control bytes reached the message: %q", err.Error())
			}
		})
	}
}

func TestOverlongRowsAreSkippedWithAWarning(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"_time":"2026-01-01T00:00:01Z","_msg":"%s"}`+"\n", strings.Repeat("x", 5000))
		fmt.Fprint(w, `{"_time":"2026-01-01T00:00:00Z","_msg":"short"}`+"\n")
	}))
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL, MaxLineBytes: 1000})
	res, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `*`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].Line != "short" || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "1 entries longer than 1000 bytes") {
		t.Fatalf("%+v", res)
	}
}

func TestPageAnswerIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 100; i++ {
			fmt.Fprintf(w, `{"_time":"2026-01-01T00:00:00Z","_msg":"row %d"}`+"\n", i)
		}
	}))
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL})
	c.maxPage = 1000
	_, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `*`})
	if sources.KindOf(err) != sources.KindTooMuchData || !strings.Contains(err.Error(), "lower the page size") {
		t.Fatalf("got %v, want too much data", err)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "couldn't start executing the request in 10.000 seconds, since -search.maxConcurrentRequests=2 concurrent requests are executed", 503)
	}))
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL})
	_, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `*`})
	if sources.KindOf(err) != sources.KindRateLimited || hits.Load() != 3 {
		t.Fatalf("got %v after %d requests, want rate limited after 3", err, hits.Load())
	}
	hits.Store(0)
	if err := c.Ping(context.Background()); err == nil || hits.Load() != 1 {
		t.Fatalf("ping: %v after %d requests, want one unretried request", err, hits.Load())
	}
}

// fakeTail serves /select/logsql/tail from a script per connection, an
// empty /select/logsql/query for catch-up, and /health as healthy says.
type fakeTail struct {
	mu      sync.Mutex
	scripts []func(w http.ResponseWriter, f http.Flusher)
	dials   int
	healthy atomic.Bool
	form    chan map[string][]string
}

func (f *fakeTail) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case healthPath:
		if !f.healthy.Load() {
			http.Error(w, "unhealthy", http.StatusServiceUnavailable)
		}
		return
	case queryPath:
		return
	}
	_ = r.ParseForm()
	select {
	case f.form <- r.Form:
	default:
	}
	f.mu.Lock()
	var script func(http.ResponseWriter, http.Flusher)
	if f.dials < len(f.scripts) {
		script = f.scripts[f.dials]
	}
	f.dials++
	f.mu.Unlock()
	fl := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/x-ndjson")
	fl.Flush()
	if script != nil {
		script(w, fl)
	}
	<-r.Context().Done()
}

func (f *fakeTail) dialCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dials
}

func row(ts time.Time, msg string) string {
	return fmt.Sprintf(`{"_time":%q,"_msg":%q,"_stream":"{app=\"a\"}","app":"a"}`+"\n", ts.UTC().Format(time.RFC3339Nano), msg)
}

func TestTailStreamFaults(t *testing.T) {
	// The tail starts now; the endpoint's first pass reaches back before
	// that, and what it finds there must not come through.
	now := time.Now().Add(time.Second)
	f := &fakeTail{form: make(chan map[string][]string, 1)}
	f.healthy.Store(true)
	f.scripts = []func(http.ResponseWriter, http.Flusher){
		func(w http.ResponseWriter, fl http.Flusher) {
			fmt.Fprint(w, row(now.Add(-5*time.Second), "before the start")+row(now, "one")+`{"_time":"x","_msg":"`+strings.Repeat("y", 3000)+`"}`+"\n"+row(now.Add(time.Millisecond), "two"))
			fl.Flush()
			time.Sleep(50 * time.Millisecond)
			// VictoriaLogs' error after the stream began.
			fmt.Fprint(w, "\ncannot execute tail query [x]: storage is shutting down\n")
			fl.Flush()
		},
		func(w http.ResponseWriter, fl http.Flusher) {
			fmt.Fprint(w, row(now.Add(time.Millisecond), "two")+row(now.Add(2*time.Millisecond), "three"))
			fl.Flush()
		},
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL, MaxLineBytes: 1000,
		Tail: TailConfig{Offset: 2 * time.Second, Refresh: 250 * time.Millisecond, Engine: logtail.Options{BackoffBase: time.Millisecond}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tl := c.Tail(ctx, `{app="a"}`, time.Time{})
	form := <-f.form
	if form["offset"][0] != "2000ms" || form["refresh_interval"][0] != "250ms" || form["query"][0] != `{app="a"}` {
		t.Fatalf("tail arguments %v", form)
	}
	var got []string
	for len(got) < 3 {
		select {
		case es := <-tl.C():
			for _, e := range es {
				got = append(got, e.Line)
			}
		case <-ctx.Done():
			t.Fatalf("got %v, status %+v", got, tl.Status())
		}
	}
	if strings.Join(got, ",") != "one,two,three" {
		t.Fatalf("got %v: a line lost or repeated across the reconnect", got)
	}
	st := tl.Status()
	if st.Dropped != 1 || st.Reconnects != 1 || !strings.Contains(strings.Join(st.Warnings, "|"), "longer than 1000 bytes") {
		t.Fatalf("status %+v", st)
	}
	cancel()
	<-tl.Done()
}

func TestTailIdleProbe(t *testing.T) {
	f := &fakeTail{form: make(chan map[string][]string, 1)}
	f.healthy.Store(true)
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := faultClient(t, Config{Address: srv.URL,
		Tail: TailConfig{IdleProbe: 50 * time.Millisecond, Engine: logtail.Options{BackoffBase: time.Millisecond}}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tl := c.Tail(ctx, `*`, time.Time{})
	// Silent but healthy: the tail stays on its one connection.
	time.Sleep(400 * time.Millisecond)
	if st := tl.Status(); st.State != sources.TailLive || f.dialCount() != 1 {
		t.Fatalf("a silent healthy tail: %+v after %d dials", st, f.dialCount())
	}
	// Silent and unhealthy: it reconnects.
	f.healthy.Store(false)
	for f.dialCount() < 2 {
		if ctx.Err() != nil {
			t.Fatalf("no reconnect after a failed health check: %+v", tl.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := tl.Status(); st.Reconnects < 1 {
		t.Fatalf("status %+v", st)
	}
	err := (&tailConn{c: c}).probe(ctx)
	if sources.KindOf(err) != sources.KindServerError || !strings.Contains(err.Error(), "no data for 50ms and the health check failed: unhealthy") {
		t.Fatalf("probe: %v", err)
	}
	cancel()
	<-tl.Done()
	if tl.Err() != nil {
		t.Fatalf("cancelled tail ended with %v", tl.Err())
	}
}

func TestTailDialTimeoutAndBadQuery(t *testing.T) {
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hung.Close()
	defer close(release)
	p := fastPolicy()
	p.Timeout = 100 * time.Millisecond
	c := faultClient(t, Config{Address: hung.URL, Guard: resilience.New(backend, p)})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tl := c.Tail(ctx, `*`, time.Time{})
	for sources.KindOf(tl.Status().LastErr) != sources.KindTimeout {
		if ctx.Err() != nil {
			t.Fatalf("status %+v", tl.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-tl.Done()

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the query [* | limit 5] cannot be used in live tailing; see https://docs.victoriametrics.com/victorialogs/querying/#live-tailing for details", 400)
	}))
	defer bad.Close()
	c = faultClient(t, Config{Address: bad.URL})
	tl = c.Tail(context.Background(), `* | limit 5`, time.Time{})
	select {
	case <-tl.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a refused tail did not end")
	}
	var se *sources.Error
	if !errors.As(tl.Err(), &se) || se.Kind != sources.KindBadQuery || !strings.Contains(se.Msg, "cannot be used in live tailing") {
		t.Fatalf("ended with %v", tl.Err())
	}
}
