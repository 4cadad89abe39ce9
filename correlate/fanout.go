package correlate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/sanitize"
)

// LogSearcher is the log backend the request view searches. *loki.Client
// satisfies it.
type LogSearcher interface {
	QueryRange(ctx context.Context, q loki.Query) (*loki.Result, error)
	Labels(ctx context.Context, from, to time.Time) ([]string, error)
}

// TraceFinder is the trace backend the request view searches.
// *jaeger.Client satisfies it.
type TraceFinder interface {
	GetTrace(ctx context.Context, traceID string) (*sources.Trace, error)
	FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error)
	Services(ctx context.Context) ([]string, error)
}

var (
	_ LogSearcher = (*loki.Client)(nil)
	_ TraceFinder = (*jaeger.Client)(nil)
)

// Defaults for Config's zero values.
const (
	// DefaultTraceTag is the span tag searched for a request id.
	DefaultTraceTag = "request_id"
	// DefaultLogLimit is the most lines one Loki query returns.
	DefaultLogLimit = 5000
	// DefaultMaxTraces bounds the traces one view fetches.
	DefaultMaxTraces = 10
	// DefaultSelector is searched when Loki cannot list its labels.
	DefaultSelector = `{service_name=~".+"}`
	// cacheFor is how long the derived selectors and Jaeger's service list
	// are reused: they change slowly, and re-asking would put a call in
	// front of every search.
	cacheFor = 5 * time.Minute
)

// Config is what a Resolver needs. Logs or Traces may be nil when the
// context has no such backend; the view then says so.
type Config struct {
	Logs   LogSearcher
	Traces TraceFinder
	// Extractor finds IDs in the lines; nil means DefaultExtractor.
	Extractor *Extractor
	// Selectors are the LogQL stream selectors searched; empty means one
	// derived from the stream labels Loki has (e.g. {service=~".+"}).
	Selectors []string
	// Pad widens windows around what was found (DefaultPad).
	Pad time.Duration
	// TraceTag is the span tag a request id is searched by (request_id).
	TraceTag string
	// LogLimit is the most lines one query returns (DefaultLogLimit).
	LogLimit int
	// MaxTraces bounds the traces fetched (DefaultMaxTraces).
	MaxTraces int
}

// Resolver builds request views. It is safe for concurrent use; it caches
// the derived selectors and Jaeger's service list for a few minutes.
type Resolver struct {
	cfg Config

	selectors memo[[]string]
	services  memo[[]string]
}

// NewResolver fills cfg's defaults.
func NewResolver(cfg Config) *Resolver {
	if cfg.Extractor == nil {
		cfg.Extractor = DefaultExtractor()
	}
	if cfg.Pad <= 0 {
		cfg.Pad = DefaultPad
	}
	if cfg.TraceTag == "" {
		cfg.TraceTag = DefaultTraceTag
	}
	if cfg.LogLimit <= 0 {
		cfg.LogLimit = DefaultLogLimit
	}
	if cfg.MaxTraces <= 0 {
		cfg.MaxTraces = DefaultMaxTraces
	}
	return &Resolver{cfg: cfg}
}

// Pad is the resolver's padding.
func (r *Resolver) Pad() time.Duration { return r.cfg.Pad }

// Call is one backend call the view made, for the record and for the
// fan-out benchmark, which replays the calls one after another.
type Call struct {
	Backend string
	Op      string
	// What is the query, trace id or service searched.
	What  string
	Round int
	Took  time.Duration
	Err   error
	// Cached marks answers served from the resolver's cache, not made.
	Cached bool
	replay func(context.Context) error
}

// Replay makes the same call again and times it.
func (c Call) Replay(ctx context.Context) (time.Duration, error) {
	if c.replay == nil {
		return 0, nil
	}
	t0 := time.Now()
	err := c.replay(ctx)
	return time.Since(t0), err
}

// Problem is a backend that did not answer, making the view partial.
type Problem struct {
	Backend string
	Kind    sources.Kind
	// Reason is sanitized.
	Reason string
	// Missing is set when the context configures no such backend.
	Missing bool
}

