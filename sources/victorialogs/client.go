package victorialogs

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

const backend = "victorialogs"

// Defaults. VictoriaLogs has no per-query entry limit, so the page size is
// ours: large enough that most queries take one request, small enough that
// a page of long lines stays a few megabytes.
const (
	// DefaultPageSize is the first page's size when Config.PageSize is 0.
	// Later pages of the same walk double, up to MaxPageSize, while pages
	// stay under pageGrowBytes: a 100k-line fetch then takes 5 requests
	// instead of 20 (and each full page costs a second request for the
	// entries at its edge), and a page of long lines stays small.
	DefaultPageSize = 5000
	// MaxPageSize is the largest page a walk grows to: VictoriaLogs runs
	// "newest N" as its optimized query up to N = 50000.
	MaxPageSize = 50000
	// DefaultLimit is used when a query asks for Limit 0: "everything in
	// the window" is never a safe default for logs.
	DefaultLimit = 1000
	// DefaultWindow is how far back a query reaches when From is zero.
	DefaultWindow = time.Hour
	// DefaultMaxLineBytes bounds one JSON row of an answer. VictoriaLogs
	// accepts 256 KiB lines by default; a row also carries its fields.
	DefaultMaxLineBytes = 4 << 20
	// DefaultMaxLabelValues bounds LabelValues: VictoriaLogs fields, unlike
	// Loki labels, are often unbounded (trace ids).
	DefaultMaxLabelValues = 10000
)

// Config configures a Client.
type Config struct {
	// Address is the base URL, http(s)://host:port, optionally with a path
	// prefix when VictoriaLogs sits behind a proxy. Userinfo in the URL is
	// moved into Transport's basic auth and never sent in the URL.
	Address string
	// Transport carries tenant, auth, TLS and extra headers. See the
	// package doc for how Tenant maps to AccountID and ProjectID.
	Transport transport.Options
	// Guard wraps every call. nil means a new guard with the default
	// policy; share one guard per VictoriaLogs between clients so they
	// share one breaker.
	Guard *resilience.Guard
	// PageSize is the most entries asked for in one request; 0 means
	// pages that start at DefaultPageSize and grow to MaxPageSize while
	// they stay small in bytes.
	PageSize int
	// MaxQueryLength is the longest window sent in one request; longer
	// windows are split. Set it to the server's -search.maxQueryTimeRange
	// when that is set; 0 means no splitting (VictoriaLogs' default).
	MaxQueryLength time.Duration
	// MaxLineBytes bounds one row of an answer; longer rows are skipped
	// with a warning. 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxLabelValues is the most values LabelValues returns; 0 means
	// DefaultMaxLabelValues.
	MaxLabelValues int
	// MaxResponseBytes bounds one page of a query's answer read into
	// memory; 0 means 256 MiB.
	MaxResponseBytes int64
	// Tail tunes live tails; zero fields take the defaults.
	Tail TailConfig
}

// Client reads from one VictoriaLogs. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	hc        *http.Client
	guard     *resilience.Guard
	pageSize  int
	growPages bool // PageSize was left to us: pages may grow
	maxLen    time.Duration
	maxLine   int
	maxValues int
	maxPage   int64 // bytes of one page's answer; tests lower it
	tail      TailConfig
	now       func() time.Time
}

