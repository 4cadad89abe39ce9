package logs

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
)

// Scrolling up past the oldest buffered line loads the page before it:
// the newest Limit lines older than it, within the shown range while the
// range had more lines than the limit, else over one more range-width
// before it. The selected line stays selected; a full buffer drops lines
// from the newest end, and the status says how many.

// olderPage is a page of lines older than the buffer's oldest.
type olderPage struct {
	q    sources.LogQuery
	rows []row
}

// olderMsg is the older-lines request's answer.
type olderMsg = pane.Result[olderPage]

// older fetches the page. Like query it captures its inputs by value;
// rows come oldest first.
func older(src Source, q sources.LogQuery) func(context.Context) (olderPage, error) {
	return func(ctx context.Context) (olderPage, error) {
		res, err := src.QueryRange(ctx, q)
		p := olderPage{q: q}
		if err == nil {
			p.rows = buildRows(res.Entries, q.Direction == sources.Backward)
		}
		return p, err
	}
}

// atOldest reports whether the selection is on the oldest row shown and
// older lines may exist.
func (m *Model) atOldest() bool {
	return m.hasResult && m.plot == nil && m.buf.Len() > 0 && m.sel == 0 && m.mode == modeList
}

// loadOlder starts fetching the page before the oldest buffered line,
// unless one is on its way.
func (m *Model) loadOlder() tea.Cmd {
	if m.older.Busy() || !m.atOldest() || m.src == nil {
		return nil
	}
	oldest := m.buf.at(m.buf.first()).e.Time
	from := m.shown.From
	if !m.limitHit || !from.Before(oldest) {
		// The range holds no more: look one range-width further back.
		if oldest.Before(from) {
			from = oldest
		}
		from = from.Add(-max(m.shown.To.Sub(m.shown.From), time.Minute))
	}
	// The oldest line's own instant is asked again, since other lines may
	// share it; the ones already buffered are dropped on arrival.
	q := sources.LogQuery{Expr: m.shown.Expr, From: from, To: oldest.Add(time.Nanosecond), Limit: m.limit, Direction: sources.Backward}
	return tea.Batch(m.older.Start(m.ctx, older(m.src, q)), m.spin.Start())
}

// onOlder puts an accepted page before the buffer, keeping the selected
// line. After an error the buffer stays as it was.
func (m *Model) onOlder(msg olderMsg) {
	if msg.Err != nil {
		return
	}
	page := msg.Value
	rows := m.dropBuffered(page.rows)
	if page.q.From.Before(m.shown.From) {
		m.shown.From = page.q.From
	}
	m.limitHit = len(page.rows) >= page.q.Limit
	if len(rows) == 0 {
		m.flash = "no older lines since " + m.fmtTime(page.q.From) + "; k again looks further back"
		return
	}
	abs, ok := m.selected()
	dropped := m.buf.prepend(rows)
	if f := m.flt; f != nil {
		var newer []int64
		first := m.buf.first()
		for a := first; a < first+int64(len(rows)); a++ {
			if f.match(m.buf.at(a).text) {
				newer = append(newer, a)
			}
		}
		f.matches = append(newer, f.matches...)
		f.trimEnd(m.buf.end())
		f.next = min(f.next, m.buf.end())
		m.rebuildContext()
	}
	if ok {
		m.sel = m.posOf(abs)
	}
	m.top = max(0, m.sel-m.listHeight()/2)
	m.clampScroll()
	m.flash = fmt.Sprintf("loaded %s older lines", commas(len(rows)))
	if dropped > 0 {
		m.flash += fmt.Sprintf("; dropped the newest %s to stay within %s lines", commas(dropped), commas(m.buf.max))
		if m.tail.Busy() {
			m.stopTail()
			m.flash += "; tail stopped (t resumes from now)"
		}
	}
}

// dropBuffered removes from rows (oldest first, all at or before the
// buffer's oldest instant) the lines already buffered at that instant.
func (m *Model) dropBuffered(rows []row) []row {
	if m.buf.Len() == 0 {
		return rows
	}
	oldest := m.buf.at(m.buf.first()).e.Time
	have := map[string]bool{}
	for a := m.buf.first(); a < m.buf.end() && m.buf.at(a).e.Time.Equal(oldest); a++ {
		r := m.buf.at(a)
		have[r.labels+"\x00"+r.e.Line] = true
	}
	out := rows[:0]
	for _, r := range rows {
		if r.e.Time.After(oldest) || (r.e.Time.Equal(oldest) && have[r.labels+"\x00"+r.e.Line]) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// prepend puts rows (oldest first) before the oldest row. Past max, the
// newest rows are dropped; it returns how many.
func (b *buffer) prepend(rs []row) int {
	all := make([]row, 0, len(rs)+len(b.rows))
	all = append(all, rs...)
	for a := b.first(); a < b.end(); a++ {
		all = append(all, *b.at(a))
	}
	b.dropped -= int64(len(rs))
	dropped := 0
	if len(all) > b.max {
		dropped = len(all) - b.max
		all = all[:b.max]
	}
	b.rows, b.head = all, 0
	return dropped
}

// trimEnd forgets matches at or past end.
func (f *filter) trimEnd(end int64) {
	for len(f.matches) > 0 && f.matches[len(f.matches)-1] >= end {
		f.matches = f.matches[:len(f.matches)-1]
	}
}
