// Package prom reads metrics, exemplars, alerts and rules from Prometheus (or
// a server that speaks its HTTP API: VictoriaMetrics, Mimir, Thanos) through
// client_golang's api/prometheus/v1, behind reltui's own types and errors.
//
// Every call goes through a resilience.Guard, so it has a per-attempt
// timeout, bounded retries for retryable failures and a circuit breaker, and
// every failure is a *sources.Error whose Kind says what the caller can do.
package prom

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

// Backend is the name this client reports in errors and health.
const Backend = "prometheus"

// DefaultMaxResponseBytes bounds one response body. client_golang buffers a
// whole body in memory before decoding, so an unbounded range query over a
// wide selector could exhaust a terminal's memory; past this the call fails
// with KindTooMuchData and the user narrows the query.
const DefaultMaxResponseBytes = 64 << 20

// Config configures a Client.
type Config struct {
	// Address is the base URL, e.g. http://localhost:9090 or
	// https://mimir.example/prometheus (a path prefix is kept).
	Address string
	// Transport carries auth, tenant, extra headers and TLS.
	Transport transport.Options
	// Guard is shared by every caller of this backend; nil gets
	// resilience.New("prometheus", resilience.DefaultPolicy()).
	Guard *resilience.Guard
	// MaxResponseBytes overrides DefaultMaxResponseBytes when positive.
	MaxResponseBytes int64
}

// Client reads from one Prometheus. It is safe for concurrent use.
type Client struct {
	base  api.Client
	guard *resilience.Guard
}

// New validates cfg and returns a Client. It makes no network call.
func New(cfg Config) (*Client, error) {
	u, err := validateAddress(Backend, cfg.Address)
	if err != nil {
		return nil, err
	}
	rt, err := cfg.Transport.RoundTripper()
	if err != nil {
		return nil, sources.ConfigError(Backend, sources.CleanMessage(err), err)
	}
	limit := cfg.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	base, err := api.NewClient(api.Config{Address: u.String(), RoundTripper: &limitRT{next: rt, max: limit}})
	if err != nil {
		return nil, sources.ConfigError(Backend, sources.CleanMessage(err), err)
	}
	g := cfg.Guard
	if g == nil {
		g = resilience.New(Backend, resilience.DefaultPolicy())
	}
	return &Client{base: base, guard: g}, nil
}

// validateAddress accepts only absolute http(s) URLs, and never echoes
// userinfo back in the error.
func validateAddress(backend, addr string) (*url.URL, error) {
	bad := func(why string) error {
		return sources.ConfigError(backend, "invalid address: "+why, nil)
	}
	u, err := transport.ParseBaseURL(addr)
	if err != nil {
		return nil, bad(err.Error())
	}
	return u, nil
}

// Health reports the backend's recent behaviour for the status bar.
func (c *Client) Health() resilience.Health { return c.guard.Health() }

// Ping asks GET /-/ready, which answers 200 only once Prometheus has loaded
// its TSDB and can serve queries.
func (c *Client) Ping(ctx context.Context) error {
	return c.guard.Do(ctx, "ping", true, func(ctx context.Context) error {
		req, err := http.NewRequest(http.MethodGet, c.base.URL("/-/ready", nil).String(), nil)
		if err != nil {
			return err
		}
		resp, body, err := c.base.Do(ctx, req)
		if err != nil {
			return mapError("ping", 0, err)
		}
		if resp.StatusCode/100 != 2 {
			return sources.HTTPError(Backend, "ping", resp.StatusCode, string(body))
		}
		return nil
	})
}

// result carries a decoded value and its warnings through the guard.
type result[T any] struct {
	v        T
	warnings []string
}

// call runs one API request under the guard. Each attempt gets its own
// statusRecorder and v1.API (a cheap struct), so that the HTTP status, which
// v1 does not return, can classify the error without shared state.
//
// Warnings of a failed last attempt are returned with its error: a 422 may
// carry advice that explains it.
func call[T any](ctx context.Context, c *Client, op string, fn func(context.Context, v1.API) (T, v1.Warnings, v1.Infos, error)) (T, []string, error) {
	var lastWarnings []string // attempts run one after another
	r, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (result[T], error) {
		rec := &statusRecorder{Client: c.base}
		v, w, i, err := fn(ctx, v1.NewAPI(rec))
		lastWarnings = cleanWarnings(w, i)
		if err != nil {
			return result[T]{}, mapError(op, rec.status, err)
		}
		return result[T]{v: v, warnings: lastWarnings}, nil
	})
	if err != nil {
		return r.v, lastWarnings, err
	}
	return r.v, r.warnings, nil
}

// cleanWarnings merges Prometheus 3 "infos" into the warnings: both are
// advice the user should see next to the result, e.g. "metric might not be
// a counter".
func cleanWarnings(w v1.Warnings, infos v1.Infos) []string {
	if len(w)+len(infos) == 0 {
		return nil
	}
	out := make([]string, 0, len(w)+len(infos))
	for _, s := range w {
		out = append(out, cleanText(s))
	}
	for _, s := range infos {
		out = append(out, cleanText(s))
	}
	return out
}

// statusRecorder remembers the HTTP status of the last response of one
// attempt.
type statusRecorder struct {
	api.Client
	status int
}

func (r *statusRecorder) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	resp, body, err := r.Client.Do(ctx, req)
	if resp != nil {
		r.status = resp.StatusCode
	}
	return resp, body, err
}

// errTooLarge marks a body cut off at the size limit.
var errTooLarge = errors.New("response body exceeds the size limit")

// tooLargeError is errTooLarge with the limit that was hit.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string { return errTooLarge.Error() }

func (e *tooLargeError) Is(target error) bool { return target == errTooLarge }

// limitRT caps every response body at max bytes.
type limitRT struct {
	next http.RoundTripper
	max  int64
}

func (l *limitRT) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: l.max, max: l.max}
	return resp, nil
}

type limitedBody struct {
	rc        io.ReadCloser
	left, max int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly max bytes from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, &tooLargeError{limit: b.max}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
