package loki

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/resilience"
)

// fakeLoki answers query_range over an in-memory set of entries the way Loki
// does: [start, end), sorted by direction, cut at limit, refusing limits and
// windows above its maxima. Entries sharing a timestamp come back in an order
// that is arbitrary but stable, as in Loki.
type fakeLoki struct {
	mu       sync.Mutex
	entries  []sources.LogEntry
	maxLimit int
	maxLen   time.Duration
	calls    []rangeRequest
	// metric answers one series per window with a sample on every step.
	metric bool
	fail   func(call int) error
	tails  []logtail.Conn // handed out in order by tail
	dialAt []time.Time    // the start of every tail dialled
	dials  int
	// sorted is entries by time, ties in a stable arbitrary order, rebuilt
	// after add.
	sorted []rankedEntry
}

type rankedEntry struct {
	sources.LogEntry
	rank uint32
}

func (f *fakeLoki) sortOnce() {
	if len(f.sorted) == len(f.entries) {
		return
	}
	f.sorted = f.sorted[:0]
	for _, e := range f.entries {
		f.sorted = append(f.sorted, rankedEntry{e, tieRank(e)})
	}
	slices.SortFunc(f.sorted, func(a, b rankedEntry) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		switch {
		case a.rank < b.rank:
			return -1
		case a.rank > b.rank:
			return 1
		}
		return 0
	})
}

func (f *fakeLoki) add(labels map[string]string, ts time.Time, line string) {
	f.entries = append(f.entries, sources.LogEntry{Time: ts, Labels: labels, Line: line})
}

func tieRank(e sources.LogEntry) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, labelsKey(e.Labels), e.Line)
	return h.Sum32()
}

func (f *fakeLoki) queryRange(ctx context.Context, r rangeRequest) (page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r)
	if f.fail != nil {
		if err := f.fail(len(f.calls)); err != nil {
			return page{}, err
		}
	}
	if f.maxLimit > 0 && r.limit > f.maxLimit {
		return page{}, httpError("query_range", 400, []byte(fmt.Sprintf(
			"max entries limit per query exceeded, limit > max_entries_limit_per_query (%d > %d)", r.limit, f.maxLimit)))
	}
	if r.limit <= 0 {
		return page{}, httpError("query_range", 400, []byte("limit must be a positive value"))
	}
	if f.maxLen > 0 && r.end.Sub(r.start) > f.maxLen {
		return page{}, httpError("query_range", 400, []byte("the query time range exceeds the limit"))
	}
	if f.metric {
		var ss []sources.Sample
		for t := r.start; !t.After(r.end); t = t.Add(r.step) {
			ss = append(ss, sources.Sample{Time: t, Value: float64(t.Unix())})
			if r.step <= 0 {
				break
			}
		}
		return page{kind: kindMatrix, series: []sources.Series{{Labels: map[string]string{"job": "x"}, Samples: ss}}}, nil
	}
	f.sortOnce()
	lo, _ := slices.BinarySearchFunc(f.sorted, r.start, func(e rankedEntry, t time.Time) int { return e.Time.Compare(t) })
	hi, _ := slices.BinarySearchFunc(f.sorted, r.end, func(e rankedEntry, t time.Time) int { return e.Time.Compare(t) })
	sel := make([]sources.LogEntry, 0, min(hi-lo, r.limit))
	for i := 0; i < hi-lo && len(sel) < r.limit; i++ {
		j := lo + i
		if r.dir == Backward {
			j = hi - 1 - i
		}
		sel = append(sel, f.sorted[j].LogEntry)
	}
	return page{kind: kindStreams, entries: sel}, nil
}

func (f *fakeLoki) query(context.Context, string, int, time.Time, *labelInterner) (page, error) {
	return page{kind: kindVector}, nil
}
func (f *fakeLoki) labels(context.Context, time.Time, time.Time) ([]string, error) { return nil, nil }
func (f *fakeLoki) labelValues(context.Context, string, time.Time, time.Time) ([]string, error) {
	return nil, nil
}
func (f *fakeLoki) series(context.Context, []string, time.Time, time.Time) ([]map[string]string, error) {
	return nil, nil
}
func (f *fakeLoki) ready(context.Context) error { return nil }

func (f *fakeLoki) tail(ctx context.Context, expr string, start time.Time, in *labelInterner) (logtail.Conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dials++
	f.dialAt = append(f.dialAt, start)
	if len(f.tails) == 0 {
		return nil, &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "no more scripted connections"}
	}
	c := f.tails[0]
	f.tails = f.tails[1:]
	if e, ok := c.(errConn); ok {
		return nil, e.err
	}
	return c, nil
}

// errConn scripts a failed dial.
type errConn struct {
	logtail.Conn
	err error
}

// scriptConn plays scripted events, then blocks until closed or ends with
// an error.
type scriptConn struct {
	events chan scriptEvent
	closed chan struct{}
	once   sync.Once
}

type scriptEvent struct {
	ev  logtail.Event
	err error
	// before runs just before the event is returned, e.g. to push entries
	// into the fake's store as if they had been written meanwhile.
	before func()
}

func newScriptConn(evs ...scriptEvent) *scriptConn {
	c := &scriptConn{events: make(chan scriptEvent, len(evs)+1), closed: make(chan struct{})}
	for _, e := range evs {
		c.events <- e
	}
	return c
}

func (c *scriptConn) Next(ctx context.Context) (logtail.Event, error) {
	select {
	case e := <-c.events:
		if e.before != nil {
			e.before()
		}
		return e.ev, e.err
	case <-c.closed:
		return logtail.Event{}, &sources.Error{Backend: backend, Op: "tail", Kind: sources.KindUnreachable, Msg: "closed"}
	case <-ctx.Done():
		return logtail.Event{}, ctx.Err()
	}
}

func (c *scriptConn) Close() { c.once.Do(func() { close(c.closed) }) }

func quickGuard() *resilience.Guard {
	return resilience.New(backend, resilience.Policy{Timeout: 5 * time.Second, MaxAttempts: 3,
		BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, BreakerFailures: 1000})
}

func newFakeClient(t *testing.T, f *fakeLoki, pageSize int, maxLen time.Duration) *Client {
	t.Helper()
	if f.maxLimit == 0 {
		f.maxLimit = pageSize
	}
	return newWithAPI(f, quickGuard(), pageSize, maxLen)
}
