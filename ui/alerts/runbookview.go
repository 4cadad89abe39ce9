package alerts

import (
	"fmt"
	"strings"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// runbookLines draws the runbook view: a title, where the runbook came
// from, the rendered Markdown with the selected step and the done ones
// marked in a two-column gutter, the selected step, and the keys.
func (m *Model) runbookLines() []string {
	st, rb := &m.st, &m.rb
	sep := st.Muted.Render(" · ")
	head := st.Title.Render("Runbook") + sep + st.Label.Render(sanitize.Line(rb.alert.Name))
	if rb.incID != 0 {
		head += sep + st.Subtle.Render("steps go on "+incidents.Ref(rb.incID))
	}
	if m.rbDoc.Busy() {
		head += sep + m.spin.View() + st.Subtle.Render("loading…")
	}
	lines := []string{head, m.runbookSourceLine()}
	var body []string
	top, n := 0, 0 // the rendered runbook's lines shown, once it loaded
	switch {
	case !rb.found:
		body = wrap(st.Subtle.Render("No runbook for "+sanitize.Line(rb.alert.Name)+": it has no runbook_url or runbook annotation, and "+m.noDirText()), m.width)
	case rb.err != nil:
		_, reason := pane.ErrText(rb.err)
		body = wrap(st.ErrorMsg.Render("✗ "+reason), m.width)
		if rb.ref.URL != "" {
			body = append(body, wrap(st.Muted.Render("y copies the URL to open it elsewhere."), m.width)...)
		}
	case !rb.loaded:
		body = []string{st.Subtle.Render("Reading the runbook…")}
	default:
		if err := rb.doc.FetchErr; err != nil {
			// Why the URL was not used comes first: it is what the reader
			// expected to see.
			_, reason := pane.ErrText(err)
			body = wrap(st.WarnMsg.Render("✗ "+reason), m.width)
		}
		top, n = rb.top, len(rb.lines)
	}
	lines = append(lines, pane.Body(m.rbBodyHeight(), body, top, n, m.runbookRow())...)
	return append(lines, m.stepLine(), m.runbookBottom())
}

func (m *Model) noDirText() string {
	if m.rbOpt.Dir == "" {
		return "this context names no runbook directory (runbooks.dir)."
	}
	return "the runbook directory has no " + sanitize.Line(m.rb.alert.Name) + ".md nor a file for its service."
}

// runbookSourceLine says where the runbook is and, for a URL, whether it
// could be fetched.
func (m *Model) runbookSourceLine() string {
	st, rb := &m.st, &m.rb
	var parts []string
	if rb.ref.URL != "" {
		parts = append(parts, st.Label.Render("URL ")+sanitize.Line(rb.ref.URL)+st.Muted.Render(" (y copies)"))
	}
	switch {
	case rb.doc.FetchErr != nil:
		parts = append(parts, st.Muted.Render("showing the local "+sanitize.Line(rb.doc.Source)))
	case rb.loaded:
		parts = append(parts, st.Muted.Render("from "+sanitize.Line(rb.doc.Source)+" ("+rb.ref.Via+")"))
	}
	return strings.Join(parts, st.Muted.Render(" · "))
}

// runbookRow draws rendered line i of the runbook behind its gutter: >
// on the selected step's line, ✓ on a done step's.
func (m *Model) runbookRow() func(i int) string {
	st, rb := &m.st, &m.rb
	sel, done := -1, map[int]bool{}
	if rb.step < len(rb.stepLine) {
		sel = rb.stepLine[rb.step]
	}
	for i, s := range rb.doc.Steps {
		if _, ok := rb.done[s.Number]; ok && i < len(rb.stepLine) && rb.stepLine[i] >= 0 {
			done[rb.stepLine[i]] = true
		}
	}
	return func(i int) string {
		gutter := "  "
		switch {
		case i == sel && done[i]:
			gutter = st.Selected.Render(">") + st.Label.Render("✓")
		case i == sel:
			gutter = st.Selected.Render(">") + " "
		case done[i]:
			gutter = st.Label.Render("✓") + " "
		}
		return gutter + rb.lines[i]
	}
}

// stepLine describes the selected step: its number, text, whether it is
// done, and what enter would run.
func (m *Model) stepLine() string {
	st, rb := &m.st, &m.rb
	s, ok := m.selectedStep()
	if !ok {
		if rb.loaded {
			return st.Muted.Render("This runbook has no steps (list items or headings).")
		}
		return ""
	}
	line := st.Header.Render(fmt.Sprintf("step %d/%d ", s.Number, len(rb.doc.Steps))) + s.Text
	if at, ok := rb.done[s.Number]; ok {
		line = st.Label.Render("✓ ") + line + st.Muted.Render(" · done "+at.In(m.b.Location).Format("15:04:05"))
	}
	if len(s.Queries) > 0 {
		q := s.Queries[0]
		line += st.Muted.Render(fmt.Sprintf(" · enter: %s → %s", q.Lang, targetTitle(q.Target)))
	}
	return line
}

func targetTitle(t runbook.Target) string {
	switch t {
	case runbook.TargetMetrics:
		return "Metrics"
	case runbook.TargetLogs:
		return "Logs"
	}
	return "Traces"
}

func (m *Model) runbookBottom() string {
	if m.flash != "" {
		return m.bottomLine()
	}
	return m.st.Muted.Render("j/k scroll · n/N step · x done · enter run query · y copy URL · esc back")
}
