package loki

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

const backend = "loki"

// Defaults follow Loki's own limits, so that a client left at its defaults
// never asks a stock server for more than it will answer.
const (
	// DefaultPageSize is Loki's default max_entries_limit_per_query.
	DefaultPageSize = 5000
	// DefaultMaxQueryLength is Loki's default max_query_length.
	DefaultMaxQueryLength = 721 * time.Hour
	// DefaultLimit is used when a Query asks for Limit 0: "everything in the
	// window" is never a safe default for logs.
	DefaultLimit = 1000
	// DefaultWindow is how far back a query reaches when From is zero.
	DefaultWindow = time.Hour
)

// Config configures a Client.
type Config struct {
	// Address is the base URL, http(s)://host:port, optionally with a path
	// prefix when Loki sits behind a gateway. Userinfo in the URL is moved
	// into Transport's basic auth and never sent in the URL.
	Address string
	// Transport carries tenant, auth, TLS and extra headers.
	Transport transport.Options
	// Guard wraps every call. nil means a new guard with the default policy;
	// share one guard per Loki between clients so they share one breaker.
	Guard *resilience.Guard
	// PageSize is the most entries asked for in one request. Set it to the
	// server's max_entries_limit_per_query; 0 means DefaultPageSize.
	PageSize int
	// MaxQueryLength is the longest window sent in one request; longer
	// windows are split. 0 means DefaultMaxQueryLength.
	MaxQueryLength time.Duration
	// MaxTailFrameBytes bounds one live-tail websocket message; a larger
	// one ends the connection with a too-much-data error naming the limit
	// and the tail reconnects. 0 means DefaultMaxTailFrameBytes.
	MaxTailFrameBytes int64
	// MaxResponseBytes bounds one HTTP answer read into memory. 0 means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
}

// Defaults for Config's size limits.
const (
	DefaultMaxTailFrameBytes = maxTailFrame
	DefaultMaxResponseBytes  = maxBody
)

// Client reads from one Loki. It is safe for concurrent use.
type Client struct {
	api      lokiAPI
	guard    *resilience.Guard
	pageSize int
	maxLen   time.Duration
	now      func() time.Time
	// tailRetryBase overrides tailBackoffBase; tests shorten it.
	tailRetryBase time.Duration
}

// New validates cfg and returns a Client. It does not contact Loki; use Ping
// for that. A configuration mistake is a *sources.Error of Kind KindConfig
// (sources.ConfigError), whose message never repeats a credential.
func New(cfg Config) (*Client, error) {
	u, opts, err := parseAddress(cfg.Address, cfg.Transport)
	if err != nil {
		return nil, err
	}
	if cfg.PageSize < 0 {
		return nil, configError("page size must not be negative")
	}
	if cfg.MaxQueryLength < 0 {
		return nil, configError("max query length must not be negative")
	}
	if cfg.MaxTailFrameBytes < 0 || cfg.MaxResponseBytes < 0 {
		return nil, configError("size limits must not be negative")
	}
	c := &Client{guard: cfg.Guard, pageSize: cfg.PageSize, maxLen: cfg.MaxQueryLength, now: time.Now}
	if c.pageSize == 0 {
		c.pageSize = DefaultPageSize
	}
	if c.maxLen == 0 {
		c.maxLen = DefaultMaxQueryLength
	}
	if c.guard == nil {
		c.guard = resilience.New(backend, resilience.DefaultPolicy())
	}
	api, err := newHTTPAPI(u, opts)
	if err != nil {
		return nil, err
	}
	if cfg.MaxTailFrameBytes > 0 {
		api.frameLimit = cfg.MaxTailFrameBytes
	}
	if cfg.MaxResponseBytes > 0 {
		api.bodyLimit = cfg.MaxResponseBytes
	}
	c.api = api
	return c, nil
}

// newWithAPI builds a Client around any lokiAPI; unit tests use it with a fake.
func newWithAPI(api lokiAPI, g *resilience.Guard, pageSize int, maxLen time.Duration) *Client {
	if g == nil {
		g = resilience.New(backend, resilience.DefaultPolicy())
	}
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	if maxLen <= 0 {
		maxLen = DefaultMaxQueryLength
	}
	return &Client{api: api, guard: g, pageSize: pageSize, maxLen: maxLen, now: time.Now}
}

