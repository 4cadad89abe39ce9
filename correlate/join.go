package correlate

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
)

// Log is one log line prepared for the join: its IDs already extracted and
// its text already sanitized.
type Log struct {
	Time    time.Time
	Service string
	Level   string
	// Line is sanitized (sanitize.Line).
	Line string
	// Labels are the stream labels (shared, read-only).
	Labels map[string]string
	Fields
}

// Match says how a log line was tied to a span.
type Match uint8

// The ways a log joins a span.
const (
	// MatchNone: no span of the view contains the line.
	MatchNone Match = iota
	// MatchSpanID: the line carries the span's trace and span id.
	MatchSpanID
	// MatchServiceTime: the line has no (known) span id; it is in the
	// span's service, its trace when it has one, and inside the span's time.
	MatchServiceTime
	// MatchTraceTime: as MatchServiceTime, but no span of the line's
	// service is in the trace, so the innermost span of the trace that
	// contains the line's time is taken.
	MatchTraceTime
)

// String names the match for people.
func (m Match) String() string {
	switch m {
	case MatchSpanID:
		return "span id"
	case MatchServiceTime:
		return "service and time"
	case MatchTraceTime:
		return "trace and time"
	}
	return "none"
}

// ItemKind says whether a timeline item is a span or a log line.
type ItemKind uint8

// The timeline item kinds.
const (
	ItemSpan ItemKind = iota
	ItemLog
)

// String is "span" or "log", as in the JSON output.
func (k ItemKind) String() string {
	if k == ItemLog {
		return "log"
	}
	return "span"
}

// Item is one row of the timeline. It is small on purpose: a million-line
// timeline is a slice of these, not of copies of the lines.
type Item struct {
	// Nanos is the item's time (a span's start) in Unix nanoseconds.
	Nanos int64
	// Ref indexes Joined.Spans or Joined.Logs, by Kind.
	Ref int32
	// Svc indexes Joined.Services.
	Svc  int32
	Kind ItemKind
}

// Time is the item's time.
func (it Item) Time() time.Time { return time.Unix(0, it.Nanos) }

// Joined is the join of a request's spans and logs.
type Joined struct {
	// Spans are ordered by start. Logs are as given to Join; LogOrder
	// lists their indices in time order.
	Spans    []sources.Span
	Logs     []Log
	LogOrder []int32
	// SpanOf[i] is the index in Spans of the span Logs[i] was written in,
	// or -1; How[i] says how it was matched.
	SpanOf []int32
	How    []Match
	// Services in order of first appearance in time.
	Services []string
	// Timeline has spans and logs interleaved in time, grouped by service
	// in the order of Services.
	Timeline []Item
	// Groups[i] is where service i's items start in Timeline; the last
	// group ends at len(Timeline).
	Groups []int
}

// idKey is a trace id and a span id as numbers: hashing 24 bytes of
// integers is several times cheaper than hashing 48 bytes of hex text.
type idKey struct{ hi, lo, span uint64 }

// traceKey is a trace id as numbers.
type traceKey struct{ hi, lo uint64 }

// span returns the key of trace id t and span id s; ok is false when
// either is not hex of the right length.
func keyOf(t, s string) (idKey, bool) {
	tk, ok := traceKeyOf(t)
	if !ok {
		return idKey{}, false
	}
	sp, ok := parseHex(s)
	if !ok || len(s) != 16 {
		return idKey{}, false
	}
	return idKey{tk.hi, tk.lo, sp}, true
}

// traceKeyOf parses a 32- or 16-digit hex trace id.
func traceKeyOf(t string) (traceKey, bool) {
	switch len(t) {
	case 32:
		hi, ok1 := parseHex(t[:16])
		lo, ok2 := parseHex(t[16:])
		return traceKey{hi, lo}, ok1 && ok2
	case 16:
		lo, ok := parseHex(t)
		return traceKey{0, lo}, ok
	}
	return traceKey{}, false
}

func parseHex(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(c)
	}
	return v, true
}

// maxBack bounds how many earlier-starting spans the time fallback looks
// at, so a log in a service with thousands of overlapping spans stays
// cheap. The innermost containing span is nearly always among the latest
// started.
const maxBack = 64

// nanoPair is a time and the index of what happened then.
type nanoPair struct {
	k int64
	i int32
}