// New validates cfg and returns a Client. It does not contact
// VictoriaLogs; use Ping for that. A configuration mistake is a
// *sources.Error of Kind KindConfig (sources.ConfigError), whose message
// never repeats a credential.
func New(cfg Config) (*Client, error) {
	u, err := transport.ParseBaseURL(cfg.Address)
	if err != nil {
		return nil, configError("invalid address: " + err.Error())
	}
	opts := cfg.Transport
	if u.User != nil {
		if opts.Username == "" && opts.BearerToken == "" {
			opts.Username = u.User.Username()
			opts.Password, _ = u.User.Password()
		}
		u.User = nil
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	for _, n := range []struct {
		v    int
		name string
	}{{cfg.PageSize, "page size"}, {cfg.MaxLineBytes, "max line bytes"}, {cfg.MaxLabelValues, "max label values"}} {
		if n.v < 0 {
			return nil, configError(n.name + " must not be negative")
		}
	}
	if cfg.MaxQueryLength < 0 {
		return nil, configError("max query length must not be negative")
	}
	if cfg.MaxResponseBytes < 0 {
		return nil, configError("max response bytes must not be negative")
	}
	maxPage := cfg.MaxResponseBytes
	if maxPage == 0 {
		maxPage = maxPageBytes
	}
	tc, err := cfg.Tail.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := opts.Check(); err != nil {
		return nil, configError(err.Error())
	}
	if opts, err = tenantHeaders(opts); err != nil {
		return nil, err
	}
	if _, err := opts.Proxy(); err != nil {
		return nil, configError(err.Error())
	}
	rt, err := opts.RoundTripper()
	if err != nil {
		return nil, configError("TLS: " + sources.CleanMessage(err))
	}
	c := &Client{
		base: u,
		// A redirect is an error, not followed: it would carry the
		// credentials to wherever it points.
		hc: &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		guard:     cfg.Guard,
		pageSize:  orDefault(cfg.PageSize, DefaultPageSize),
		growPages: cfg.PageSize == 0,
		maxLen:    cfg.MaxQueryLength,
		maxLine:   orDefault(cfg.MaxLineBytes, DefaultMaxLineBytes),
		maxValues: orDefault(cfg.MaxLabelValues, DefaultMaxLabelValues),
		maxPage:   maxPage,
		tail:      tc,
		now:       time.Now,
	}
	if c.guard == nil {
		c.guard = resilience.New(backend, resilience.DefaultPolicy())
	}
	return c, nil
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func configError(msg string) error { return sources.ConfigError(backend, msg, nil) }

func badQuery(op, msg string) error {
	return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadQuery, Msg: msg}
}

// Backend names the backend kind.
func (c *Client) Backend() string { return backend }

// Dialect builds LogsQL.
func (c *Client) Dialect() sources.LogDialect { return Dialect{} }

// Health reports the recent behaviour of this VictoriaLogs as seen through
// the client's guard: last success, last error and breaker state.
func (c *Client) Health() resilience.Health { return c.guard.Health() }

func (c *Client) normalize(op string, q sources.LogQuery) (sources.LogQuery, error) {
	if strings.TrimSpace(q.Expr) == "" {
		return q, badQuery(op, "empty query")
	}
	if q.Limit < 0 {
		return q, badQuery(op, "limit must not be negative")
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Direction != sources.Backward && q.Direction != sources.Forward {
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

// timeArg formats t for start and end: RFC 3339 with nanoseconds, which
// VictoriaLogs reads without loss (a float of seconds would round).
func timeArg(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// QueryRange runs a LogsQL query and returns up to q.Limit entries, paging
// as needed, in q.Direction order and without duplicates. Use
// QueryRangeFunc for large results.
func (c *Client) QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error) {
	res := &sources.LogResult{}
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

// QueryRangeFunc runs a LogsQL query and hands the entries to fn one page
// at a time, in q.Direction order and without duplicates, so a large result
// never sits in memory at once. fn may keep the slice. An error from fn
// stops the walk and is returned as is. Warnings are returned even on
// error. The query's own pipes run on every page's window, so a query that
// ends in `| limit` or drops _time does not page.
func (c *Client) QueryRangeFunc(ctx context.Context, q sources.LogQuery, fn func([]sources.LogEntry) error) ([]string, error) {
	q, err := c.normalize("query", q)
	if err != nil {
		return nil, err
	}
	var w warnings
	_, err = c.walk(ctx, q, newInterner(), &w, fn)
	return w.list, err
}

// internalFields are VictoriaLogs' own fields, which Labels leaves out: a
// user filters on them with dedicated syntax, never as a label.
var internalFields = map[string]bool{"_time": true, "_msg": true, "_stream": true, "_stream_id": true}

// valuesAnswer is the answer of field_names, field_values and streams.
type valuesAnswer struct {
	Values []struct {
		Value string `json:"value"`
		Hits  uint64 `json:"hits"`
	} `json:"values"`
}

// Labels lists the field names seen in the window, VictoriaLogs' own
// fields (_time, _msg, _stream, _stream_id) left out, sorted.
func (c *Client) Labels(ctx context.Context, from, to time.Time) ([]string, error) {
	const op = "field_names"
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	form := url.Values{"query": {"*"}, "start": {timeArg(from)}, "end": {timeArg(to)}}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]string, error) {
		var a valuesAnswer
		if err := c.getJSON(ctx, op, fieldNamesPath, form, "", &a); err != nil {
			return nil, err
		}
		out := []string{}
		for _, v := range a.Values {
			if !internalFields[v.Value] {
				out = append(out, v.Value)
			}
		}
		slices.Sort(out)
		return slices.Compact(out), nil
	})
}

// LabelValues lists the values of one field seen in the window, sorted, at
// most MaxLabelValues of them (an arbitrary subset when there are more).
func (c *Client) LabelValues(ctx context.Context, name string, from, to time.Time) ([]string, error) {
	const op = "field_values"
	if name == "" {
		return nil, badQuery(op, "empty field name")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	form := url.Values{"query": {"*"}, "field": {name}, "start": {timeArg(from)}, "end": {timeArg(to)},
		"limit": {strconv.Itoa(c.maxValues)}}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]string, error) {
		var a valuesAnswer
		if err := c.getJSON(ctx, op, fieldValuesPath, form, "", &a); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(a.Values))
		for _, v := range a.Values {
			out = append(out, v.Value)
		}
		slices.Sort(out)
		return slices.Compact(out), nil
	})
}