func configError(msg string) error { return sources.ConfigError(backend, msg, nil) }

// parseAddress checks the address and moves any userinfo into opts. Errors
// never quote the raw address, which may hold a password.
func parseAddress(addr string, opts transport.Options) (*url.URL, transport.Options, error) {
	u, err := transport.ParseBaseURL(addr)
	if err != nil {
		return nil, opts, configError("invalid address: " + err.Error())
	}
	if u.User != nil {
		if opts.Username == "" && opts.BearerToken == "" {
			opts.Username = u.User.Username()
			opts.Password, _ = u.User.Password()
		}
		u.User = nil
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, opts, nil
}

// Direction, Query and Result are the log-backend contract's types; the
// aliases keep this package's callers and tests short.
type (
	// Direction is the order entries come back in.
	Direction = sources.Direction
	// Query is a LogQL log query over a window.
	Query = sources.LogQuery
	// Result is what a query returned.
	Result = sources.LogResult
)

// The two directions.
const (
	Backward = sources.Backward
	Forward  = sources.Forward
)

func (c *Client) normalize(op string, q Query) (Query, error) {
	if strings.TrimSpace(q.Expr) == "" {
		return q, badQuery(op, "empty query")
	}
	if q.Limit < 0 {
		return q, badQuery(op, "limit must not be negative")
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Direction != Backward && q.Direction != Forward {
		return q, badQuery(op, fmt.Sprintf("unknown direction %d", int(q.Direction)))
	}
	var err error
	q.From, q.To, err = c.window(op, q.From, q.To)
	return q, err
}

func (c *Client) window(op string, from, to time.Time) (time.Time, time.Time, error) {
	if to.IsZero() {
		to = c.now()
	}
	if from.IsZero() {
		from = to.Add(-DefaultWindow)
	}
	if from.After(to) {
		return from, to, badQuery(op, "start is after end")
	}
	return from, to, nil
}

func badQuery(op, msg string) error {
	return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadQuery, Msg: msg}
}

// QueryRange runs a log query and returns up to q.Limit entries, paging past
// the server's per-query limit and splitting long windows. Use
// QueryRangeFunc for large results.
func (c *Client) QueryRange(ctx context.Context, q Query) (*Result, error) {
	res := &Result{}
	warns, err := c.QueryRangeFunc(ctx, q, func(es []sources.LogEntry) error {
		res.Entries = append(res.Entries, es...)
		return nil
	})
	res.Warnings = warns
	if err != nil {
		return nil, err
	}
	return res, nil
}

// QueryRangeFunc runs a log query and hands the entries to fn one page at a
// time, in q.Direction order and without duplicates, so a 100k-line result
// never sits in memory at once. fn may keep the slice. An error from fn stops
// the walk and is returned as is. Warnings are returned even on error.
func (c *Client) QueryRangeFunc(ctx context.Context, q Query, fn func([]sources.LogEntry) error) ([]string, error) {
	q, err := c.normalize("query_range", q)
	if err != nil {
		return nil, err
	}
	var w warnings
	_, err = c.walk(ctx, q, newInterner(), &w, fn)
	return w.list, err
}

// MetricRange runs a LogQL metric query. A zero step lets Loki's own default
// (range/250, at least 1s) apply; windows longer than MaxQueryLength are
// split on step boundaries and the series joined.
func (c *Client) MetricRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	const op = "query_range"
	if strings.TrimSpace(expr) == "" {
		return nil, nil, badQuery(op, "empty query")
	}
	if step < 0 {
		return nil, nil, badQuery(op, "step must not be negative")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, nil, err
	}
	if step == 0 {
		step = sources.DefaultMetricStep(from, to) // Loki's own default, computed here so split windows share one grid
	}
	var w warnings
	m := newSeriesMerger()
	for _, win := range splitMetricWindows(from, to, c.maxLen, step) {
		req := rangeRequest{expr: expr, limit: metricLimit, start: win.from, end: win.to, dir: Forward, step: step}
		p, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (page, error) {
			return c.api.queryRange(ctx, req)
		})
		if err != nil {
			return nil, w.list, err
		}
		w.add(p.warnings...)
		if p.kind == kindStreams {
			return nil, w.list, badQuery(op, "this is a log query; use QueryRange for log lines")
		}
		m.add(p.series)
	}
	return m.result(), w.list, nil
}