// String renders "jaeger unreachable: dial tcp …".
func (p Problem) String() string {
	if p.Missing {
		return p.Backend + " is not configured for this context"
	}
	return p.Backend + " " + p.Kind.String() + ": " + p.Reason
}

// search is the state of one resolution, shared by its goroutines.
type search struct {
	r     *Resolver
	round int

	mu       sync.Mutex
	logs     []Log
	seen     map[logKey]struct{}
	traces   map[string]*sources.Trace
	tried    map[string]bool // trace ids asked of Jaeger
	failed   map[string][]error
	calls    []Call
	warnings []string
	// lokiDone records, per ID, the window it was searched over.
	lokiDone map[string]Window
	// findSvcs are the Jaeger services a tag search covered.
	findSvcs []string
}

type logKey struct {
	nanos int64
	svc   string
	line  string
}

// Resolve builds the view of one request or trace id over w. Backend
// failures do not fail it: the view comes back partial and says which
// backend failed and why. It fails only for input that is no ID.
func (r *Resolver) Resolve(ctx context.Context, input string, w Window) (*View, error) {
	id, kind, ok := ClassifyInput(input)
	if !ok {
		return nil, fmt.Errorf("%q is not a request id or a trace id (1-128 printable characters without spaces or quotes)", sanitize.Line(input))
	}
	if w.IsZero() || !w.From.Before(w.To) {
		return nil, errors.New("the window to search is empty")
	}
	t0 := time.Now()
	s := &search{r: r, seen: map[logKey]struct{}{}, traces: map[string]*sources.Trace{}, tried: map[string]bool{},
		failed: map[string][]error{}, lokiDone: map[string]Window{}}
	v := &View{Input: id, Kind: kind, Searched: w, TraceTag: r.cfg.TraceTag}

	s.round = 1
	s.byInput(ctx, id, kind, w)
	if !s.found() && ctx.Err() == nil && !s.allFailed() {
		v.Widened, v.Narrow = true, w
		w = w.Widened()
		v.Searched = w
		s.round = 2
		s.byInput(ctx, id, kind, w)
	}
	s.round++
	s.discovered(ctx, id, kind)
	v.Selectors = r.cachedSelectors()
	s.finish(v)
	v.Took = time.Since(t0)
	return v, nil
}

// byInput searches Loki and Jaeger for the ID as typed, in parallel.
func (s *search) byInput(ctx context.Context, id string, kind IDKind, w Window) {
	var wg sync.WaitGroup
	if lg := s.r.cfg.Logs; lg != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sels := s.r.selectorsFor(ctx, s, w)
			s.lokiQueries(ctx, &wg, sels, kind, []string{id}, w)
		}()
		s.mu.Lock()
		s.lokiDone[id] = w
		s.mu.Unlock()
	}
	if tf := s.r.cfg.Traces; tf != nil {
		if kind == IDTrace {
			s.getTraces(ctx, &wg, []string{id})
		} else {
			wg.Add(1)
			go func() {
				defer wg.Done()
				svcs := s.r.servicesFor(ctx, s)
				s.mu.Lock()
				s.findSvcs = svcs
				s.mu.Unlock()
				for _, svc := range svcs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						s.findByTag(ctx, svc, id, w)
					}()
				}
			}()
		}
	}
	wg.Wait()
}

// lokiQueries starts, per selector, a line-filter query and a label /
// structured-metadata filter query for ids of kind, over w.
func (s *search) lokiQueries(ctx context.Context, wg *sync.WaitGroup, sels []string, kind IDKind, ids []string, w Window) {
	if len(ids) == 0 {
		return
	}
	keys := s.r.cfg.Extractor.MetadataKeys(kind)
	for _, sel := range sels {
		for _, expr := range []string{lineFilter(sel, ids), metadataFilter(sel, keys, ids)} {
			if expr == "" {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.queryLogs(ctx, expr, w, ids)
			}()
		}
	}
}

// lineFilter is `sel |= "id"`, or `sel |~ "id1|id2"` for several ids.
func lineFilter(sel string, ids []string) string {
	if len(ids) == 1 {
		return sel + " |= " + strconv.Quote(ids[0])
	}
	return sel + " |~ " + strconv.Quote(altRegex(ids))
}

