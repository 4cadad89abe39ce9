package loki

import (
	"context"
	"fmt"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// window is a half-open time range [from, to), as Loki reads log queries.
type window struct{ from, to time.Time }

// splitWindows cuts [from, to) into consecutive windows no longer than max,
// ordered so that walking them in turn yields entries in dir order: newest
// window first for Backward, oldest first for Forward.
func splitWindows(from, to time.Time, max time.Duration, dir Direction) []window {
	if !from.Before(to) {
		return nil
	}
	if max <= 0 || to.Sub(from) <= max {
		return []window{{from, to}}
	}
	var ws []window
	if dir == Forward {
		for s := from; s.Before(to); s = s.Add(max) {
			ws = append(ws, window{s, minTime(s.Add(max), to)})
		}
		return ws
	}
	for e := to; e.After(from); e = e.Add(-max) {
		ws = append(ws, window{maxTime(e.Add(-max), from), e})
	}
	return ws
}

// splitMetricWindows cuts the closed range [from, to] of a metric query into
// closed ranges on the same step grid, no longer than max. Each next range
// starts one step after the previous ended, so no point is evaluated twice.
func splitMetricWindows(from, to time.Time, max, step time.Duration) []window {
	if to.Sub(from) <= max || max <= 0 {
		return []window{{from, to}}
	}
	span := max.Truncate(step)
	if span < step {
		span = step
	}
	var ws []window
	for s := from; !s.After(to); {
		e := minTime(s.Add(span), to)
		ws = append(ws, window{s, e})
		s = e.Add(step)
	}
	return ws
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// walk runs q over every split window, stopping at q.Limit entries, and
// returns how many entries it handed to emit.
func (c *Client) walk(ctx context.Context, q Query, in *labelInterner, w *warnings, emit func([]sources.LogEntry) error) (int, error) {
	total := 0
	for _, win := range splitWindows(q.From, q.To, c.maxLen, q.Direction) {
		n, err := c.walkWindow(ctx, q.Expr, win, q.Direction, q.Limit-total, in, w, emit)
		total += n
		if err != nil || total >= q.Limit {
			return total, err
		}
	}
	return total, nil
}

// walkWindow pages through one window. Each next page starts at the
// timestamp where the previous one ended (inclusive), because Loki allows
// many entries per timestamp and a page may have cut through them; the
// entries already seen at that timestamp are then dropped by key.
func (c *Client) walkWindow(ctx context.Context, expr string, win window, dir Direction, limit int,
	in *labelInterner, w *warnings, emit func([]sources.LogEntry) error) (int, error) {
	const op = "query_range"
	start, end := win.from, win.to
	var b boundary
	emitted := 0
	for emitted < limit && start.Before(end) {
		// Ask for the entries still wanted plus the ones that will come back
		// again at the boundary, within what the server allows.
		want := min(c.pageSize, limit-emitted+b.size())
		req := rangeRequest{expr: expr, limit: want, start: start, end: end, dir: dir, intern: in}
		p, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (page, error) {
			return c.api.queryRange(ctx, req)
		})
		if err != nil {
			return emitted, err
		}
		w.add(p.warnings...)
		if p.kind != kindStreams {
			return emitted, badQuery(op, "this is a metric query; use MetricRange or Instant")
		}
		fresh := b.filter(p.entries)
		if len(fresh) > limit-emitted {
			fresh = fresh[:limit-emitted]
		}
		if len(fresh) > 0 {
			if err := emit(fresh); err != nil {
				return emitted, err
			}
			emitted += len(fresh)
		}
		if len(p.entries) < want {
			return emitted, nil // the window has nothing more
		}
		last := p.entries[len(p.entries)-1].Time
		if len(fresh) == 0 {
			// A whole page of entries already seen: more entries share this
			// timestamp than fit in one page, and asking again cannot reach
			// the rest. Say so and move past the timestamp.
			w.add(fmt.Sprintf("more than %d entries share the timestamp %s; some of them are not shown",
				len(p.entries), last.UTC().Format(time.RFC3339Nano)))
			b = boundary{}
			if dir == Forward {
				start = last.Add(time.Nanosecond)
			} else {
				end = last
			}
			continue
		}
		b.advance(p.entries, last)
		if dir == Forward {
			start = last
		} else {
			end = last.Add(time.Nanosecond)
		}
	}
	return emitted, nil
}

// entryKey identifies a log entry: Loki treats the same line at the same
// time in the same stream as one entry.
type entryKey struct {
	ts     int64
	stream string
	line   string
}

func keyOf(e sources.LogEntry) entryKey {
	return entryKey{ts: e.Time.UnixNano(), stream: labelsKey(e.Labels), line: e.Line}
}

// boundary remembers every entry already handed out at the timestamp where
// the last page ended.
type boundary struct {
	ts   int64
	seen map[entryKey]struct{}
}

func (b *boundary) size() int { return len(b.seen) }

// filter returns the entries not seen before. It copies only when it has to
// drop something.
func (b *boundary) filter(es []sources.LogEntry) []sources.LogEntry {
	if len(b.seen) == 0 {
		return es
	}
	var out []sources.LogEntry
	for i, e := range es {
		if e.Time.UnixNano() == b.ts {
			if _, dup := b.seen[keyOf(e)]; dup {
				if out == nil {
					out = append(make([]sources.LogEntry, 0, len(es)), es[:i]...)
				}
				continue
			}
		}
		if out != nil {
			out = append(out, e)
		}
	}
	if out == nil {
		return es
	}
	return out
}

// advance records the entries of a page that sit at its last timestamp.
// Entries at that timestamp from earlier pages stay remembered, because the
// next page will return them again too.
func (b *boundary) advance(es []sources.LogEntry, last time.Time) {
	ts := last.UnixNano()
	if b.seen == nil || b.ts != ts {
		b.ts = ts
		b.seen = map[entryKey]struct{}{}
	}
	for i := len(es) - 1; i >= 0 && es[i].Time.UnixNano() == ts; i-- {
		b.seen[keyOf(es[i])] = struct{}{}
	}
}

// seriesMerger joins the series of split metric windows by label set,
// keeping first-seen order.
type seriesMerger struct {
	byKey map[string]int
	out   []sources.Series
}

func newSeriesMerger() *seriesMerger { return &seriesMerger{byKey: map[string]int{}} }

func (m *seriesMerger) add(ss []sources.Series) {
	for _, s := range ss {
		k := labelsKey(s.Labels)
		if i, ok := m.byKey[k]; ok {
			m.out[i].Samples = append(m.out[i].Samples, s.Samples...)
			continue
		}
		m.byKey[k] = len(m.out)
		m.out = append(m.out, s)
	}
}

func (m *seriesMerger) result() []sources.Series { return m.out }
