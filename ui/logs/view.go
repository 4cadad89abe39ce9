package logs

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// View draws the pane. It reads the model and the clock and nothing else;
// only the rows on screen are drawn, so a frame costs the same whatever
// the buffer holds.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.mode == modeDetail {
		return m.detailView()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.queryLine(), m.statusLine())
	lines = append(lines, m.errorLines()...)
	if s := m.warnLine(); s != "" {
		lines = append(lines, s)
	}
	if m.plot != nil {
		lines = append(lines, m.chartLines(m.listHeight())...)
	} else {
		lines = append(lines, m.listLines()...)
	}
	lines = append(lines, m.bottomLine())
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// fit cuts a styled line to the pane's width.
func (m *Model) fit(s string) string { return ansi.Truncate(s, m.width, "…") }

// listHeight is the screen lines left for rows once the query, status,
// error, warning and bottom lines are drawn.
func (m *Model) listHeight() int {
	n := 3 + len(m.errorLines())
	if len(m.warnings) > 0 {
		n++
	}
	return max(1, m.height-n)
}

func (m *Model) queryLine() string {
	if m.mode == modeEdit {
		return m.editor.View()
	}
	q := sanitize.Line(m.editor.Value())
	if strings.TrimSpace(q) == "" && m.src == nil {
		return m.fit(m.st.Prompt.Render(m.editor.Prompt) + m.st.Muted.Render("no log backend configured"))
	}
	if strings.TrimSpace(q) == "" {
		return m.fit(m.st.Prompt.Render(m.editor.Prompt) + m.st.Muted.Render("press i to write a "+m.dialect().Language()+" query"))
	}
	return m.fit(m.st.Prompt.Render(m.editor.Prompt) + m.st.Query.Render(q))
}

func (m *Model) statusLine() string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	var parts []string
	now := m.now()
	if k := m.editKind(); k != "" {
		parts = append(parts, st.Prompt.Render(k))
	}
	switch {
	case m.plot != nil:
		parts = append(parts, m.chartStatus()...)
	case m.query.Busy():
		parts = append(parts, m.spin.View()+st.Subtle.Render("querying "+m.rangeLabel(m.queryFrom, m.queryTo)+"…"))
		if m.hasResult {
			parts = append(parts, st.Muted.Render(fmt.Sprintf("showing %s earlier lines", commas(m.buf.Len()))))
		}
	case m.hasResult:
		s := commas(m.buf.Len()) + " lines"
		switch {
		case m.limitHit && m.buf.Len() > m.shown.Limit:
			s += " (k on the oldest loads more)"
		case m.limitHit:
			s += fmt.Sprintf(" (limit %s: newest shown)", commas(m.shown.Limit))
		}
		parts = append(parts, st.Subtle.Render(s), st.Muted.Render(m.rangeLabel(m.shown.From, m.shown.To)))
		if m.lastErr() != nil {
			parts = append(parts, st.WarnMsg.Render("stale, "+pane.Age(now.Sub(m.shownAt))+" old"))
		}
	default:
		parts = append(parts, st.Muted.Render("no results yet"))
	}
	if m.older.Busy() {
		parts = append(parts, m.spin.View()+st.Subtle.Render("loading older lines…"))
	}
	if m.flt != nil {
		s := fmt.Sprintf("/%s: %s matches", sanitize.Line(m.flt.text), commas(len(m.flt.matches)))
		if m.showCtx {
			s += fmt.Sprintf(" ±%d", m.ctxN)
		}
		if m.scanning() {
			s = m.spin.View() + s + fmt.Sprintf(" so far, %d%% scanned", int(m.scanProgress()*100))
		}
		parts = append(parts, st.Subtle.Render(s))
	}
	if t := m.tailLabel(now); t != "" {
		parts = append(parts, t)
	}
	var flags []string
	if m.wrap {
		flags = append(flags, "wrap")
	}
	if m.showLabels {
		flags = append(flags, "labels")
	}
	if len(flags) > 0 {
		parts = append(parts, st.Muted.Render(strings.Join(flags, " ")))
	}
	left := strings.Join(parts, sep)
	if n := m.viewLen(); n > 0 {
		right := st.Muted.Render(fmt.Sprintf("%s/%s", commas(m.sel+1), commas(n)))
		gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
		if gap >= 2 {
			return left + strings.Repeat(" ", gap) + right
		}
	}
	return m.fit(left)
}

// editKind says, while the query is typed, which kind it is: a metric
// query is drawn as a chart, a log query lists lines.
func (m *Model) editKind() string {
	q := strings.TrimSpace(m.editor.Value())
	if m.mode != modeEdit || q == "" {
		return ""
	}
	if _, ok := sources.AsMetricQuery(m.src, q); ok {
		return m.dialect().Language() + " metric query → chart"
	}
	return m.dialect().Language() + " log query → lines"
}

