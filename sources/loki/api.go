package loki

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/grafana/loki/v3/pkg/logcli/client"
	"github.com/grafana/loki/v3/pkg/logproto"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/sources/transport"
)

// lokiAPI is every Loki endpoint this package uses, in this package's
// types. The paging, splitting and tail logic sit on top of it, so unit
// tests can fake it and the logcli dependency can be swapped out.
type lokiAPI interface {
	queryRange(ctx context.Context, r rangeRequest) (page, error)
	query(ctx context.Context, expr string, limit int, at time.Time, in *labelInterner) (page, error)
	labels(ctx context.Context, from, to time.Time) ([]string, error)
	labelValues(ctx context.Context, name string, from, to time.Time) ([]string, error)
	series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, error)
	ready(ctx context.Context) error
	// tail opens a live tail starting at start. ctx bounds the dial only;
	// the connection lives until close.
	tail(ctx context.Context, expr string, start time.Time, in *labelInterner) (logtail.Conn, error)
}

// rangeRequest is one /query_range call.
type rangeRequest struct {
	expr       string
	limit      int
	start, end time.Time
	dir        Direction
	step       time.Duration // metric queries only
	intern     *labelInterner
}

// Loki's paths and the header that asks for structured metadata to come back
// apart from the stream labels.
const (
	tailPath            = "/loki/api/v1/tail"
	readyPath           = "/ready"
	encodingFlagsHeader = "X-Loki-Response-Encoding-Flags"
	categorizeLabels    = "categorize-labels"
	// maxBody bounds one answer read into memory; a full page of 5000
	// maximum-size lines would be larger, and that is a misconfiguration.
	maxBody = 256 << 20
)

// httpAPI implements lokiAPI with logcli's client for the query endpoints
// and plain HTTP / gorilla websocket for /ready and the tail.
type httpAPI struct {
	base     client.DefaultClient // auth fields set; copied per call
	rt       http.RoundTripper    // shared pooled transport with the TLS settings
	headed   http.RoundTripper    // rt plus transport.Options headers, for /ready
	addr     *url.URL
	tls      *tls.Config
	wsHeader http.Header
	dialer   *net.Dialer
}

func newHTTPAPI(u *url.URL, opts transport.Options) (*httpAPI, error) {
	tlsCfg, err := opts.TLSConfig()
	if err != nil {
		return nil, configError("TLS: " + sources.CleanMessage(err))
	}
	// logcli builds a new http.Transport per request from its TLSConfig
	// field, so connections are never reused, and it dereferences a nil
	// client when the TLS files fail to load. TLS therefore lives in one
	// shared transport that replaces logcli's through Tripperware.
	tlsOnly := transport.Options{CAFile: opts.CAFile, CertFile: opts.CertFile, KeyFile: opts.KeyFile,
		ServerName: opts.ServerName, InsecureSkipVerify: opts.InsecureSkipVerify}
	rt, err := tlsOnly.RoundTripper()
	if err != nil {
		return nil, configError("TLS: " + sources.CleanMessage(err))
	}
	base, err := logcliClient(u, opts)
	if err != nil {
		return nil, err
	}
	wsh, err := headersOf(opts)
	if err != nil {
		return nil, err
	}
	return &httpAPI{base: base, rt: rt, headed: opts.Wrap(rt), addr: u, tls: tlsCfg, wsHeader: wsh,
		dialer: &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}}, nil
}

