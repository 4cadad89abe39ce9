package incidentpane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// maxSnapshotLines bounds how much of an evidence snapshot the timeline
// shows under the selected event; y copies all of it.
const maxSnapshotLines = 6

// View draws the pane from the model and the clock alone.
func (m *Model) View() string {
	return pane.Fit(m.width, m.height, func() []string {
		switch {
		case m.store == nil:
			return m.noStore()
		case m.mode == modeIncident:
			return m.incidentLines()
		}
		return m.listLines()
	})
}

func (m *Model) fit(s string) string { return ansi.Truncate(s, m.width, "…") }

func (m *Model) noStore() []string {
	s := "No incident store is open for this session. reltui keeps incidents in a SQLite file under $XDG_DATA_HOME/reltui by default, or in PostgreSQL (incidents: in the config). See `reltui incident --help`."
	return append([]string{m.st.Title.Render("Incidents")}, wrap(m.st.Subtle.Render(s), m.width)...)
}

func wrap(s string, w int) []string { return strings.Split(ansi.Wrap(s, max(10, w), " "), "\n") }

// when shows a time in the pane's zone: the clock time today, the date
// and time otherwise.
func (m *Model) when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(m.loc)
	now := m.now().In(m.loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04:05")
	}
	return t.Format("01-02 15:04:05")
}

// ---- the list ----

func (m *Model) listLines() []string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	status := string(statusFilters[m.statusIdx])
	if status == "" {
		status = "all"
	} else if status == string(incidents.StatusOpen) {
		status = "open (not resolved)"
	}
	sev := "all"
	if m.sevFilter != "" {
		sev = string(m.sevFilter)
	}
	head := st.Title.Render("Incidents") + sep + st.Status.Render(fmt.Sprintf("%d shown of %d", len(m.rows), len(m.all))) +
		sep + st.Status.Render("status: "+status) + sep + st.Status.Render("severity: "+sev)
	if m.list.Busy() {
		head += sep + m.spin.View() + st.Status.Render("loading…")
	}
	lines := append([]string{head}, m.filterLines()...)
	if r := m.recurrenceLine(); r != "" {
		lines = append(lines, r)
	}
	lines = append(lines, st.Header.Render(fmt.Sprintf("  %-8s %-5s %-10s %-15s %-9s %s", "ID", "SEV", "STATUS", "STARTED", "DURATION", "TITLE")))
	var empty []string
	if len(m.rows) == 0 {
		empty = wrap(st.Subtle.Render(m.emptyText()), m.width)
	}
	lines = append(lines, pane.Body(m.listHeight(), empty, m.top, len(m.rows), func(i int) string { return m.listRow(m.rows[i], i == m.sel) })...)
	lines = append(lines, m.formLines()...)
	lines = append(lines, m.errLine(m.list.Err(), "the list shown is from "+m.when(m.list.LastAt())), m.bottomLine())
	return lines
}

// filterLines is the filter input while it has the keyboard, or the
// applied text filter and how many incidents pass all the filters.
func (m *Model) filterLines() []string {
	return m.textFilter.Lines(fmt.Sprintf("  (%d of %d shown; esc clears the filters)", len(m.rows), len(m.all)))
}

func (m *Model) emptyText() string {
	_, listed := m.list.Last()
	switch {
	case !listed && m.list.Busy():
		return "Reading the incident record…"
	case !listed:
		return "The incident record could not be read yet."
	case len(m.all) > 0 && m.textFilter.Value() != "":
		return fmt.Sprintf("No incident matches %q and the status and severity filters; esc clears them all.", m.textFilter.Value())
	case len(m.all) > 0:
		return "No incident matches the filters. s cycles the status filter, v the severity filter, esc clears both."
	}
	return "No incidents yet. Press d to declare one, or open Alerts (7) and press d on a firing alert."
}

func (m *Model) listRow(inc incidents.Incident, selected bool) string {
	st := &m.st
	dur := "–"
	if s := inc.Milestones.Started; !s.IsZero() {
		if r := inc.Milestones.Resolved; !r.IsZero() {
			dur = incidents.FormatDuration(r.Sub(s))
		} else {
			dur = incidents.FormatDuration(m.now().Sub(s)) + "+"
		}
	}
	cursor := "  "
	if selected {
		cursor = "> "
	}
	status := string(inc.Status())
	statusSt := st.ErrorMsg
	switch inc.Status() {
	case incidents.StatusMitigated:
		statusSt = st.WarnMsg
	case incidents.StatusResolved:
		statusSt = st.OK
	}
	title := sanitize.Line(inc.Title)
	if inc.Kind != incidents.KindIncident {
		title = "[" + string(inc.Kind) + "] " + title
	}
	row := cursor + fmt.Sprintf("%-8s ", incidents.Ref(inc.ID)) + st.sev(inc.Severity).Render(fmt.Sprintf("%-5s", inc.Severity)) + " " +
		statusSt.Render(fmt.Sprintf("%-10s", status)) + " " + fmt.Sprintf("%-15s %-9s ", m.when(inc.Milestones.Started), dur) + title
	row = m.fit(row)
	if selected {
		row = st.Selected.Render(pane.PadRight(ansi.Strip(row), m.width))
	}
	return row
}