// MetricInstant evaluates a LogQL metric query at one instant (Loki's
// /query, what logcli instant-query runs); at zero means now.
func (c *Client) MetricInstant(ctx context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	if !IsMetricQuery(expr) {
		return nil, nil, badQuery("query", "this is a log query; an instant query needs a metric query")
	}
	res, err := c.Instant(ctx, expr, at, 0)
	if err != nil {
		return nil, nil, err
	}
	return res.Series, res.Warnings, nil
}

var _ sources.LogMetricsInstant = (*Client)(nil)

// metricLimit is sent with metric queries, where Loki requires a positive
// limit but does not apply it; it stays under any server's entry limit.
const metricLimit = 100

// Instant runs an instant query at a moment. Metric queries fill
// Result.Series (a vector becomes one single-sample series per element, a
// scalar one unlabelled series); log queries fill Result.Entries, though
// Loki 3 refuses log queries as instant queries. limit 0 means DefaultLimit,
// capped at the page size.
func (c *Client) Instant(ctx context.Context, expr string, at time.Time, limit int) (*Result, error) {
	const op = "query"
	if strings.TrimSpace(expr) == "" {
		return nil, badQuery(op, "empty query")
	}
	if limit < 0 {
		return nil, badQuery(op, "limit must not be negative")
	}
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, c.pageSize)
	if at.IsZero() {
		at = c.now()
	}
	p, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (page, error) {
		return c.api.query(ctx, expr, limit, at, newInterner())
	})
	if err != nil {
		return nil, err
	}
	var w warnings
	w.add(p.warnings...)
	return &Result{Entries: p.entries, Series: p.series, Warnings: w.list}, nil
}

// Labels lists label names seen in the window.
func (c *Client) Labels(ctx context.Context, from, to time.Time) ([]string, error) {
	from, to, err := c.window("labels", from, to)
	if err != nil {
		return nil, err
	}
	return resilience.Call(ctx, c.guard, "labels", true, func(ctx context.Context) ([]string, error) {
		return c.api.labels(ctx, from, to)
	})
}

// LabelValues lists the values of one label seen in the window.
func (c *Client) LabelValues(ctx context.Context, name string, from, to time.Time) ([]string, error) {
	const op = "label_values"
	if name == "" {
		return nil, badQuery(op, "empty label name")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]string, error) {
		return c.api.labelValues(ctx, name, from, to)
	})
}

// Series lists the label sets of the streams matching any of the selectors
// (e.g. `{app="api"}`) in the window.
func (c *Client) Series(ctx context.Context, matchers []string, from, to time.Time) ([]map[string]string, error) {
	const op = "series"
	if len(matchers) == 0 {
		return nil, badQuery(op, "at least one matcher is needed")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]map[string]string, error) {
		return c.api.series(ctx, matchers, from, to)
	})
}

// Ping asks Loki's /ready. It is not retried: a health probe should report
// the state now, not after a round of backoff.
func (c *Client) Ping(ctx context.Context) error {
	return c.guard.Do(ctx, "ready", false, c.api.ready)
}

// Health reports the recent behaviour of this Loki as seen through the
// client's guard: last success, last error and breaker state.
func (c *Client) Health() resilience.Health { return c.guard.Health() }

// warnings collects server warnings once each, sanitized.
type warnings struct {
	list []string
	seen map[string]bool
}

func (w *warnings) add(ws ...string) {
	for _, s := range ws {
		if s == "" || w.seen[s] {
			continue
		}
		if w.seen == nil {
			w.seen = map[string]bool{}
		}
		w.seen[s] = true
		w.list = append(w.list, s)
	}
}
