package logs

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
)

// Scrolling up past the oldest buffered line loads the page before it:
// the newest Limit lines older than it, within the shown range while the
// range had more lines than the limit, else over one more range-width
// before it. The selected line stays selected; a full buffer drops lines
// from the newest end, and the status says how many.

// olderMsg is a page of lines older than the buffer's oldest.
type olderMsg struct {
	pane string
	seq  int
	q    sources.LogQuery
	rows []row
	err  error
}

func (olderMsg) logsMsg() {}

// olderCmd fetches the page. Like queryCmd it captures its inputs by
// value; rows come oldest first.
func olderCmd(ctx context.Context, src Source, pane string, seq int, q sources.LogQuery, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res, err := src.QueryRange(ctx, q)
		msg := olderMsg{pane: pane, seq: seq, q: q, err: err}
		if err == nil {
			msg.rows = buildRows(res.Entries, q.Direction == sources.Backward)
		}
		return msg
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
	if m.olderLoading || !m.atOldest() || m.src == nil {
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
	m.olderLoading = true
	ctx, cancel := context.WithCancel(m.ctx)
	m.olderCancel = cancel
	return tea.Batch(olderCmd(ctx, m.src, m.id, m.seq, q, m.tmo), m.spin.Start())
}

// cancelOlder gives up on a page on its way.
func (m *Model) cancelOlder() {
	if m.olderCancel != nil {
		m.olderCancel()
		m.olderCancel = nil
	}
	m.olderLoading = false
}

// onOlder puts a page before the buffer, keeping the selected line.
func (m *Model) onOlder(msg olderMsg) {
	m.cancelOlder()
	if msg.err != nil {
		m.err, m.errAt = msg.err, m.now()
		return
	}
	rows := m.dropBuffered(msg.rows)
	if msg.q.From.Before(m.shown.From) {
		m.shown.From = msg.q.From
	}
	m.limitHit = len(msg.rows) >= msg.q.Limit
	if len(rows) == 0 {
		m.flash = "no older lines since " + m.fmtTime(msg.q.From) + "; k again looks further back"
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
		if m.tailing {
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