// metadataFilter is `sel | k1="id" or k2="id"` over keys; LogQL applies a
// label filter to stream labels and structured metadata alike.
func metadataFilter(sel string, keys, ids []string) string {
	if len(keys) == 0 {
		return ""
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		if len(ids) == 1 {
			parts[i] = k + "=" + strconv.Quote(ids[0])
		} else {
			parts[i] = k + "=~" + strconv.Quote(altRegex(ids))
		}
	}
	return sel + " | " + strings.Join(parts, " or ")
}

func altRegex(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = regexp.QuoteMeta(id)
	}
	return strings.Join(q, "|")
}

// queryLogs runs one Loki query and keeps the lines that really mention
// one of ids (a line filter also matches longer ids that contain it).
func (s *search) queryLogs(ctx context.Context, expr string, w Window, ids []string) {
	lg, limit := s.r.cfg.Logs, s.r.cfg.LogLimit
	q := loki.Query{Expr: expr, From: w.From, To: w.To, Limit: limit, Direction: loki.Backward}
	t0 := time.Now()
	res, err := lg.QueryRange(ctx, q)
	took := time.Since(t0)
	var kept []Log
	if err == nil {
		kept = make([]Log, 0, len(res.Entries))
		for _, e := range res.Entries {
			if l, ok := s.r.prepare(e, ids); ok {
				kept = append(kept, l)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("loki", "query_range", expr, took, err, func(ctx context.Context) error {
		_, err := lg.QueryRange(ctx, q)
		return err
	})
	if err != nil {
		return
	}
	for _, wmsg := range res.Warnings {
		s.warn(sanitize.Line(wmsg))
	}
	if len(res.Entries) >= limit {
		s.warn(fmt.Sprintf("more than %d lines matched %s; showing the newest %d", limit, sanitize.Line(expr), limit))
	}
	for _, l := range kept {
		k := logKey{l.Time.UnixNano(), l.Service, l.Line}
		if _, dup := s.seen[k]; dup {
			continue
		}
		s.seen[k] = struct{}{}
		s.logs = append(s.logs, l)
	}
}

// prepare extracts a line's IDs and keeps it when it mentions one of ids.
func (r *Resolver) prepare(e sources.LogEntry, ids []string) (Log, bool) {
	f := r.cfg.Extractor.Extract(e)
	if !mentionsAny(e, f, ids) {
		return Log{}, false
	}
	svc, _ := ServiceOf(e.Labels)
	if f.Level == "" {
		f.Level = "unknown"
	}
	return Log{Time: e.Time, Service: sanitize.Line(svc), Level: sanitize.Line(f.Level), Line: sanitize.Line(e.Line),
		Labels: e.Labels, Fields: f}, true
}

func mentionsAny(e sources.LogEntry, f Fields, ids []string) bool {
	for _, id := range ids {
		if f.RequestID == id || f.TraceID == id || containsToken(e.Line, id) {
			return true
		}
		for _, v := range e.Metadata {
			if v == id {
				return true
			}
		}
	}
	return false
}

// containsToken reports whether id occurs in s with no ID character
// either side, so req-12 is not found in req-123.
func containsToken(s, id string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], id)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(id)
		if (j == 0 || !idChar(s[j-1])) && (end == len(s) || !idChar(s[end])) {
			return true
		}
		i = j + 1
	}
}

func idChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
}

// getTraces fetches traces by id, each in its own goroutine.
func (s *search) getTraces(ctx context.Context, wg *sync.WaitGroup, ids []string) {
	tf := s.r.cfg.Traces
	for _, id := range ids {
		s.mu.Lock()
		s.tried[id] = true
		s.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			t, err := tf.GetTrace(ctx, id)
			took := time.Since(t0)
			s.mu.Lock()
			defer s.mu.Unlock()
			replay := func(ctx context.Context) error { _, err := tf.GetTrace(ctx, id); return err }
			if sources.KindOf(err) == sources.KindNotFound {
				// Not an outage: the trace is just not there.
				s.record("jaeger", "get_trace", id, took, nil, replay)
				return
			}
			s.record("jaeger", "get_trace", id, took, err, replay)
			if err == nil {
				s.addTrace(t)
			}
		}()
	}
}

