// Package alertmanager reads alerts from Alertmanager's v2 API. It is a small
// hand-written HTTP+JSON client: the two endpoints it needs do not justify
// the go-openapi dependency tree of Alertmanager's generated client.
//
// Every call goes through a resilience.Guard and every failure is a
// *sources.Error, as for the other backends.
package alertmanager

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

// Backend is the name this client reports in errors and health.
const Backend = "alertmanager"

// DefaultMaxResponseBytes bounds one response body; an Alertmanager with
// tens of thousands of alerts answers in a few MiB, so more than this is a
// misdirected address or a runaway, not something to hold in memory.
const DefaultMaxResponseBytes = 32 << 20

// Config configures a Client.
type Config struct {
	// Address is the base URL, e.g. http://localhost:9093; a path prefix
	// (--web.route-prefix) is kept.
	Address string
	// Transport carries auth, tenant, extra headers and TLS.
	Transport transport.Options
	// Guard is shared by every caller of this backend; nil gets
	// resilience.New("alertmanager", resilience.DefaultPolicy()).
	Guard *resilience.Guard
	// MaxResponseBytes overrides DefaultMaxResponseBytes when positive.
	MaxResponseBytes int64
}

// Client reads from one Alertmanager. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	hc    *http.Client
	guard *resilience.Guard
	max   int64
}

// New validates cfg and returns a Client. It makes no network call.
func New(cfg Config) (*Client, error) {
	u, err := validateAddress(cfg.Address)
	if err != nil {
		return nil, err
	}
	rt, err := cfg.Transport.RoundTripper()
	if err != nil {
		return nil, sources.ConfigError(Backend, sources.CleanMessage(err), err)
	}
	g := cfg.Guard
	if g == nil {
		g = resilience.New(Backend, resilience.DefaultPolicy())
	}
	limit := cfg.MaxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	// No client-level timeout: the guard bounds each attempt through ctx.
	return &Client{base: u, hc: &http.Client{Transport: rt}, guard: g, max: limit}, nil
}

// validateAddress accepts only absolute http(s) URLs, and never echoes
// userinfo back in the error.
func validateAddress(addr string) (*url.URL, error) {
	bad := func(why string) error {
		return sources.ConfigError(Backend, "invalid address: "+why, nil)
	}
	u, err := transport.ParseBaseURL(addr)
	if err != nil {
		return nil, bad(err.Error())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// Health reports the backend's recent behaviour for the status bar.
func (c *Client) Health() resilience.Health { return c.guard.Health() }

// Ping asks GET /-/ready, which answers 200 once Alertmanager has loaded
// its configuration.
func (c *Client) Ping(ctx context.Context) error {
	return c.guard.Do(ctx, "ping", true, func(ctx context.Context) error {
		_, err := c.get(ctx, "ping", "/-/ready", nil)
		return err
	})
}

// Option narrows an Alerts call. Without options Alertmanager's defaults
// apply: active, silenced, inhibited and unprocessed alerts are all listed.
type Option func(url.Values)

// Active includes (true) or leaves out (false) active alerts.
func Active(b bool) Option { return boolParam("active", b) }

// Silenced includes or leaves out silenced alerts.
func Silenced(b bool) Option { return boolParam("silenced", b) }

// Inhibited includes or leaves out inhibited alerts.
func Inhibited(b bool) Option { return boolParam("inhibited", b) }

// Unprocessed includes or leaves out alerts not yet routed.
func Unprocessed(b bool) Option { return boolParam("unprocessed", b) }

// Receiver keeps alerts routed to a receiver whose name matches regex.
func Receiver(regex string) Option {
	return func(q url.Values) { q.Set("receiver", regex) }
}

func boolParam(name string, b bool) Option {
	return func(q url.Values) { q.Set(name, strconv.FormatBool(b)) }
}

// Alerts lists alerts matching every matcher in filter (Alertmanager
// syntax: alertname="X", severity=~"crit|page", team!="db"). State is
// Alertmanager's status.state: "active", "suppressed" or "unprocessed".
func (c *Client) Alerts(ctx context.Context, filter []string, opts ...Option) ([]sources.Alert, error) {
	q := url.Values{}
	for _, f := range filter {
		q.Add("filter", f)
	}
	for _, o := range opts {
		o(q)
	}
	return resilience.Call(ctx, c.guard, "alerts", true, func(ctx context.Context) ([]sources.Alert, error) {
		body, err := c.get(ctx, "alerts", "/api/v2/alerts", q)
		if err != nil {
			return nil, err
		}
		alerts, err := decodeAlerts(body)
		if err != nil {
			return nil, &sources.Error{Backend: Backend, Op: "alerts", Kind: sources.KindBadResponse,
				Msg: sources.CleanMessage(err), Err: err}
		}
		return alerts, nil
	})
}

// get makes one GET and returns the body of a 2xx answer, or a typed error
// carrying Alertmanager's own message.
func (c *Client) get(ctx context.Context, op, path string, q url.Values) ([]byte, error) {
	u := c.base.JoinPath(path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, sources.Wrap(Backend, op, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, sources.Wrap(Backend, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.max+1))
	if err != nil {
		return nil, sources.Wrap(Backend, op, err)
	}
	if int64(len(body)) > c.max {
		return nil, &sources.Error{Backend: Backend, Op: op, Kind: sources.KindTooMuchData, Status: resp.StatusCode,
			Msg: fmt.Sprintf("response larger than the client limit of %d bytes; add a filter", c.max)}
	}
	if resp.StatusCode/100 != 2 {
		return nil, sources.HTTPError(Backend, op, resp.StatusCode, errorText(body))
	}
	return body, nil
}

// errorText extracts the message of an error body. Alertmanager's v2
// handlers answer with a JSON string ("bad matcher format: ..."), its
// OpenAPI validation with {"code":..,"message":".."}, and proxies in front
// of it with plain text or HTML.
func errorText(body []byte) string {
	var s string
	if err := json.Unmarshal(body, &s); err == nil {
		return s
	}
	var obj struct {
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(body, &obj); err == nil {
		if obj.Message != "" {
			return obj.Message
		}
		if obj.Error != "" {
			return obj.Error
		}
	}
	return string(body)
}

// errEmpty is returned for a 2xx answer without a body, which a real
// Alertmanager never sends (no alerts is "[]").
var errEmpty = errors.New("empty response body")