func (m *Model) tailLabel(now time.Time) string {
	st := &m.st
	if !m.tail.Busy() {
		if m.tail.Err() != nil {
			kind, _ := m.tail.ErrText()
			return st.ErrorMsg.Render("tail stopped: " + kind)
		}
		return ""
	}
	s := m.tailStatus
	switch s.State {
	case sources.TailLive:
		label := fmt.Sprintf("● live %.1f lines/s", m.rate.perSecond(now))
		if s.Dropped > 0 {
			label += fmt.Sprintf(", %s dropped by %s", commas(s.Dropped), correlate.DisplayName(m.backendName()))
		}
		return st.OK.Render(label)
	case sources.TailReconnecting:
		label := fmt.Sprintf("tail reconnecting (%d)", s.Reconnects)
		if s.LastErr != nil {
			kind, _ := pane.ErrText(s.LastErr)
			label += ": " + kind
		}
		return m.spin.View() + st.WarnMsg.Render(label)
	}
	return m.spin.View() + st.Subtle.Render("tail connecting…")
}

func (m *Model) rangeLabel(from, to time.Time) string {
	layout := "15:04:05"
	if to.Sub(from) >= 24*time.Hour || from.In(m.loc).Day() != to.In(m.loc).Day() {
		layout = "01-02 15:04"
	}
	return from.In(m.loc).Format(layout) + "–" + to.In(m.loc).Format(layout)
}

// errorLines say what failed, why, and what still works, in at most two
// lines so that the reason is not cut off at 80 columns.
func (m *Model) errorLines() []string {
	st := &m.st
	var s string
	switch {
	case m.lastErr() != nil:
		kind, reason := pane.ErrText(m.lastErr())
		still := "no earlier results to show"
		switch {
		case m.plot != nil:
			still = m.chartStill()
		case m.hasResult:
			still = fmt.Sprintf("showing the previous %s lines from %s ago", commas(m.buf.Len()), pane.Age(m.now().Sub(m.shownAt)))
		}
		s = st.ErrorMsg.Render("✗ "+kind+": ") + st.Plain.Render(reason) + st.Muted.Render(" — "+still+"; i edits, enter re-runs")
	case !m.tail.Busy() && m.tail.Err() != nil:
		kind, reason := m.tail.ErrText()
		s = st.ErrorMsg.Render("✗ tail "+kind+": ") + st.Plain.Render(reason) + st.Muted.Render(" — the lines it brought stay; t retries")
	default:
		return nil
	}
	lines := strings.Split(ansi.Wrap(s, m.width, " "), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1], m.width-1, "") + "…"
	}
	return lines
}

func (m *Model) warnLine() string {
	if len(m.warnings) == 0 {
		return ""
	}
	return m.fit(m.st.WarnMsg.Render("! " + strings.Join(m.warnings, "; ")))
}

func (m *Model) bottomLine() string {
	switch {
	case m.mode == modeFilter || m.mode == modeJump:
		return m.input.View()
	case m.flash != "":
		return m.fit(m.st.Subtle.Render(m.flash))
	case m.flt != nil:
		return m.fit(m.st.Muted.Render("n/N next/prev match · c context · / change · esc clear filter"))
	}
	return ""
}

// listLines draws exactly listHeight lines: the rows from top, or a
// message saying why there are none.
func (m *Model) listLines() []string {
	lh := m.listHeight()
	out := make([]string, 0, lh)
	n := m.viewLen()
	if n == 0 {
		out = append(out, m.emptyMessage()...)
	}
	lay := m.rowLayout()
	for p := m.top; p < n && len(out) < lh; p++ {
		out = append(out, m.renderRow(p, p == m.sel, lay)...)
	}
	if len(out) > lh {
		out = out[:lh]
	}
	for len(out) < lh {
		out = append(out, "")
	}
	return out
}

func (m *Model) emptyMessage() []string {
	st := &m.st
	var s string
	switch {
	case m.scanning():
		s = fmt.Sprintf("Searching %s buffered lines for %q…", commas(m.buf.Len()), sanitize.Line(m.flt.text))
	case m.flt != nil && m.buf.Len() > 0:
		s = fmt.Sprintf("No buffered line contains %q. Press esc to clear the filter.", sanitize.Line(m.flt.text))
	case m.query.Busy():
		s = m.spin.View() + "waiting for " + correlate.DisplayName(m.backendName()) + ": " + sanitize.Line(m.queryExpr)
	case m.hasResult:
		s = "No lines matched " + sanitize.Line(m.shown.Expr) + " in " + m.rangeLabel(m.shown.From, m.shown.To) + ". Widen the range ([ - ) or edit the query (i)."
	case m.lastErr() != nil:
		s = "Nothing to show yet; fix the query or the backend and press i, then enter."
	case m.src == nil:
		s = "This context has no log backend. Add a loki: or victorialogs: block to it in the config (reltui config check shows what is configured)."
	default:
		s = "No query yet. Press i, type a " + m.dialect().Language() + " query such as " + m.exampleSelector() + ", then enter."
	}
	return strings.Split(ansi.Wrap(st.Subtle.Render(s), max(10, m.width), ""), "\n")
}

func (m *Model) detailView() string {
	st := &m.st
	title := st.Title.Render("Line detail")
	if m.detailShown() {
		title += st.Muted.Render("  " + detailTitle(m.posOf(m.detailAbs), m.viewLen()) + " · esc back · y copy · ↑/↓ scroll")
	}
	if m.flash != "" {
		title += st.Subtle.Render("  " + m.flash)
	}
	return m.fit(title) + "\n" + m.detail.View()
}