// findByTag searches one service's traces for a span tagged with the id.
func (s *search) findByTag(ctx context.Context, svc, id string, w Window) {
	tf := s.r.cfg.Traces
	q := jaeger.FindQuery{Service: svc, Tags: map[string]string{s.r.cfg.TraceTag: id}, Start: w.From, End: w.To,
		Limit: s.r.cfg.MaxTraces}
	t0 := time.Now()
	ts, err := tf.FindTraces(ctx, q)
	took := time.Since(t0)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("jaeger", "find_traces", svc+" "+s.r.cfg.TraceTag+"="+id, took, err, func(ctx context.Context) error {
		_, err := tf.FindTraces(ctx, q)
		return err
	})
	for i := range ts {
		s.tried[ts[i].TraceID] = true
		s.addTrace(&ts[i])
	}
}

// addTrace keeps t unless it is known already or the view has enough.
// Called with s.mu held.
func (s *search) addTrace(t *sources.Trace) {
	if t == nil || len(t.Spans) == 0 {
		return
	}
	if _, ok := s.traces[t.TraceID]; ok {
		return
	}
	if len(s.traces) >= s.r.cfg.MaxTraces {
		s.warn(fmt.Sprintf("more than %d traces; showing the first %d", s.r.cfg.MaxTraces, s.r.cfg.MaxTraces))
		return
	}
	s.traces[t.TraceID] = t
	for _, w := range t.Warnings {
		s.warn(sanitize.Line(w))
	}
}

// record notes a call and, when it failed, the failure. Called with s.mu
// held.
func (s *search) record(backend, op, what string, took time.Duration, err error, replay func(context.Context) error) {
	s.calls = append(s.calls, Call{Backend: backend, Op: op, What: what, Round: s.round, Took: took, Err: err, replay: replay})
	if err != nil && sources.KindOf(err) != sources.KindCanceled {
		s.failed[backend] = append(s.failed[backend], err)
	}
}

func (s *search) warn(msg string) {
	if !slices.Contains(s.warnings, msg) {
		s.warnings = append(s.warnings, msg)
	}
}

func (s *search) found() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.logs) > 0 || len(s.traces) > 0
}

// allFailed reports whether every configured backend failed, when widening
// would only fail again.
func (s *search) allFailed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r.cfg.Logs != nil && len(s.failed["loki"]) == 0 {
		return false
	}
	if s.r.cfg.Traces != nil && len(s.failed["jaeger"]) == 0 {
		return false
	}
	return true
}