// logcliClient maps transport.Options onto logcli's own fields. Where logcli
// has no field (a custom tenant header, basic auth with an empty password,
// the user agent, extra headers) the header goes in CustomHeaders, which
// logcli applies after its own, so the precedence matches transport.Options.
func logcliClient(u *url.URL, o transport.Options) (client.DefaultClient, error) {
	c := client.DefaultClient{Address: u.String()}
	var hdrs []string
	add := func(k, v string) error {
		if !validHeader(k, v) {
			return configError(fmt.Sprintf("header %q has an invalid name or value", sanitize.Line(k)))
		}
		hdrs = append(hdrs, k+": "+v)
		return nil
	}
	orgIDHeader := http.CanonicalHeaderKey(client.HTTPScopeOrgID)
	tenantHeader := http.CanonicalHeaderKey(o.TenantHeader)
	if tenantHeader == "" {
		tenantHeader = orgIDHeader
	}
	// Headers that the typed options set win over Headers, as in transport.
	overridden := map[string]bool{}
	if o.Tenant != "" {
		overridden[tenantHeader] = true
	}
	if o.BearerToken != "" || o.Username != "" {
		overridden["Authorization"] = true
	}
	if o.UserAgent != "" {
		overridden["User-Agent"] = true
	}
	keys := make([]string, 0, len(o.Headers))
	for k := range o.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if overridden[http.CanonicalHeaderKey(k)] {
			continue
		}
		if err := add(k, o.Headers[k]); err != nil {
			return c, err
		}
	}
	if o.Tenant != "" {
		if tenantHeader == orgIDHeader {
			c.OrgID = o.Tenant
		} else if err := add(tenantHeader, o.Tenant); err != nil {
			return c, err
		}
	}
	switch {
	case o.BearerToken != "":
		c.BearerToken = o.BearerToken // logcli refuses basic and bearer together
	case o.Username != "" && o.Password != "":
		c.Username, c.Password = o.Username, o.Password
	case o.Username != "":
		// logcli sends basic auth only with a password; transport does not
		// require one.
		if err := add("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(o.Username+":"))); err != nil {
			return c, err
		}
	}
	if o.UserAgent != "" {
		if err := add("User-Agent", o.UserAgent); err != nil {
			return c, err
		}
	}
	if err := add(encodingFlagsHeader, categorizeLabels); err != nil {
		return c, err
	}
	c.CustomHeaders = hdrs
	return c, nil
}

// validHeader rejects what logcli would fail on at request time or what
// would split a header line.
func validHeader(k, v string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return !strings.ContainsAny(v, "\r\n\x00")
}

// headersOf returns the headers transport.Options put on a request, for the
// websocket dial, which takes headers rather than a round tripper.
func headersOf(o transport.Options) (http.Header, error) {
	var got http.Header
	rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	req, err := http.NewRequest(http.MethodGet, "http://loki.invalid/", nil)
	if err != nil {
		return nil, err
	}
	if _, err := o.Wrap(rec).RoundTrip(req); err != nil {
		return nil, err
	}
	for k, vs := range got {
		for _, v := range vs {
			if !validHeader(k, v) {
				return nil, configError(fmt.Sprintf("header %q has an invalid name or value", sanitize.Line(k)))
			}
		}
	}
	// The websocket library sets these itself and refuses duplicates.
	for _, k := range []string{"Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version",
		"Sec-Websocket-Extensions", "Sec-Websocket-Protocol"} {
		got.Del(k)
	}
	got.Set(encodingFlagsHeader, categorizeLabels)
	return got, nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// callState is what the per-call round tripper saw. logcli runs the request
// and the body decode on the caller's goroutine, so no locking is needed.
type callState struct {
	sent    bool
	err     error // typed failure of the exchange
	readErr error // failure while reading a 2xx body
}

// capture is the round tripper handed to one logcli call. It binds the
// caller's context (logcli's requests have none), and on any failure it
// keeps the typed error and gives logcli a 200 whose body fails at the first
// read: logcli then returns at once, without logging through the standard
// logger and without its own retries (which would retry a 400).
type capture struct {
	ctx  context.Context
	op   string
	next http.RoundTripper
	st   *callState
}

// A 3xx is an error too, not followed: Loki does not redirect, and following
// would carry the credentials to wherever the redirect points.
func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.st.sent = true
	req = req.WithContext(c.ctx)
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		c.st.err = transportError(c.op, req.Method, req.URL, err)
		return aborted(req), nil
	}
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		c.st.err = httpError(c.op, resp.StatusCode, body)
		return aborted(req), nil
	}
	resp.Body = &watchedBody{rc: resp.Body, st: c.st, op: c.op}
	return resp, nil
}