// timeOrder returns the logs' indices and times in time order (ties in
// input order), numbering their services on the way. Logs are not moved: they are large and full of pointers,
// and moving a million of them costs more than the rest of the join.
func timeOrder(logs []Log, svcs *interner, logSvc []int32) []nanoPair {
	ps := make([]nanoPair, len(logs))
	sorted := true
	for i := range logs {
		ps[i] = nanoPair{logs[i].Time.UnixNano(), int32(i)}
		logSvc[i] = svcs.id(logs[i].Service)
		if i > 0 && ps[i].k < ps[i-1].k {
			sorted = false
		}
	}
	if !sorted {
		sortPairs(ps)
	}
	return ps
}

// byStart returns spans in start order (ties in input order), copying
// them once when they are not sorted already.
func byStart(spans []sources.Span) []sources.Span {
	ps := make([]nanoPair, len(spans))
	sorted := true
	for i := range spans {
		ps[i] = nanoPair{spans[i].Start.UnixNano(), int32(i)}
		if i > 0 && ps[i].k < ps[i-1].k {
			sorted = false
		}
	}
	if sorted {
		return spans
	}
	sortPairs(ps)
	out := make([]sources.Span, len(spans))
	for k, p := range ps {
		out[k] = spans[p.i]
	}
	return out
}

func sortPairs(ps []nanoPair) {
	slices.SortFunc(ps, func(a, b nanoPair) int {
		if c := cmp.Compare(a.k, b.k); c != 0 {
			return c
		}
		return int(a.i - b.i)
	})
}

// ranges index spans by a key into runs of one array of span positions,
// each run in start order: no slice per key.
type ranges[K comparable] struct {
	at    map[K][2]int32
	order []int32
}

func buildRanges[K comparable](n int, key func(i int) (K, bool), less func(a, b K) int) ranges[K] {
	type kv struct {
		k K
		i int32
	}
	kvs := make([]kv, 0, n)
	for i := 0; i < n; i++ {
		if k, ok := key(i); ok {
			kvs = append(kvs, kv{k, int32(i)})
		}
	}
	// Positions are in start order, so ordering ties by position keeps
	// each run in start order.
	slices.SortFunc(kvs, func(a, b kv) int {
		if c := less(a.k, b.k); c != 0 {
			return c
		}
		return int(a.i - b.i)
	})
	r := ranges[K]{at: make(map[K][2]int32), order: make([]int32, len(kvs))}
	for i := 0; i < len(kvs); {
		j := i
		for j < len(kvs) && kvs[j].k == kvs[i].k {
			r.order[j] = kvs[j].i
			j++
		}
		r.at[kvs[i].k] = [2]int32{int32(i), int32(j)}
		i = j
	}
	return r
}

func (r ranges[K]) get(k K) []int32 {
	if b, ok := r.at[k]; ok {
		return r.order[b[0]:b[1]]
	}
	return nil
}

// Join ties logs to spans and builds the timeline. Joined.Spans are the
// spans in start order (the input is not modified unless already sorted,
// when it is used as is); logs keep their order and are used as is.
//
// A log with a span id joins that span. Without one (or with one that is
// not in the view) it joins the innermost span of its own service, in its
// trace if it has a trace id, that contains its time; failing that, the
// innermost span of its trace containing its time. It costs
// O((s + l) log(s + l)) for s spans and l logs.
func Join(spans []sources.Span, logs []Log) *Joined {
	spans = byStart(spans)
	var svcs interner
	spanSvc := make([]int32, len(spans))
	for i := range spans {
		spanSvc[i] = svcs.id(spans[i].Service)
	}
	logSvc := make([]int32, len(logs))
	order := timeOrder(logs, &svcs, logSvc)
	j := &Joined{Spans: spans, Logs: logs, SpanOf: make([]int32, len(logs)), How: make([]Match, len(logs))}

	byID := make(map[idKey]int32, len(spans))
	starts := make([]int64, len(spans))
	ends := make([]int64, len(spans))
	tkeys := make([]traceKey, len(spans))
	tok := make([]bool, len(spans))
	for i := range spans {
		s := &spans[i]
		starts[i], ends[i] = s.Start.UnixNano(), s.End().UnixNano()
		tkeys[i], tok[i] = traceKeyOf(s.TraceID)
		if k, ok := keyOf(s.TraceID, s.SpanID); ok {
			byID[k] = int32(i)
		}
	}
	byTrace := buildRanges(len(spans), func(i int) (traceKey, bool) { return tkeys[i], tok[i] }, func(a, b traceKey) int {
		if a.hi != b.hi {
			return cmp.Compare(a.hi, b.hi)
		}
		return cmp.Compare(a.lo, b.lo)
	})
	bySvc := buildRanges(len(spans), func(i int) (string, bool) { return spans[i].Service, true }, strings.Compare)

	// within returns the latest-starting candidate containing t whose
	// service is svc (any service when svc is ""), or -1.
	within := func(cands []int32, t int64, svc string) int32 {
		n := sort.Search(len(cands), func(i int) bool { return starts[cands[i]] > t })
		for i, seen := n-1, 0; i >= 0 && seen < maxBack; i-- {
			c := cands[i]
			if svc != "" && spans[c].Service != svc {
				continue
			}
			seen++
			if ends[c] >= t {
				return c
			}
		}
		return -1
	}
	for i := range logs {
		l := &logs[i]
		j.SpanOf[i] = -1
		if l.SpanID != "" {
			if k, ok := keyOf(l.TraceID, l.SpanID); ok {
				if si, ok := byID[k]; ok {
					j.SpanOf[i], j.How[i] = si, MatchSpanID
					continue
				}
			}
		}
		t := l.Time.UnixNano()
		if l.TraceID == "" {
			if si := within(bySvc.get(l.Service), t, ""); si >= 0 {
				j.SpanOf[i], j.How[i] = si, MatchServiceTime
			}
			continue
		}
		tk, ok := traceKeyOf(l.TraceID)
		if !ok {
			continue
		}
		cands := byTrace.get(tk)
		if si := within(cands, t, l.Service); si >= 0 {
			j.SpanOf[i], j.How[i] = si, MatchServiceTime
		} else if si := within(cands, t, ""); si >= 0 {
			j.SpanOf[i], j.How[i] = si, MatchTraceTime
		}
	}
	j.buildTimeline(starts, order, spanSvc, logSvc, svcs.names)
	return j
}

