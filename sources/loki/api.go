package loki

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/sources/transport"
)

// lokiAPI is every Loki endpoint this package uses, in this package's
// types. The paging, splitting and tail logic sit on top of it, so unit
// tests can fake it.
type lokiAPI interface {
	queryRange(ctx context.Context, r rangeRequest) (page, error)
	query(ctx context.Context, expr string, limit int, at time.Time, in *labelInterner) (page, error)
	labels(ctx context.Context, from, to time.Time) ([]string, error)
	labelValues(ctx context.Context, name string, from, to time.Time) ([]string, error)
	series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, error)
	ready(ctx context.Context) error
	// tail opens a live tail starting at start. ctx bounds the dial only;
	// the connection lives until Close.
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

// Loki's paths (Loki's HTTP API reference) and the header that asks for
// structured metadata and parsed labels to come back apart from the stream
// labels.
const (
	queryPath           = "/loki/api/v1/query"
	queryRangePath      = "/loki/api/v1/query_range"
	labelsPath          = "/loki/api/v1/labels"
	seriesPath          = "/loki/api/v1/series"
	tailPath            = "/loki/api/v1/tail"
	readyPath           = "/ready"
	encodingFlagsHeader = "X-Loki-Response-Encoding-Flags"
	categorizeLabels    = "categorize-labels"
	// maxBody bounds one answer read into memory; a full page of 5000
	// maximum-size lines would be larger, and that is a misconfiguration.
	maxBody = 256 << 20
	// maxErrorBody is how much of a failed answer is read for its text.
	maxErrorBody = 64 << 10
)

// httpAPI implements lokiAPI over Loki's HTTP API with net/http, and the
// tail over a gorilla websocket (ws.go).
type httpAPI struct {
	rt       http.RoundTripper // pooled transport: TLS, then tenant, auth and headers
	addr     *url.URL          // base URL; Path is the gateway prefix, no trailing slash
	tls      *tls.Config
	wsHeader http.Header
	proxy    func(*http.Request) (*url.URL, error) // for the websocket dial
	dialer   *net.Dialer
	// bodyLimit and frameLimit are maxBody and maxTailFrame; tests lower
	// them.
	bodyLimit, frameLimit int64
}

func newHTTPAPI(u *url.URL, opts transport.Options) (*httpAPI, error) {
	if err := opts.Check(); err != nil {
		return nil, configError(err.Error())
	}
	tlsCfg, err := opts.TLSConfig()
	if err != nil {
		return nil, configError("TLS: " + sources.CleanMessage(err))
	}
	proxy, err := opts.Proxy()
	if err != nil {
		return nil, configError(err.Error())
	}
	wsh, err := headersOf(opts)
	if err != nil {
		return nil, err
	}
	rt, err := opts.RoundTripper()
	if err != nil {
		return nil, configError("TLS: " + sources.CleanMessage(err))
	}
	return &httpAPI{rt: rt, addr: u, tls: tlsCfg, wsHeader: wsh, proxy: proxy,
		dialer:    &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second},
		bodyLimit: maxBody, frameLimit: maxTailFrame}, nil
}

// headersOf returns the headers transport.Options put on a request, for the
// websocket dial, which takes headers rather than a round tripper.
// newHTTPAPI has checked them (transport.Options.Check), so that a bad
// header is a configuration error rather than a failure of every call.
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

// endpoint joins the gateway prefix, path and query. rawPath, when set, is
// path with its segments escaped.
func (a *httpAPI) endpoint(path, rawPath string, q url.Values) *url.URL {
	u := *a.addr
	u.Path = a.addr.Path + path
	u.RawPath = ""
	if rawPath != "" {
		u.RawPath = a.addr.EscapedPath() + rawPath
	}
	u.RawQuery = q.Encode()
	return &u
}

