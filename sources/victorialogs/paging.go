package victorialogs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// window is a half-open time range [from, to), as VictoriaLogs reads start
// and end.
type window struct{ from, to time.Time }

// splitWindows cuts [from, to) into consecutive windows no longer than max
// (0: no cut), ordered so that walking them in turn yields entries in dir
// order: newest window first for Backward, oldest first for Forward.
func splitWindows(from, to time.Time, max time.Duration, dir sources.Direction) []window {
	if !from.Before(to) {
		return nil
	}
	if max <= 0 || to.Sub(from) <= max {
		return []window{{from, to}}
	}
	var ws []window
	if dir == sources.Forward {
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

// withPipe appends a pipe to a user's query. A trailing ";" (allowed to
// end a LogsQL query) is dropped, and the pipe goes on a new line when the
// last line may end in a "#" comment, which would swallow it.
func withPipe(expr, pipe string) string {
	e := strings.TrimRightFunc(expr, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	e = strings.TrimSuffix(e, ";")
	sep := " | "
	if i := strings.LastIndexByte(e, '\n'); strings.ContainsRune(e[i+1:], '#') {
		sep = "\n| "
	}
	return e + sep + pipe
}

// pagePipe asks for the n entries nearest the window's edge in dir: the
// newest going backward, the oldest going forward. VictoriaLogs runs the
// backward form as its optimized "last N" query.
func pagePipe(dir sources.Direction, n int) string {
	if dir == sources.Forward {
		return fmt.Sprintf("sort by (_time) limit %d", n)
	}
	return fmt.Sprintf("sort by (_time desc) limit %d", n)
}

// runPipe pages through the entries of one timestamp in a stable order.
// Entries equal in stream and line may still swap between requests, but
// those are the same line twice, and either copy is right.
func runPipe(offset, n int) string {
	return fmt.Sprintf("sort by (_stream_id, _msg) offset %d limit %d", offset, n)
}

// walker is one query's walk: the query, the moment it is evaluated at,
// and where its entries go.
type walker struct {
	c    *Client
	expr string
	// at is the query's evaluation time, sent with every page, so that a
	// relative filter in the query (`_time:5m`) means the same window on
	// every page instead of moving with each page's end.
	at   time.Time
	dir  sources.Direction
	in   *interner
	w    *warnings
	emit func([]sources.LogEntry) error
	// size is the page size now; it grows through a walk (grow).
	size int
}

// pageGrowBytes is the most a full page may hold (lines and fields) for
// the next page to double: pages of short lines grow to MaxPageSize, pages
// of long ones stay at the size that keeps them small.
const pageGrowBytes = 8 << 20

// grow doubles the page size after a full page that was small in bytes,
// when the configuration left the page size to the client.
func (wk *walker) grow(page []sources.LogEntry) {
	if !wk.c.growPages || wk.size >= MaxPageSize {
		return
	}
	n := 0
	for i := range page {
		n += len(page[i].Line)
		for k, v := range page[i].Metadata {
			n += len(k) + len(v)
		}
	}
	if n < pageGrowBytes {
		wk.size = min(2*wk.size, MaxPageSize)
	}
}

// walk runs q over every split window, stopping at q.Limit entries, and
// returns how many entries it handed to emit.
func (c *Client) walk(ctx context.Context, q sources.LogQuery, in *interner, w *warnings, emit func([]sources.LogEntry) error) (int, error) {
	wk := &walker{c: c, expr: q.Expr, at: q.To, dir: q.Direction, in: in, w: w, emit: emit, size: c.pageSize}
	total := 0
	for _, win := range splitWindows(q.From, q.To, c.maxLen, q.Direction) {
		n, err := wk.window(ctx, win, q.Limit-total)
		total += n
		if err != nil || total >= q.Limit {
			return total, err
		}
	}
	return total, nil
}

// window pages through one window. A full page ends at some timestamp
// (its edge) whose entries it may have cut anywhere; everything beyond the
// edge is complete, so it is handed out, then the edge's own nanosecond is
// read in full by runAt, and the next page starts past the edge.
func (wk *walker) window(ctx context.Context, win window, limit int) (int, error) {
	start, end := win.from, win.to
	emitted := 0
	for emitted < limit && start.Before(end) {
		want := min(wk.size, limit-emitted)
		page, err := wk.c.fetch(ctx, withPipe(wk.expr, pagePipe(wk.dir, want)), start, end, wk.at, want, wk.in, wk.w)
		if err != nil {
			return emitted, err
		}
		sortEntries(page, wk.dir)
		if len(page) < want {
			// The window has nothing more.
			return emitted + min(len(page), limit-emitted), emitSome(page, limit-emitted, wk.emit)
		}
		wk.grow(page)
		edge := page[len(page)-1].Time
		inner := page[:len(page)-countAt(page, edge)]
		if err := emitSome(inner, limit-emitted, wk.emit); err != nil {
			return emitted, err
		}
		emitted += len(inner)
		n, err := wk.runAt(ctx, edge, limit-emitted)
		emitted += n
		if err != nil {
			return emitted, err
		}
		if wk.dir == sources.Forward {
			start = edge.Add(time.Nanosecond)
		} else {
			end = edge
		}
	}
	return emitted, nil
}

// runAt hands out up to limit entries at exactly ts, paging with offset
// over a stable order, and returns how many it handed out.
func (wk *walker) runAt(ctx context.Context, ts time.Time, limit int) (int, error) {
	emitted := 0
	for emitted < limit {
		want := min(wk.size, limit-emitted)
		es, err := wk.c.fetch(ctx, withPipe(wk.expr, runPipe(emitted, want)), ts, ts.Add(time.Nanosecond), wk.at, want, wk.in, wk.w)
		if err != nil {
			return emitted, err
		}
		if err := emitSome(es, limit-emitted, wk.emit); err != nil {
			return emitted, err
		}
		emitted += min(len(es), limit-emitted)
		if len(es) < want {
			break
		}
	}
	return emitted, nil
}

func emitSome(es []sources.LogEntry, n int, emit func([]sources.LogEntry) error) error {
	if len(es) > n {
		es = es[:n]
	}
	if len(es) == 0 {
		return nil
	}
	return emit(es)
}

// countAt counts the entries at ts at the end of a sorted page.
func countAt(es []sources.LogEntry, ts time.Time) int {
	n := 0
	for i := len(es) - 1; i >= 0 && es[i].Time.Equal(ts); i-- {
		n++
	}
	return n
}

// sortEntries orders a page by time in dir; entries sharing a timestamp
// are ordered by line, so a page reads the same every time.
func sortEntries(es []sources.LogEntry, dir sources.Direction) {
	slices.SortStableFunc(es, func(a, b sources.LogEntry) int {
		c := a.Time.Compare(b.Time)
		if dir == sources.Backward {
			c = -c
		}
		if c != 0 {
			return c
		}
		return strings.Compare(a.Line, b.Line)
	})
}

// fetch runs one query over [from, to), evaluated at at, and reads the
// whole answer, under the guard (so a failed read is retried whole, never
// half-delivered).
func (c *Client) fetch(ctx context.Context, query string, from, to, at time.Time, want int, in *interner, w *warnings) ([]sources.LogEntry, error) {
	const op = "query"
	form := url.Values{"query": {query}, "start": {timeArg(from)}, "end": {timeArg(to)}, "time": {timeArg(at)}}
	type result struct {
		es      []sources.LogEntry
		skipped int
	}
	r, err := resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) (result, error) {
		resp, err := c.post(ctx, op, queryPath, form, query)
		if err != nil {
			return result{}, err
		}
		defer drainClose(resp.Body)
		var out []sources.LogEntry
		body := &cappedReader{r: resp.Body, left: c.maxPage, op: op}
		_, skipped, err := readEntries(body, c.maxLine, 0, want, in, func(es []sources.LogEntry) error {
			out = append(out, es...)
			if len(out) > 2*want {
				// The pipes we appended bound the answer; a server
				// that ignores them is not one this walk can page.
				return &sources.Error{Backend: backend, Op: op, Kind: sources.KindBadResponse,
					Msg: fmt.Sprintf("the server sent more than %d entries for a page of %d", 2*want, want)}
			}
			return nil
		})
		if err != nil {
			return result{}, c.readError(op, query, err)
		}
		return result{es: out, skipped: skipped}, nil
	})
	if err != nil {
		return nil, err
	}
	w.add(skippedWarning(r.skipped, c.maxLine))
	return r.es, nil
}

// maxPageBytes bounds one page's answer in memory: a full page of
// maximum-size rows would be far larger, and that is a misconfiguration.
const maxPageBytes = 256 << 20

// cappedReader fails with too-much-data once more than left bytes were
// read.
type cappedReader struct {
	r    io.Reader
	left int64
	op   string
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, &sources.Error{Backend: backend, Op: c.op, Kind: sources.KindTooMuchData,
			Msg: "a page's answer is too large; lower the page size or narrow the query"}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// readError types a failure while reading a 2xx answer.
func (c *Client) readError(op, query string, err error) error {
	var se *sources.Error
	var nj *notJSON
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &nj):
		return streamError(op, []byte(nj.line), query)
	case errors.Is(err, errNoTime):
		return badQuery(op, err.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), sources.Classify(err) != sources.KindUnknown:
		return transportError(op, c.endpoint(queryPath), err)
	}
	return badResponse(op, err)
}