func aborted(req *http.Request) *http.Response {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{},
		Body: io.NopCloser(failingReader{}), Request: req}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errAbortedRead{} }

type errAbortedRead struct{}

func (errAbortedRead) Error() string { return "request failed" }

// watchedBody records why a 2xx body could not be read, bounds its size, and
// never reports a close error (logcli would log it).
type watchedBody struct {
	rc io.ReadCloser
	st *callState
	op string
	n  int64
}

func (w *watchedBody) Read(p []byte) (int, error) {
	if w.n > maxBody {
		if w.st.err == nil {
			w.st.err = &sources.Error{Backend: backend, Op: w.op, Kind: sources.KindTooMuchData,
				Msg: fmt.Sprintf("answer larger than %d MiB; narrow the query or lower the page size", maxBody>>20)}
		}
		return 0, errAbortedRead{}
	}
	n, err := w.rc.Read(p)
	w.n += int64(n)
	if err != nil && err != io.EOF && w.st.readErr == nil {
		w.st.readErr = err
	}
	return n, err
}

func (w *watchedBody) Close() error {
	// Drain a little so the connection can go back to the pool.
	_, _ = io.CopyN(io.Discard, w.rc, 4<<10)
	_ = w.rc.Close()
	return nil
}

// transportError wraps a failure to talk to Loki. The URL kept in the cause
// has no userinfo and no query, so neither credentials nor the query text
// reach an error message.
func transportError(op, method string, u *url.URL, err error) error {
	clean := *u
	clean.User = nil
	clean.RawQuery = ""
	clean.Fragment = ""
	e := sources.Wrap(backend, op, &url.Error{Op: method, URL: clean.String(), Err: err})
	if se, ok := e.(*sources.Error); ok && se.Kind == sources.KindUnknown &&
		(err == io.EOF || err == io.ErrUnexpectedEOF) {
		se.Kind = sources.KindUnreachable // the connection dropped
	}
	return e
}

// call runs one logcli method with a per-call copy of the client.
func (a *httpAPI) call(ctx context.Context, op string, fn func(*client.DefaultClient) error) (err error) {
	st := &callState{}
	c := a.base
	c.Tripperware = func(http.RoundTripper) http.RoundTripper {
		return &capture{ctx: ctx, op: op, next: a.rt, st: st}
	}
	defer func() {
		if r := recover(); r != nil {
			err = &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadResponse,
				Msg: cut(sanitize.Line(fmt.Sprintf("could not decode the answer (%v)", r)), 200)}
		}
	}()
	ferr := fn(&c)
	switch {
	case st.err != nil:
		return st.err
	case ferr == nil:
		return nil
	case st.readErr != nil:
		return transportError(op, http.MethodGet, a.addr, st.readErr)
	case ctx.Err() != nil:
		return sources.Wrap(backend, op, ctx.Err())
	case !st.sent:
		return &sources.Error{Backend: backend, Op: op, Kind: sources.KindUnknown, Msg: sources.CleanMessage(ferr), Err: ferr}
	}
	msg := cut(sanitize.Line(ferr.Error()), 200)
	return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadResponse, Msg: "could not decode the answer: " + msg, Err: ferr}
}

func logDirection(d Direction) logproto.Direction {
	if d == Forward {
		return logproto.FORWARD
	}
	return logproto.BACKWARD
}

func (a *httpAPI) queryRange(ctx context.Context, r rangeRequest) (page, error) {
	var p page
	err := a.call(ctx, "query_range", func(c *client.DefaultClient) error {
		resp, err := c.QueryRange(r.expr, r.limit, r.start, r.end, logDirection(r.dir), r.step, 0, true)
		if err != nil {
			return err
		}
		p, err = toPage(resp, r.dir, r.intern)
		return err
	})
	return p, err
}