// interner numbers service names in the order it first sees them.
type interner struct {
	ids   map[string]int32
	names []string
	last  string
	lastN int32
}

func (in *interner) id(s string) int32 {
	if in.ids == nil {
		in.ids, in.lastN = map[string]int32{}, -1
	}
	if in.lastN >= 0 && s == in.last {
		return in.lastN // lines of one service often come in runs
	}
	n, ok := in.ids[s]
	if !ok {
		n = int32(len(in.names))
		in.ids[s] = n
		in.names = append(in.names, s)
	}
	in.last, in.lastN = s, n
	return n
}

// buildTimeline merges spans and logs in time order and groups them by
// service, services in order of first appearance. Both inputs are sorted
// and services are already numbered (spanSvc, logSvc index names), so
// this is two merge walks over small integers (count, then place): linear,
// and it never touches the large Log values again.
func (j *Joined) buildTimeline(spanStarts []int64, logs []nanoPair, spanSvc, logSvc []int32, names []string) {
	remap := make([]int32, len(names))
	for i := range remap {
		remap[i] = -1
	}
	var counts []int
	walk := func(emit func(it Item)) {
		si, li := 0, 0
		for si < len(spanStarts) || li < len(logs) {
			var it Item
			if li >= len(logs) || si < len(spanStarts) && spanStarts[si] <= logs[li].k {
				it = Item{Nanos: spanStarts[si], Ref: int32(si), Svc: spanSvc[si], Kind: ItemSpan}
				si++
			} else {
				it = Item{Nanos: logs[li].k, Ref: logs[li].i, Svc: logSvc[logs[li].i], Kind: ItemLog}
				li++
			}
			emit(it)
		}
	}
	// First walk: services in order of first appearance, and their counts.
	walk(func(it Item) {
		if remap[it.Svc] < 0 {
			remap[it.Svc] = int32(len(j.Services))
			j.Services = append(j.Services, names[it.Svc])
			counts = append(counts, 0)
		}
		counts[remap[it.Svc]]++
	})
	j.Groups = make([]int, len(j.Services))
	at := 0
	for i := range j.Services {
		j.Groups[i] = at
		at += counts[i]
	}
	next := append([]int(nil), j.Groups...)
	j.Timeline = make([]Item, at)
	walk(func(it Item) {
		it.Svc = remap[it.Svc]
		j.Timeline[next[it.Svc]] = it
		next[it.Svc]++
	})
	j.LogOrder = make([]int32, len(logs))
	for k, p := range logs {
		j.LogOrder[k] = p.i
	}
}

// Group returns service i's items.
func (j *Joined) Group(i int) []Item {
	end := len(j.Timeline)
	if i+1 < len(j.Groups) {
		end = j.Groups[i+1]
	}
	return j.Timeline[j.Groups[i]:end]
}

// LogsOf returns the indices of the logs joined to span si.
func (j *Joined) LogsOf(si int) []int {
	var out []int
	for i, s := range j.SpanOf {
		if int(s) == si {
			out = append(out, i)
		}
	}
	return out
}
