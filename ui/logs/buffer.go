package logs

import (
	"maps"
	"reflect"
	"slices"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// listCap is how many runes of a line the list draws before it cuts the
// line with a "…(+N)" marker; `e` or the detail view shows the rest. A
// megabyte-long line would otherwise fill the screen when wrapped and cost
// its full length on every frame.
const listCap = 2000

// row is one buffered line, prepared once when it is appended so that a
// frame costs only the visible rows: the text is sanitized, the level
// parsed and the labels rendered up front.
type row struct {
	e sources.LogEntry // the original, for the detail view and copying
	// text is sanitize.Line(e.Line). For the common all-ASCII line it
	// shares e.Line's bytes, so it costs no extra memory.
	text string
	// labels is the rendered, sanitized label set; rows of one stream share
	// the string.
	labels string
	// over is how many runes past listCap the text runs, 0 if it fits.
	over  int32
	level level
}

// buildRows prepares entries for the buffer. It runs inside Cmds, off the
// UI goroutine, and shares nothing with the model: the label cache is local.
// With reverse set the entries are turned around, because a backward query
// returns the newest first and the list reads oldest to newest.
func buildRows(es []sources.LogEntry, reverse bool) []row {
	rows := make([]row, len(es))
	lc := labelCache{}
	for i := range es {
		j := i
		if reverse {
			j = len(es) - 1 - i
		}
		rows[j] = newRow(es[i], &lc)
	}
	return rows
}

func newRow(e sources.LogEntry, lc *labelCache) row {
	r := row{e: e, text: sanitize.Line(e.Line), labels: lc.render(e.Labels)}
	if len(r.text) > listCap {
		if n := utf8.RuneCountInString(r.text); n > listCap {
			r.over = int32(n - listCap)
		}
	}
	r.level = detectLevel(e)
	return r
}

// capped returns the part of the text the list draws and the number of
// runes cut off.
func (r *row) capped() (string, int) {
	if r.over == 0 {
		return r.text, 0
	}
	n := 0
	for i := range r.text {
		if n == listCap {
			return r.text[:i], int(r.over)
		}
		n++
	}
	return r.text, 0
}

// labelCache renders each stream's label map once. Loki's client shares one
// map between the entries of a stream, so the map's identity is a good key;
// the cache holds the map itself, which keeps its address from being reused
// by another map while the entry exists.
type labelCache map[uintptr]labelCacheEntry

type labelCacheEntry struct {
	m map[string]string
	s string
}

func (lc *labelCache) render(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	p := reflect.ValueOf(m).Pointer()
	if ce, ok := (*lc)[p]; ok {
		return ce.s
	}
	s := pane.Labels(m)
	(*lc)[p] = labelCacheEntry{m: m, s: s}
	return s
}

// sortedKeys are m's keys in order.
func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// buffer is a ring of rows. Rows are addressed by an absolute index that
// never changes while the row is buffered (the n-th row ever appended has
// index n), so the selection, filter matches and expanded rows survive the
// oldest rows being dropped.
type buffer struct {
	rows    []row
	head    int // position of the oldest row in rows once the ring is full
	max     int
	dropped int64 // rows evicted so far: the absolute index of the oldest
}

func newBuffer(max int) *buffer { return &buffer{max: max} }

// Len is the number of buffered rows.
func (b *buffer) Len() int { return len(b.rows) }

// first and end bound the absolute indices: [first, end).
func (b *buffer) first() int64 { return b.dropped }
func (b *buffer) end() int64   { return b.dropped + int64(len(b.rows)) }

// at returns the row with absolute index abs, which must be buffered.
func (b *buffer) at(abs int64) *row {
	i := int(abs - b.dropped)
	if len(b.rows) == b.max {
		i = (b.head + i) % b.max
	}
	return &b.rows[i]
}

// reset replaces the contents, keeping the newest max rows.
func (b *buffer) reset(rs []row) {
	if len(rs) > b.max {
		rs = rs[len(rs)-b.max:]
	}
	b.rows, b.head, b.dropped = rs, 0, 0
}

// push appends rows and returns how many old rows were evicted.
func (b *buffer) push(rs []row) int {
	if len(rs) >= b.max {
		evicted := len(b.rows) + len(rs) - b.max
		b.dropped += int64(evicted)
		b.rows = append([]row(nil), rs[len(rs)-b.max:]...)
		b.head = 0
		return evicted
	}
	evicted := 0
	for _, r := range rs {
		if len(b.rows) < b.max {
			b.rows = append(b.rows, r)
			continue
		}
		b.rows[b.head] = r
		b.head = (b.head + 1) % b.max
		b.dropped++
		evicted++
	}
	return evicted
}