// Streams lists the label sets of the streams that expr (any LogsQL
// query, e.g. `{app="api"}`) selects in the window.
func (c *Client) Streams(ctx context.Context, expr string, from, to time.Time) ([]map[string]string, error) {
	const op = "streams"
	if strings.TrimSpace(expr) == "" {
		return nil, badQuery(op, "empty query")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	form := url.Values{"query": {expr}, "start": {timeArg(from)}, "end": {timeArg(to)}}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]map[string]string, error) {
		var a valuesAnswer
		if err := c.getJSON(ctx, op, streamsPath, form, expr, &a); err != nil {
			return nil, err
		}
		out := make([]map[string]string, 0, len(a.Values))
		for _, v := range a.Values {
			ls, err := parseStream(v.Value)
			if err != nil {
				return nil, badResponse(op, err)
			}
			out = append(out, ls)
		}
		return out, nil
	})
}

// Hits counts the entries expr selects in the window per step, one series
// per value of the grouping fields (none: one series). Buckets are aligned
// to step, so the first may start before from.
func (c *Client) Hits(ctx context.Context, expr string, from, to time.Time, step time.Duration, fields ...string) ([]sources.Series, error) {
	const op = "hits"
	if strings.TrimSpace(expr) == "" {
		return nil, badQuery(op, "empty query")
	}
	if step <= 0 {
		return nil, badQuery(op, "step must be positive")
	}
	from, to, err := c.window(op, from, to)
	if err != nil {
		return nil, err
	}
	form := url.Values{"query": {expr}, "start": {timeArg(from)}, "end": {timeArg(to)},
		"step": {strconv.FormatInt(step.Milliseconds(), 10) + "ms"}}
	if step < time.Millisecond {
		form.Set("step", "1ms")
	}
	for _, f := range fields {
		form.Add("field", f)
	}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]sources.Series, error) {
		var a hitsAnswer
		if err := c.getJSON(ctx, op, hitsPath, form, expr, &a); err != nil {
			return nil, err
		}
		return a.series(op)
	})
}

// hitsAnswer is the answer of /select/logsql/hits.
type hitsAnswer struct {
	Hits []struct {
		Fields     map[string]string `json:"fields"`
		Timestamps []string          `json:"timestamps"`
		Values     []float64         `json:"values"`
	} `json:"hits"`
}

func (a hitsAnswer) series(op string) ([]sources.Series, error) {
	out := make([]sources.Series, 0, len(a.Hits))
	for _, h := range a.Hits {
		if len(h.Timestamps) != len(h.Values) {
			return nil, badResponse(op, fmt.Errorf("%d timestamps for %d values", len(h.Timestamps), len(h.Values)))
		}
		s := sources.Series{Labels: h.Fields, Samples: make([]sources.Sample, 0, len(h.Values))}
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		for i, ts := range h.Timestamps {
			t, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil {
				return nil, badResponse(op, err)
			}
			s.Samples = append(s.Samples, sources.Sample{Time: t, Value: h.Values[i]})
		}
		out = append(out, s)
	}
	return out, nil
}

// Ping asks /health. It is not retried: a health probe should report the
// state now, not after a round of backoff.
func (c *Client) Ping(ctx context.Context) error {
	return c.guard.Do(ctx, "health", false, c.health)
}

func (c *Client) health(ctx context.Context) error {
	u := c.endpoint(healthPath)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return transportError("health", u, err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return transportError("health", u, err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return httpError("health", resp.StatusCode, body, "")
	}
	return nil
}

// warnings collects warnings once each.
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