// get runs one GET and returns the 2xx body, read whole up to maxBody.
// categorize asks for structured metadata and parsed labels apart from the
// stream labels; it is sent on every API call, as logcli does, and only
// the query answers change with it.
// Anything else is a typed error: the server's own text for a non-2xx
// (a 3xx too: Loki does not redirect, and following would carry the
// credentials wherever the redirect points), the transport's failure, or
// too much data.
func (a *httpAPI) get(ctx context.Context, op string, u *url.URL, categorize bool) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, sources.TransportError(backend, op, http.MethodGet, u, err)
	}
	req.Header.Set("Accept", "application/json")
	if categorize {
		req.Header.Set(encodingFlagsHeader, categorizeLabels)
	}
	resp, err := a.rt.RoundTrip(req)
	if err != nil {
		return nil, sources.TransportError(backend, op, http.MethodGet, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, httpError(op, resp.StatusCode, body)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, a.bodyLimit+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, sources.Wrap(backend, op, ctx.Err())
		}
		return nil, sources.TransportError(backend, op, http.MethodGet, u, err)
	}
	if int64(len(body)) > a.bodyLimit {
		return nil, &sources.Error{Backend: backend, Op: op, Kind: sources.KindTooMuchData,
			Msg: fmt.Sprintf("answer larger than %s; narrow the query or lower the page size", size(a.bodyLimit))}
	}
	return body, nil
}

// badResponse types an answer that came back 2xx but could not be read.
func badResponse(op string, err error) error {
	return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadResponse,
		Msg: "could not decode the answer: " + cut(sanitize.Line(err.Error()), 200), Err: err}
}

// size renders a byte limit for a message.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func nanos(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

func (a *httpAPI) queryRange(ctx context.Context, r rangeRequest) (page, error) {
	const op = "query_range"
	q := url.Values{}
	q.Set("query", r.expr)
	q.Set("limit", strconv.Itoa(r.limit))
	q.Set("start", nanos(r.start))
	q.Set("end", nanos(r.end))
	q.Set("direction", r.dir.String())
	if r.step != 0 {
		q.Set("step", strconv.FormatFloat(r.step.Seconds(), 'f', -1, 64))
	}
	body, err := a.get(ctx, op, a.endpoint(queryRangePath, "", q), true)
	if err != nil {
		return page{}, err
	}
	p, err := decodeQueryBody(body, r.dir, r.intern)
	if err != nil {
		return page{}, badResponse(op, err)
	}
	return p, nil
}

func (a *httpAPI) query(ctx context.Context, expr string, limit int, at time.Time, in *labelInterner) (page, error) {
	const op = "query"
	q := url.Values{}
	q.Set("query", expr)
	q.Set("limit", strconv.Itoa(limit))
	q.Set("time", nanos(at))
	q.Set("direction", Backward.String())
	body, err := a.get(ctx, op, a.endpoint(queryPath, "", q), true)
	if err != nil {
		return page{}, err
	}
	p, err := decodeQueryBody(body, Backward, in)
	if err != nil {
		return page{}, badResponse(op, err)
	}
	return p, nil
}

func spanParams(from, to time.Time) url.Values {
	q := url.Values{}
	q.Set("start", nanos(from))
	q.Set("end", nanos(to))
	return q
}

func (a *httpAPI) labels(ctx context.Context, from, to time.Time) ([]string, error) {
	const op = "labels"
	body, err := a.get(ctx, op, a.endpoint(labelsPath, "", spanParams(from, to)), true)
	if err != nil {
		return nil, err
	}
	out, err := decodeStrings(body)
	if err != nil {
		return nil, badResponse(op, err)
	}
	return out, nil
}

func (a *httpAPI) labelValues(ctx context.Context, name string, from, to time.Time) ([]string, error) {
	const op = "label_values"
	path := "/loki/api/v1/label/" + name + "/values"
	raw := "/loki/api/v1/label/" + url.PathEscape(name) + "/values"
	body, err := a.get(ctx, op, a.endpoint(path, raw, spanParams(from, to)), true)
	if err != nil {
		return nil, err
	}
	out, err := decodeStrings(body)
	if err != nil {
		return nil, badResponse(op, err)
	}
	return out, nil
}

func (a *httpAPI) series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, error) {
	const op = "series"
	q := spanParams(from, to)
	for _, m := range matchers {
		q.Add("match[]", m)
	}
	body, err := a.get(ctx, op, a.endpoint(seriesPath, "", q), true)
	if err != nil {
		return nil, err
	}
	out, err := decodeSeries(body)
	if err != nil {
		return nil, badResponse(op, err)
	}
	return out, nil
}

// ready asks /ready, which answers 200 and a short text when Loki is ready.
func (a *httpAPI) ready(ctx context.Context) error {
	_, err := a.get(ctx, "ready", a.endpoint(readyPath, "", nil), false)
	return err
}