func (a *httpAPI) query(ctx context.Context, expr string, limit int, at time.Time, in *labelInterner) (page, error) {
	var p page
	err := a.call(ctx, "query", func(c *client.DefaultClient) error {
		resp, err := c.Query(expr, limit, at, logproto.BACKWARD, true)
		if err != nil {
			return err
		}
		p, err = toPage(resp, Backward, in)
		return err
	})
	return p, err
}

func (a *httpAPI) labels(ctx context.Context, from, to time.Time) ([]string, error) {
	out := []string{}
	err := a.call(ctx, "labels", func(c *client.DefaultClient) error {
		resp, err := c.ListLabelNames(true, from, to)
		if err == nil {
			out = append(out, resp.Data...)
		}
		return err
	})
	return out, err
}

func (a *httpAPI) labelValues(ctx context.Context, name string, from, to time.Time) ([]string, error) {
	out := []string{}
	err := a.call(ctx, "label_values", func(c *client.DefaultClient) error {
		resp, err := c.ListLabelValues(name, true, from, to)
		if err == nil {
			out = append(out, resp.Data...)
		}
		return err
	})
	return out, err
}

func (a *httpAPI) series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, error) {
	out := []map[string]string{}
	err := a.call(ctx, "series", func(c *client.DefaultClient) error {
		resp, err := c.Series(matchers, from, to, true)
		if err != nil {
			return err
		}
		for _, s := range resp.Data {
			m := map[string]string(s)
			if m == nil {
				m = map[string]string{}
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

func (a *httpAPI) endpoint(path string, q url.Values) *url.URL {
	u := *a.addr
	u.Path = a.addr.Path + path
	u.RawQuery = q.Encode()
	return &u
}

// ready asks /ready directly: logcli has no method for it.
func (a *httpAPI) ready(ctx context.Context) error {
	u := a.endpoint(readyPath, nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return transportError("ready", http.MethodGet, u, err)
	}
	resp, err := a.headed.RoundTrip(req)
	if err != nil {
		return transportError("ready", http.MethodGet, u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return httpError("ready", resp.StatusCode, body)
	}
	return nil
}

// tail dials the tail websocket itself instead of logcli's
// LiveTailQueryConn, which dials without a context (a hung handshake could
// not be cancelled, so the tail goroutine could not exit) and folds the
// HTTP status of a refused upgrade into a string.
func (a *httpAPI) tail(ctx context.Context, expr string, start time.Time, in *labelInterner) (logtail.Conn, error) {
	const op = "tail"
	q := url.Values{}
	q.Set("query", expr)
	q.Set("start", strconv.FormatInt(start.UnixNano(), 10))
	// The tail's own history is read from the store only (not the
	// ingesters), so catching up is done with query_range instead; ask for
	// as little history as Loki allows.
	q.Set("limit", "1")
	u := a.endpoint(tailPath, q)
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	// gorilla honours only a deadline during the handshake, not a cancel:
	// close the dialled connection when ctx ends.
	var mu sync.Mutex
	var dialed []net.Conn
	d := websocket.Dialer{
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := a.dialer.DialContext(ctx, network, addr)
			if err == nil {
				mu.Lock()
				dialed = append(dialed, c)
				mu.Unlock()
			}
			return c, err
		},
		TLSClientConfig:  a.tls,
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: time.Minute, // a fallback; the guard's deadline is shorter
		ReadBufferSize:   64 << 10,
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range dialed {
			_ = c.Close()
		}
	})
	conn, resp, err := d.DialContext(ctx, u.String(), a.wsHeader.Clone())
	if !stop() {
		if conn != nil {
			_ = conn.Close()
		}
		return nil, sources.Wrap(backend, op, ctx.Err())
	}
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			return nil, httpError(op, resp.StatusCode, body)
		}
		return nil, transportError(op, http.MethodGet, u, err)
	}
	return newWSTail(conn, in), nil
}
