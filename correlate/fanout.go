package correlate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/sanitize"
)

// LogSearcher is the log backend the request view searches. Every
// sources.LogBackend (Loki, VictoriaLogs) satisfies it.
type LogSearcher interface {
	QueryRange(ctx context.Context, q sources.LogQuery) (*sources.LogResult, error)
	Labels(ctx context.Context, from, to time.Time) ([]string, error)
	// Backend names the backend ("loki", "victorialogs") in calls and
	// problems; Dialect writes its queries.
	Backend() string
	Dialect() sources.LogDialect
}

// TraceFinder is the trace backend the request view searches.
// *jaeger.Client satisfies it.
type TraceFinder interface {
	GetTrace(ctx context.Context, traceID string) (*sources.Trace, error)
	FindTraces(ctx context.Context, q jaeger.FindQuery) ([]sources.Trace, error)
	Services(ctx context.Context) ([]string, error)
}

// ChangeLister lists a context's deploys and config changes in a window,
// for the given services (all when empty) and the changes that name no
// service. changes.Feeds satisfies it.
type ChangeLister interface {
	Changes(ctx context.Context, from, to time.Time, services []string) ([]changes.Event, error)
}

var (
	_ LogSearcher  = sources.LogBackend(nil)
	_ TraceFinder  = (*jaeger.Client)(nil)
	_ ChangeLister = changes.Feeds{}
)

// Defaults for Config's zero values.
const (
	// DefaultTraceTag is the span tag searched for a request id.
	DefaultTraceTag = "request_id"
	// DefaultLogLimit is the most lines one log query returns.
	DefaultLogLimit = 5000
	// DefaultMaxTraces bounds the traces one view fetches.
	DefaultMaxTraces = 10
	// DefaultSelectorLabel is the stream label searched when the log
	// backend cannot list its labels (OpenTelemetry's service.name as Loki
	// and VictoriaLogs store it).
	DefaultSelectorLabel = "service_name"
	// cacheFor is how long the derived selectors and Jaeger's service list
	// are reused: they change slowly, and re-asking would put a call in
	// front of every search.
	cacheFor = 5 * time.Minute
	// maxFinds bounds the tag searches in flight at once: Jaeger's
	// api_v2 needs a service per search, and a team with hundreds of
	// services must not get hundreds of concurrent searches per view.
	maxFinds = 8
)

// Config is what a Resolver needs. Logs or Traces may be nil when the
// context has no such backend; the view then says so.
type Config struct {
	Logs   LogSearcher
	Traces TraceFinder
	// Extractor finds IDs in the lines; nil means DefaultExtractor.
	Extractor *Extractor
	// Selectors are the stream selectors searched, in the log backend's
	// language; empty means one derived from the stream labels the backend
	// has (e.g. {service=~".+"}).
	Selectors []string
	// Pad widens windows around what was found (DefaultPad).
	Pad time.Duration
	// TraceTag is the span tag a request id is searched by (request_id).
	TraceTag string
	// LogLimit is the most lines one query returns (DefaultLogLimit).
	LogLimit int
	// MaxTraces bounds the traces fetched (DefaultMaxTraces).
	MaxTraces int
	// Changes lists the deploys and config changes around the request;
	// nil when the context configures no change source.
	Changes ChangeLister
}