// errLine says what failed and what is still shown; blank when all is well.
func (m *Model) errLine(err error, still string) string {
	if err == nil {
		return ""
	}
	return m.st.ErrorMsg.Render("✗ "+sanitize.Line(errText(err))) + m.st.Muted.Render(" — "+still)
}

func (m *Model) bottomLine() string {
	if m.flash != "" {
		style := m.st.Status
		if strings.HasPrefix(m.flash, "✗") {
			style = m.st.ErrorMsg
		}
		return style.Render(sanitize.Line(m.flash))
	}
	if m.role != incidents.RoleCommander {
		return m.st.Muted.Render("role: " + string(m.role) + " (" + roleCan(m.role) + ")")
	}
	return ""
}

func roleCan(r incidents.Role) string {
	if r == incidents.RoleResponder {
		return "notes and evidence"
	}
	return "read only"
}

// ---- the incident view ----

func (m *Model) incidentLines() []string {
	st := &m.st
	if !m.hasInc {
		if m.open.Busy() {
			return []string{m.spin.View() + st.Status.Render(fmt.Sprintf("opening %s…", incidents.Ref(m.wantID)))}
		}
		lines := []string{st.Title.Render(incidents.Ref(m.wantID))}
		lines = append(lines, wrap(m.errLine(m.openErr(), "esc goes back to the list"), m.width)...)
		return lines
	}
	inc := m.inc
	sep := st.Muted.Render(" · ")
	meta := []string{st.sev(inc.Severity).Render(string(inc.Severity)), string(inc.Status())}
	if len(inc.Services) > 0 {
		meta = append(meta, sanitize.Line(strings.Join(inc.Services, ", ")))
	}
	if inc.Commander != "" {
		meta = append(meta, "cmdr "+sanitize.Line(inc.Commander))
	}
	if m.live() {
		meta = append(meta, st.OK.Render("● live"))
	} else {
		meta = append(meta, st.WarnMsg.Render("not live"))
	}
	// Status first: a long title must not push it off a narrow screen.
	lines := []string{st.Title.Render(incidents.Ref(inc.ID)+"  ") + strings.Join(meta, sep) + "  " + st.Plain.Render(sanitize.Line(inc.Title))}
	lines = append(lines, m.milestoneBar()...)
	lines = append(lines, m.mttxLine())
	if m.height >= 16 {
		// On a tiny screen the timeline matters more.
		lines = append(lines, m.fit(m.causeLine()))
	}
	if s := m.errLine(m.openErr(), "the timeline shown may be behind; esc and enter reopen it"); s != "" {
		lines = append(lines, s)
	}
	formLines := m.formLines()
	bottom := m.bottomLine()
	rule := st.Muted.Render(fmt.Sprintf("── timeline, %d events%s (times %s) ", len(inc.Events), m.changesRule(), m.now().In(m.loc).Format("MST")))
	lines = append(lines, rule+st.Muted.Render(strings.Repeat("─", max(0, m.width-lipgloss.Width(rule)))))
	if s := m.changeErrLine(); s != "" {
		lines = append(lines, s)
	}
	avail := m.height - len(lines) - len(formLines) - 1
	lines = append(lines, m.timelineLines(max(1, avail))...)
	lines = append(lines, formLines...)
	return append(lines, bottom)
}

// milestoneBar shows each milestone's time and the time between
// consecutive reached milestones, wrapped to the width.
func (m *Model) milestoneBar() []string {
	st := &m.st
	ms := m.inc.Milestones
	var parts []string
	var prev time.Time
	for i, x := range incidents.AllMilestones() {
		t := ms.Get(x)
		if i > 0 {
			arrow := " ──▶ "
			// Only between neighbours: a gap over an unset milestone
			// would read as that milestone's own interval.
			if !t.IsZero() && !prev.IsZero() && !ms.Get(incidents.AllMilestones()[i-1]).IsZero() {
				arrow = " ─" + incidents.FormatDuration(t.Sub(prev)) + "─▶ "
			}
			parts = append(parts, st.Muted.Render(arrow))
		}
		if t.IsZero() {
			parts = append(parts, st.Pending.Render(string(x)+" –"))
			continue
		}
		parts = append(parts, st.Reached.Render(string(x))+" "+st.Plain.Render(m.when(t)))
		prev = t
	}
	if ms.Resolved.IsZero() && !ms.Started.IsZero() {
		parts = append(parts, st.Muted.Render(fmt.Sprintf("  (ongoing %s)", incidents.FormatDuration(m.now().Sub(ms.Started)))))
	}
	var lines []string
	cur := ""
	for _, p := range parts {
		if cur != "" && lipgloss.Width(cur)+lipgloss.Width(p) > m.width {
			lines = append(lines, cur)
			cur = "  "
		}
		cur += p
	}
	return append(lines, cur)
}

