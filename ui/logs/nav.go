package logs

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/timespec"
)

// The list shows a view of the buffer: every row, the filter's matches, or
// the matches with context. A view is addressed by position (0 = oldest
// shown) and maps to absolute buffer indices in ascending order, so a
// position can be found again by binary search after the view changes.

func (m *Model) viewLen() int {
	switch {
	case m.flt == nil:
		return m.buf.Len()
	case m.showCtx:
		return len(m.flt.ctxView)
	}
	return len(m.flt.matches)
}

func (m *Model) viewAt(pos int) int64 {
	switch {
	case m.flt == nil:
		return m.buf.first() + int64(pos)
	case m.showCtx:
		return m.flt.ctxView[pos]
	}
	return m.flt.matches[pos]
}

// posOf is the position of abs in the view, or of the first row after it,
// clamped to the last position.
func (m *Model) posOf(abs int64) int {
	n := m.viewLen()
	if n == 0 {
		return 0
	}
	var p int
	if m.flt == nil {
		p = int(abs - m.buf.first())
	} else {
		p = sort.Search(n, func(i int) bool { return m.viewAt(i) >= abs })
	}
	return min(max(p, 0), n-1)
}

// viewCountBelow counts view entries whose row is older than abs.
func (m *Model) viewCountBelow(abs int64) int {
	if m.flt == nil {
		return int(max(0, min(abs-m.buf.first(), int64(m.buf.Len()))))
	}
	return sort.Search(m.viewLen(), func(i int) bool { return m.viewAt(i) >= abs })
}

// selected returns the selected row's index, or false for an empty view.
func (m *Model) selected() (int64, bool) {
	if m.viewLen() == 0 {
		return 0, false
	}
	return m.viewAt(min(max(m.sel, 0), m.viewLen()-1)), true
}

// meant is the line the user means: the one the detail view shows, else
// the selected one; false when that line is gone or there is none.
func (m *Model) meant() (int64, bool) {
	if m.mode == modeDetail {
		return m.detailAbs, m.detailShown()
	}
	return m.selected()
}

// detailShown reports whether the detail view's line is still buffered.
func (m *Model) detailShown() bool { return m.detailAbs >= m.buf.first() && m.detailAbs < m.buf.end() }

func (m *Model) rebuildContext() {
	if m.flt != nil && m.showCtx {
		m.flt.buildContext(m.ctxN, m.buf.first(), m.buf.end())
	}
}

// reView changes the view with fn and keeps the selected row selected, or
// the nearest row after it.
func (m *Model) reView(fn func()) {
	abs, ok := m.selected()
	fn()
	if ok {
		m.sel = m.posOf(abs)
	}
	m.sel = max(0, m.sel)
	m.top = m.sel // clampScroll pulls it back to fill the screen
	m.clampScroll()
}

func (m *Model) move(d int) {
	n := m.viewLen()
	if n == 0 {
		return
	}
	m.sel = min(max(m.sel+d, 0), n-1)
	m.clampScroll()
}

// clampScroll keeps the selection on screen and the screen full. It looks
// at no more rows than fit on the screen, so it costs the same at a
// million rows as at ten.
func (m *Model) clampScroll() {
	n := m.viewLen()
	if n == 0 {
		m.sel, m.top = 0, 0
		return
	}
	m.sel = min(max(m.sel, 0), n-1)
	lh := m.listHeight()
	if m.top > m.sel {
		m.top = m.sel
	}
	// The lowest top that still shows the selection whole.
	if lo := m.fitFrom(m.sel, lh); m.top < lo {
		m.top = lo
	}
	// And no blank space below the newest row.
	if hi := m.fitFrom(n-1, lh); m.top > hi {
		m.top = hi
	}
}

// fitFrom is the smallest position p such that rows p..last fit in lh
// screen lines (at least last itself).
func (m *Model) fitFrom(last, lh int) int {
	h := 0
	p := last
	for ; p >= 0; p-- {
		h += m.rowHeight(p)
		if h > lh {
			break
		}
	}
	return min(p+1, last)
}

func (m *Model) toggleContext() {
	m.reView(func() {
		m.showCtx = !m.showCtx
		m.rebuildContext()
	})
}

// jumpMatch moves to the next (d>0) or previous match, wrapping around.
func (m *Model) jumpMatch(d int) {
	if m.flt == nil {
		m.flash = "no filter: press / to search the buffer"
		return
	}
	ms := m.flt.matches
	if len(ms) == 0 {
		m.flash = fmt.Sprintf("no buffered line contains %q", m.flt.text)
		if m.scanning() {
			m.flash = fmt.Sprintf("no match for %q yet; still scanning", m.flt.text)
		}
		return
	}
	cur, _ := m.selected()
	var target int64
	if d > 0 {
		i := sort.Search(len(ms), func(i int) bool { return ms[i] > cur })
		if i == len(ms) {
			i, m.flash = 0, "wrapped to the first match"
		}
		target = ms[i]
	} else {
		i := sort.Search(len(ms), func(i int) bool { return ms[i] >= cur }) - 1
		if i < 0 {
			i, m.flash = len(ms)-1, "wrapped to the last match"
		}
		target = ms[i]
	}
	m.sel = m.posOf(target)
	m.clampScroll()
}

// clockOnly matches a bare time of day: 10:04, 10:04:05, 10:04:05.123.
var clockOnly = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2}(\.\d{1,9})?)?$`)

// parseJump reads a jump target. A bare time of day is taken on the day of
// ref (the selected line) in loc; anything else goes to timespec.ParseTime.
func parseJump(s string, now, ref time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if clockOnly.MatchString(s) {
		parts := strings.SplitN(s, ":", 3)
		if len(parts[0]) == 1 {
			s = "0" + s
		}
		layout := "15:04"
		if len(parts) == 3 {
			layout = "15:04:05.999999999"
		}
		tod, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid time of day %q", s)
		}
		d := ref.In(loc)
		return time.Date(d.Year(), d.Month(), d.Day(), tod.Hour(), tod.Minute(), tod.Second(), tod.Nanosecond(), loc), nil
	}
	return timespec.ParseTime(s, now)
}

// jumpTo selects the first shown line at or after the typed time.
func (m *Model) jumpTo(text string) {
	n := m.viewLen()
	if n == 0 {
		m.flash = "nothing to jump in: the list is empty"
		return
	}
	ref := m.now()
	if abs, ok := m.selected(); ok {
		ref = m.buf.at(abs).e.Time
	}
	t, err := parseJump(text, m.now(), ref, m.loc)
	if err != nil {
		m.flash = sanitize.Line(err.Error())
		return
	}
	p := sort.Search(n, func(i int) bool { return !m.buf.at(m.viewAt(i)).e.Time.Before(t) })
	oldest, newest := m.buf.at(m.viewAt(0)).e.Time, m.buf.at(m.viewAt(n-1)).e.Time
	switch {
	case p == 0 && t.Before(oldest):
		m.flash = fmt.Sprintf("%s is before the oldest line shown (%s); widen the range to see it", m.fmtTime(t), m.fmtTime(oldest))
	case p == n:
		p = n - 1
		m.flash = fmt.Sprintf("%s is after the newest line shown (%s)", m.fmtTime(t), m.fmtTime(newest))
	}
	m.sel = p
	m.top = p
	m.clampScroll()
}

func (m *Model) fmtTime(t time.Time) string {
	return t.In(m.loc).Format("2006-01-02 15:04:05")
}