// discovered follows the IDs the first search turned up, both ways: trace
// ids in the logs are fetched from Jaeger; each trace's logs are searched
// by its trace id over the trace's own padded window; request ids found on
// spans or lines are searched over the same window. All in parallel.
func (s *search) discovered(ctx context.Context, input string, kind IDKind) {
	s.mu.Lock()
	traceWin := map[string]Window{}
	addWin := func(id string, w Window) { traceWin[id] = traceWin[id].Union(w) }
	reqs := map[string]bool{}
	for id, t := range s.traces {
		addWin(id, spanWindow(t.Spans))
		for _, sp := range t.Spans {
			if v, ok := sp.Tag(s.r.cfg.TraceTag); ok {
				if rid, ok := NormalizeRequestID(v); ok {
					reqs[rid] = true
				}
			}
		}
	}
	for _, l := range s.logs {
		if l.TraceID != "" {
			addWin(l.TraceID, Window{l.Time, l.Time})
		}
		if l.RequestID != "" {
			reqs[l.RequestID] = true
		}
	}
	var fetch, traceIDs []string
	var all Window
	ids := make([]string, 0, len(traceWin))
	for id := range traceWin {
		ids = append(ids, id)
	}
	// The traces already fetched first, then by id, so the cut at
	// MaxTraces is deterministic.
	slices.SortFunc(ids, func(a, b string) int {
		_, ka := s.traces[a]
		_, kb := s.traces[b]
		if ka != kb {
			if ka {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	if len(ids) > s.r.cfg.MaxTraces {
		s.warn(fmt.Sprintf("the lines name %d traces; following the first %d", len(ids), s.r.cfg.MaxTraces))
		ids = ids[:s.r.cfg.MaxTraces]
	}
	for _, id := range ids {
		w := traceWin[id].Padded(s.r.cfg.Pad)
		all = all.Union(w)
		if !s.tried[id] {
			fetch = append(fetch, id)
		}
		if done, ok := s.lokiDone[id]; !ok || !done.Covers(w) {
			traceIDs = append(traceIDs, id)
		}
	}
	var reqIDs []string
	for id := range reqs {
		if _, ok := s.lokiDone[id]; !ok && id != input {
			reqIDs = append(reqIDs, id)
		}
	}
	slices.Sort(fetch)
	slices.Sort(traceIDs)
	slices.Sort(reqIDs)
	for _, id := range append(traceIDs, reqIDs...) {
		s.lokiDone[id] = all
	}
	s.mu.Unlock()

	var wg sync.WaitGroup
	if s.r.cfg.Traces != nil {
		s.getTraces(ctx, &wg, fetch)
	}
	if s.r.cfg.Logs != nil && !all.IsZero() && (len(traceIDs) > 0 || len(reqIDs) > 0) {
		sels := s.r.selectorsFor(ctx, s, all)
		s.lokiQueries(ctx, &wg, sels, IDTrace, traceIDs, all)
		s.lokiQueries(ctx, &wg, sels, IDRequest, reqIDs, all)
	}
	wg.Wait()
}

// spanWindow is the time from the first span's start to the last end.
func spanWindow(spans []sources.Span) Window {
	var w Window
	for _, sp := range spans {
		w = w.Union(Window{sp.Start, sp.End()})
	}
	return w
}

// memo is a value fetched from a backend and reused for cacheFor.
type memo[T any] struct {
	mu sync.Mutex
	v  T
	at time.Time
	ok bool
}

// fetch returns the memo's value while it is fresh, and otherwise makes
// the call, records it in s, and keeps a successful answer.
func (m *memo[T]) fetch(ctx context.Context, s *search, backend, op string, call func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.ok && time.Since(m.at) < cacheFor {
		v := m.v
		m.mu.Unlock()
		return v, nil
	}
	m.mu.Unlock()
	t0 := time.Now()
	v, err := call(ctx)
	took := time.Since(t0)
	s.mu.Lock()
	s.record(backend, op, "", took, err, func(ctx context.Context) error { _, err := call(ctx); return err })
	s.mu.Unlock()
	if err == nil {
		m.mu.Lock()
		m.v, m.at, m.ok = v, time.Now(), true
		m.mu.Unlock()
	}
	return v, err
}

// peek returns the memo's value, fresh or not.
func (m *memo[T]) peek() (T, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.v, m.ok
}

// selectorsFor returns the configured selectors, or derives one from the
// labels Loki has in w (cached).
func (r *Resolver) selectorsFor(ctx context.Context, s *search, w Window) []string {
	if len(r.cfg.Selectors) > 0 {
		return r.cfg.Selectors
	}
	lg := r.cfg.Logs
	sels, err := r.selectors.fetch(ctx, s, "loki", "labels", func(ctx context.Context) ([]string, error) {
		names, err := lg.Labels(ctx, w.From, w.To)
		if err != nil {
			return nil, err
		}
		for _, l := range serviceLabels {
			if slices.Contains(names, l) {
				return []string{"{" + l + `=~".+"}`}, nil
			}
		}
		return []string{DefaultSelector}, nil
	})
	if err != nil {
		return []string{DefaultSelector}
	}
	return sels
}

func (r *Resolver) cachedSelectors() []string {
	if len(r.cfg.Selectors) > 0 {
		return r.cfg.Selectors
	}
	if sels, ok := r.selectors.peek(); ok {
		return sels
	}
	return []string{DefaultSelector}
}

// servicesFor lists Jaeger's services (cached).
func (r *Resolver) servicesFor(ctx context.Context, s *search) []string {
	svcs, _ := r.services.fetch(ctx, s, "jaeger", "services", r.cfg.Traces.Services)
	return svcs
}