func (m *Model) mttxLine() string {
	st := &m.st
	var parts []string
	for _, x := range incidents.AllMetrics() {
		v := st.Pending.Render("n/a")
		if d, ok := m.inc.Duration(x); ok {
			v = st.Plain.Render(incidents.FormatDuration(d))
		}
		parts = append(parts, st.Label.Render(strings.ToUpper(string(x)))+" "+v)
	}
	return strings.Join(parts, "   ")
}

// timelineLines draws the events from ttop so that the selected one (with
// its evidence detail) is on screen, in exactly h lines.
func (m *Model) timelineLines(h int) []string {
	entries := m.entries
	before := m.changesBefore(entries)
	if len(entries) == 0 {
		return pane.Body(h, before[0], 0, 0, nil)
	}
	m.tsel = min(max(0, m.tsel), len(entries)-1)
	blocks := make([][]string, len(entries))
	block := func(i int) []string {
		if blocks[i] == nil {
			// The changes recorded before an event lead its block, and
			// those after the last event end the last block.
			b := append(append([]string(nil), before[i]...), m.eventLines(entries[i], i == m.tsel)...)
			if i == len(entries)-1 {
				b = append(b, before[i+1]...)
			}
			blocks[i] = b
		}
		return blocks[i]
	}
	// Scroll so the selected block fits: first up to it, then down until
	// its last line shows.
	if m.tsel < m.ttop {
		m.ttop = m.tsel
	}
	for m.ttop < m.tsel {
		n := 0
		for i := m.ttop; i <= m.tsel; i++ {
			n += len(block(i))
		}
		if n <= h {
			break
		}
		m.ttop++
	}
	var out []string
	for i := m.ttop; i < len(entries) && len(out) < h; i++ {
		out = append(out, block(i)...)
	}
	return pane.Body(h, out, 0, 0, nil)
}

func (m *Model) eventLines(e incidents.Entry, selected bool) []string {
	st := &m.st
	kindSt := st.Plain
	switch e.Kind {
	case incidents.KindMilestone:
		kindSt = st.Reached
	case incidents.KindEvidence:
		kindSt = st.Evidence
	case incidents.KindDeclared:
		kindSt = st.Title
	}
	cursor := "  "
	if selected {
		cursor = "> "
	}
	head := fmt.Sprintf("%s#%-3d %s  %-10s ", cursor, e.Seq, m.when(e.Time), truncate(sanitize.Line(e.Author), 10))
	body := kindSt.Render(e.Summary)
	if !e.Happened.IsZero() && e.Kind != incidents.KindMilestone {
		// The second clock: when it happened, beside when it was recorded.
		body = st.Muted.Render("(happened "+m.when(e.Happened)+") ") + body
	}
	line := m.fit(head + body)
	if selected {
		line = st.Selected.Render(pane.PadRight(ansi.Strip(line), m.width))
	}
	out := []string{line}
	ev := e.Evidence
	if !selected || ev == nil {
		return out
	}
	indent := "        "
	detail := func(label, v string) {
		if v != "" {
			out = append(out, m.fit(indent+st.Label.Render(label)+" "+st.Plain.Render(sanitize.Line(v))))
		}
	}
	detail("query", ev.Query)
	if !ev.From.IsZero() || !ev.To.IsZero() {
		detail("window", m.when(ev.From)+" – "+m.when(ev.To))
	}
	detail("link ", ev.Link)
	snap := strings.Split(sanitize.Text(ev.Snapshot), "\n")
	if ev.Snapshot == "" {
		snap = nil
	}
	for i, s := range snap {
		if i == maxSnapshotLines {
			out = append(out, st.Muted.Render(fmt.Sprintf("%s│ … %d more lines (y copies the whole snapshot)", indent, len(snap)-i)))
			break
		}
		out = append(out, m.fit(st.Muted.Render(indent+"│ ")+st.Plain.Render(s)))
	}
	return out
}

func truncate(s string, n int) string { return ansi.Truncate(s, n, "…") }

// formLines draws the open form: a rule with its title, one line per
// field and the reason the last attempt was refused.
func (m *Model) formLines() []string {
	f := m.form
	if f == nil {
		return nil
	}
	st := &m.st
	title := "── " + f.title + " (enter saves · tab next field · esc cancels) "
	lines := []string{st.Prompt.Render(title) + st.Muted.Render(strings.Repeat("─", max(0, m.width-lipgloss.Width(title))))}
	for i, in := range f.inputs {
		label := st.Label.Render(fmt.Sprintf("%s: ", f.labels[i]))
		if i == f.focus {
			label = st.Prompt.Render(fmt.Sprintf("%s: ", f.labels[i]))
		}
		lines = append(lines, "  "+label+in.View())
	}
	switch {
	case m.write.Busy():
		lines = append(lines, "  "+m.spin.View()+st.Status.Render("saving…"))
	case f.err != "":
		for _, l := range wrap(st.ErrorMsg.Render("✗ ")+st.Plain.Render(sanitize.Line(f.err))+st.Muted.Render(" — nothing was written; fix and press enter"), m.width-2) {
			lines = append(lines, "  "+l)
		}
	}
	return lines
}