// Resolver builds request views. It is safe for concurrent use; it caches
// the derived selectors and Jaeger's service list for a few minutes.
type Resolver struct {
	cfg Config

	selectors memo[[]string]
	services  memo[[]string]

	// finds holds a slot per tag search in flight (maxFinds).
	finds chan struct{}
	// entryMu guards entry: the services that owned the first span
	// carrying the trace tag in a trace seen before. A tag search asks
	// those services first and the others only when they find nothing,
	// because one hit returns the whole trace.
	entryMu sync.Mutex
	entry   map[string]bool
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
	return &Resolver{cfg: cfg, finds: make(chan struct{}, maxFinds), entry: map[string]bool{}}
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
	// At is when the call started, counted from the start of the view.
	At   time.Duration
	Took time.Duration
	Err  error
	// replay makes the call again; calls answered from the resolver's
	// cache are not recorded at all.
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

// search is the state of one resolution, shared by its goroutines. Each
// answer that names an ID not yet followed starts the calls that follow
// it at once, so the follow-up calls overlap the first ones instead of
// waiting for the slowest of them.
type search struct {
	r   *Resolver
	ctx context.Context
	// now is when the resolution started: no line can be newer, so a
	// padded window is cut there and one already searched up to now
	// counts as covering it.
	now time.Time
	// began is when the resolution started, for Call.At.
	began time.Time
	wg    sync.WaitGroup
	// inflight counts the goroutines making calls.
	inflight atomic.Int32

	// progress, when set, gets a snapshot after each answer that changed
	// what is known; pmu keeps the snapshots in order.
	progress func(*View)
	pmu      sync.Mutex
	emitted  int

	mu sync.Mutex
	// head is the view's header (input, kind, window searched), copied
	// into every snapshot; version counts the answers recorded.
	head    View
	version int
	logs    []Log
	seen    map[logKey]struct{}
	traces  map[string]*sources.Trace
	tried   map[string]bool // trace ids asked of Jaeger
	pending map[string]bool // trace ids Jaeger has not answered yet
	// finding counts the tag searches not answered yet.
	finding  int
	failed   map[string][]error
	calls    []Call
	warnings []string
	// lokiDone records, per ID, the window it was searched over.
	lokiDone map[string]Window
	// followed are the trace ids followed, at most MaxTraces.
	followed map[string]bool
	// findSvcs are the Jaeger services a tag search covered.
	findSvcs []string
	// findRest are the services left for when the likely ones find no
	// trace; tagHits counts the traces tag searches found.
	findRest []string
	tagHits  int
	// changes are the changes in chWin, the widest window asked so far;
	// changesErr is why some could not be listed.
	changes    []changes.Event
	chWin      Window
	changesErr error
}

type logKey struct {
	nanos int64
	svc   string
	line  string
}

// Rounds of Call.Round.
const (
	roundInput  = 1 // a call searching the ID as given
	roundFollow = 2 // a call following an ID an answer named
)

// Resolve builds the view of one request or trace id over w. Backend
// failures do not fail it: the view comes back partial and says which
// backend failed and why. It fails only for input that is no ID.
//
// Loki (the ID in lines, labels and structured metadata) and Jaeger (the
// trace, or traces whose spans carry the ID as a tag) are asked at once.
// Every trace found has its lines searched by trace id over its own
// padded window; every trace id a line names is fetched; request ids on
// the spans are searched too. When nothing at all is found the window is
// widened once.
func (r *Resolver) Resolve(ctx context.Context, input string, w Window) (*View, error) {
	return r.ResolveProgress(ctx, input, w, nil)
}

// ResolveProgress is Resolve that also hands progress snapshots of the
// view, Searching and with what is known so far, to progress (when not
// nil) as answers arrive: the trace Jaeger found can be shown while Loki
// still searches. Snapshots come one at a time, in order, from the
// resolution's goroutines, and never after ResolveProgress returns.
func (r *Resolver) ResolveProgress(ctx context.Context, input string, w Window, progress func(*View)) (*View, error) {
	id, kind, ok := ClassifyInput(input)
	if !ok {
		return nil, fmt.Errorf("%q is not a request id or a trace id (1-128 printable characters without spaces or quotes)", sanitize.Line(input))
	}
	if w.IsZero() || !w.From.Before(w.To) {
		return nil, errors.New("the window to search is empty")
	}
	t0 := time.Now()
	now := t0
	if d := t0.Sub(w.To); d >= 0 && d < 10*time.Second {
		// A window that ends "now" as the caller read the clock a moment
		// ago: its end is the present of this search.
		now = w.To
	}
	s := &search{r: r, ctx: ctx, now: now, began: t0, seen: map[logKey]struct{}{}, traces: map[string]*sources.Trace{}, tried: map[string]bool{},
		pending: map[string]bool{}, failed: map[string][]error{}, lokiDone: map[string]Window{}, followed: map[string]bool{}}
	v := &View{Input: id, Kind: kind, Searched: w, TraceTag: r.cfg.TraceTag}
	s.head, s.progress = *v, progress

	s.start(id, kind, w)
	s.settle()
	if !s.found() && ctx.Err() == nil && !s.allFailed() {
		v.Widened, v.Narrow = true, w
		w = w.Widened()
		v.Searched = w
		s.mu.Lock()
		s.head = *v
		s.mu.Unlock()
		s.start(id, kind, w)
		s.settle()
	}
	v.Selectors, v.LogBackend = r.cachedSelectors(), r.logName()
	s.finish(v)
	if s.refineChanges(v.Window) {
		s.finish(v)
	}
	v.Took = time.Since(t0)
	// Every snapshot was handed over before the last goroutine ended;
	// taking pmu makes sure the last of them has returned too.
	s.pmu.Lock()
	s.progress = nil
	s.pmu.Unlock()
	return v, nil
}

// emit hands a snapshot to the progress function when an answer changed
// what is known since the last one.
func (s *search) emit() {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	if s.progress == nil {
		return
	}
	s.mu.Lock()
	version, v := s.version, s.head
	s.mu.Unlock()
	if version == s.emitted {
		return
	}
	s.emitted = version
	v.Selectors, v.LogBackend = s.r.cachedSelectors(), s.r.logName()
	s.finish(&v)
	v.Took = time.Since(s.began)
	v.Searching, v.Pending = true, int(s.inflight.Load())
	s.progress(&v)
}

// settle waits for every call, then follows what is left that needed the
// traces to be known first (request ids found without a trace), once.
func (s *search) settle() {
	s.wg.Wait()
	s.mu.Lock()
	s.follow(true)
	s.mu.Unlock()
	s.wg.Wait()
}

// spawn runs f in its own goroutine, counted until it returns.
func (s *search) spawn(f func()) {
	s.wg.Add(1)
	s.inflight.Add(1)
	go func() {
		defer s.wg.Done()
		f()
		s.inflight.Add(-1)
		if s.progress != nil {
			s.emit()
		}
	}()
}

// start searches Loki and Jaeger for the ID as given, in parallel.
func (s *search) start(id string, kind IDKind, w Window) {
	s.mu.Lock()
	if s.r.cfg.Logs != nil {
		s.lokiDone[id] = w
		s.searchLogs(kind, []string{id}, w, roundInput)
	}
	if s.r.cfg.Traces != nil {
		if kind == IDTrace {
			s.followed[id] = true
			s.getTrace(id, roundInput)
		} else {
			s.finding++ // until findAll knows how many services it asks
			s.spawn(func() { s.findAll(id, w) })
		}
	}
	if s.r.cfg.Changes != nil {
		s.spawn(func() { s.listChanges(w) })
	}
	s.mu.Unlock()
}

// findAll searches Jaeger's services for spans tagged with the id: first
// the services where earlier traces began carrying the tag, and all the
// others only if those find no trace.
func (s *search) findAll(id string, w Window) {
	svcs := s.r.servicesFor(s.ctx, s)
	first, rest := s.r.splitByEntry(svcs)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finding--
	s.findSvcs, s.findRest = nil, rest
	s.findIn(first, id, w)
	if len(svcs) == 0 {
		s.follow(false)
	}
}

// findIn starts a tag search per service. Called with s.mu held.
func (s *search) findIn(svcs []string, id string, w Window) {
	s.findSvcs = append(s.findSvcs, svcs...)
	s.finding += len(svcs)
	for _, svc := range svcs {
		s.spawn(func() { s.findByTag(svc, id, w) })
	}
}

// searchLogs starts, per selector, the backend's queries for ids of kind
// over w: in the line text, and in the fields (Loki structured metadata,
// VictoriaLogs fields) named for that kind.
func (s *search) searchLogs(kind IDKind, ids []string, w Window, round int) {
	if len(ids) == 0 || s.r.cfg.Logs == nil {
		return
	}
	keys := s.r.cfg.Extractor.MetadataKeys(kind)
	d := s.r.cfg.Logs.Dialect()
	s.spawn(func() {
		sels := s.r.selectorsFor(s.ctx, s, w)
		for _, sel := range sels {
			for _, expr := range d.IDQueries(sel, keys, ids) {
				if expr != "" {
					s.spawn(func() { s.queryLogs(expr, w, ids, round) })
				}
			}
		}
	})
}

// follow starts the calls for IDs the answers so far named and that were
// not followed yet: trace ids are fetched from Jaeger and their lines
// searched over the trace's own padded window (the lines' window while the
// trace is not known); request ids on spans or lines are searched over
// the traces' windows. final also follows request ids when no trace is
// known. Called with s.mu held.
func (s *search) follow(final bool) {
	win := map[string]Window{}
	for id, t := range s.traces {
		win[id] = spanWindow(t.Spans)
	}
	reqs := map[string]bool{}
	for _, l := range s.logs {
		if l.TraceID != "" {
			if _, known := s.traces[l.TraceID]; !known {
				win[l.TraceID] = win[l.TraceID].Union(Window{l.Time, l.Time})
			}
		}
		if l.RequestID != "" {
			reqs[l.RequestID] = true
		}
	}
	for _, t := range s.traces {
		for _, sp := range t.Spans {
			if v, ok := sp.Tag(s.r.cfg.TraceTag); ok {
				if rid, ok := NormalizeRequestID(v); ok {
					reqs[rid] = true
				}
			}
		}
	}
	ids := make([]string, 0, len(win))
	for id := range win {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var all Window
	for _, id := range ids {
		if !s.followed[id] {
			if len(s.followed) >= s.r.cfg.MaxTraces {
				s.warn(fmt.Sprintf("more than %d traces are tied to this id; following the first %d", s.r.cfg.MaxTraces, s.r.cfg.MaxTraces))
				continue
			}
			s.followed[id] = true
		}
		// A trace id only the lines name: its logs wait for the trace,
		// whose own window is the one to search, unless Jaeger cannot
		// give it (not configured, failed, or does not have it).
		if _, known := s.traces[id]; !known && !final {
			if s.finding > 0 || s.pending[id] {
				continue
			}
			if s.r.cfg.Traces != nil && !s.tried[id] {
				s.getTrace(id, roundFollow)
				continue
			}
		}
		w := win[id].Padded(s.r.cfg.Pad)
		if w.To.After(s.now) {
			w.To = s.now
		}
		all = all.Union(w)
		if done, ok := s.lokiDone[id]; !ok || !done.Covers(w) {
			s.lokiDone[id] = w.Union(done)
			s.searchLogs(IDTrace, []string{id}, w, roundFollow)
		}
	}
	if len(s.traces) == 0 && !final {
		return // request ids wait for a trace's window
	}
	rids := make([]string, 0, len(reqs))
	for id := range reqs {
		rids = append(rids, id)
	}
	slices.Sort(rids)
	for _, id := range rids {
		if done, ok := s.lokiDone[id]; !all.IsZero() && (!ok || !done.Covers(all)) {
			s.lokiDone[id] = all.Union(done)
			s.searchLogs(IDRequest, []string{id}, all, roundFollow)
		}
	}
}

// queryLogs runs one log query and keeps the lines that really mention
// one of ids (a line filter also matches longer ids that contain it).
func (s *search) queryLogs(expr string, w Window, ids []string, round int) {
	lg, limit := s.r.cfg.Logs, s.r.cfg.LogLimit
	q := sources.LogQuery{Expr: expr, From: w.From, To: w.To, Limit: limit, Direction: sources.Backward}
	t0 := time.Now()
	res, err := lg.QueryRange(s.ctx, q)
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
	s.record(s.r.logName(), "query_range", expr, round, t0, took, err, func(ctx context.Context) error {
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
	s.follow(false)
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

// getTrace fetches one trace. Called with s.mu held.
func (s *search) getTrace(id string, round int) {
	tf := s.r.cfg.Traces
	s.tried[id], s.pending[id] = true, true
	s.spawn(func() {
		t0 := time.Now()
		t, err := tf.GetTrace(s.ctx, id)
		took := time.Since(t0)
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.pending, id)
		replay := func(ctx context.Context) error { _, err := tf.GetTrace(ctx, id); return err }
		if sources.KindOf(err) == sources.KindNotFound {
			err = nil // not an outage: the trace is just not there
		}
		s.record("jaeger", "get_trace", id, round, t0, took, err, replay)
		if t != nil {
			s.addTrace(t)
		}
		// Found or not, what waited for this trace can go on.
		s.follow(false)
	})
}

// findByTag searches one service's traces for a span tagged with the id.
func (s *search) findByTag(svc, id string, w Window) {
	tf := s.r.cfg.Traces
	q := jaeger.FindQuery{Service: svc, Tags: map[string]string{s.r.cfg.TraceTag: id}, Start: w.From, End: w.To,
		Limit: s.r.cfg.MaxTraces}
	held := false
	select {
	case s.r.finds <- struct{}{}:
		held = true
	case <-s.ctx.Done(): // FindTraces fails at once with the context's error
	}
	t0 := time.Now()
	ts, err := tf.FindTraces(s.ctx, q)
	took := time.Since(t0)
	if held {
		<-s.r.finds
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("jaeger", "find_traces", svc+" "+s.r.cfg.TraceTag+"="+id, roundInput, t0, took, err, func(ctx context.Context) error {
		_, err := tf.FindTraces(ctx, q)
		return err
	})
	for i := range ts {
		s.tried[ts[i].TraceID] = true
		s.addTrace(&ts[i])
	}
	s.tagHits += len(ts)
	s.finding--
	if s.finding == 0 && s.tagHits == 0 && len(s.findRest) > 0 && s.ctx.Err() == nil {
		rest := s.findRest
		s.findRest = nil
		s.findIn(rest, id, w)
	}
	s.follow(false)
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
	s.r.learnEntry(t)
	for _, w := range t.Warnings {
		s.warn(sanitize.Line(w))
	}
}

// record notes a call and, when it failed, the failure. Called with s.mu
// held.
func (s *search) record(backend, op, what string, round int, t0 time.Time, took time.Duration, err error, replay func(context.Context) error) {
	s.version++
	s.calls = append(s.calls, Call{Backend: backend, Op: op, What: what, Round: round, At: t0.Sub(s.began), Took: took, Err: err, replay: replay})
	if err != nil && sources.KindOf(err) != sources.KindCanceled && backend != changesBackend {
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
	if s.r.cfg.Logs != nil && len(s.failed[s.r.logName()]) == 0 {
		return false
	}
	if s.r.cfg.Traces != nil && len(s.failed["jaeger"]) == 0 {
		return false
	}
	return true
}

// spanWindow is the time from the first span's start to the last end.
func spanWindow(spans []sources.Span) Window {
	var w Window
	for _, sp := range spans {
		w = w.Union(Window{sp.Start, sp.End()})
	}
	return w
}
