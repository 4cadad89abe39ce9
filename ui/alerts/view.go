package alerts

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// View draws the pane from the model and the clock alone.
func (m *Model) View() string { return pane.Fit(m.width, m.height, m.lines) }

// lines are the lines of what is open: a runbook, the noise table, one
// alert's detail or the list.
func (m *Model) lines() []string {
	switch {
	case m.rb.open:
		// A runbook opened from an incident needs no alert source.
		return m.runbookLines()
	case len(m.srcs) == 0:
		return append([]string{m.st.Title.Render("Alerts")}, wrap(m.st.Subtle.Render("This context has neither Prometheus nor Alertmanager configured, so there are no alerts to show. Add prometheus: or alertmanager: to the context (reltui config check shows what is set)."), m.width)...)
	case m.noise.open:
		return m.noiseLines()
	case m.detail:
		return m.detailLines()
	}
	return m.listLines()
}

func wrap(s string, w int) []string { return strings.Split(ansi.Wrap(s, max(10, w), " "), "\n") }

func (m *Model) listLines() []string {
	st := &m.st
	sep := st.Muted.Render(" · ")
	firing, pending := 0, 0
	for _, it := range m.items {
		switch it.state {
		case "firing":
			firing++
		case "pending":
			pending++
		}
	}
	head := st.Title.Render("Alerts") + sep + st.Subtle.Render(fmt.Sprintf("%d firing, %d pending", firing, pending))
	if s := stateFilters[m.stateIdx]; s != "" {
		head += sep + st.Subtle.Render("state: "+s)
	}
	if v := m.filter.Value(); v != "" {
		head += sep + st.Subtle.Render(fmt.Sprintf("/%s: %d shown", v, len(m.rows)))
	}
	if loaded, at := m.loaded(); m.list.Busy() {
		head += sep + m.spin.View() + st.Subtle.Render("refreshing…")
	} else if loaded {
		head += sep + st.Muted.Render("as of "+at.In(m.b.Location).Format("15:04:05"))
	}
	lines := []string{head, st.Header.Render(fmt.Sprintf("  %-9s %-10s %-8s %-26s %s", "SEVERITY", "STATE", "FOR", "ALERT", "LABELS · SUMMARY"))}
	var empty []string
	if len(m.rows) == 0 {
		empty = wrap(st.Subtle.Render(m.emptyText()), m.width)
	}
	lines = append(lines, pane.Body(m.listHeight(), empty, m.top, len(m.rows), func(i int) string { return m.row(m.rows[i], i == m.sel) })...)
	return append(lines, m.errLine(), m.bottomLine())
}

func (m *Model) emptyText() string {
	loaded, _ := m.loaded()
	switch {
	case !loaded && m.list.Busy():
		return "Asking " + m.sourceNames() + " for alerts…"
	case !loaded:
		return "No answer yet from " + m.sourceNames() + "."
	case len(m.items) > 0:
		return "No alert matches the filter; esc clears it."
	}
	return "Nothing is firing or pending. All quiet."
}

func (m *Model) sourceNames() string {
	var n []string
	for _, s := range m.srcs {
		n = append(n, s.Name())
	}
	return strings.Join(n, " and ")
}

func (m *Model) row(it item, selected bool) string {
	st := &m.st
	a := it.a
	sev := orDash(a.Labels["severity"])
	stateSt := st.Critical
	if it.state != "firing" {
		stateSt = st.Pending
	}
	dur := "–"
	if !a.ActiveAt.IsZero() {
		dur = incidents.FormatDuration(m.b.Now().Sub(a.ActiveAt))
	}
	cursor := "  "
	if selected {
		cursor = "> "
	}
	line := cursor + st.severity(it.rank).Render(fmt.Sprintf("%-9s", truncate(sev, 9))) + " " + stateSt.Render(fmt.Sprintf("%-10s", it.state)) + " " +
		fmt.Sprintf("%-8s %-26s ", dur, truncate(a.Name, 26))
	var tail []string
	if s := labelSummary(a); s != "" {
		tail = append(tail, st.Muted.Render(s))
	}
	if s := a.Annotations["summary"]; s != "" {
		tail = append(tail, s)
	}
	line += strings.Join(tail, st.Muted.Render(" · "))
	line = ansi.Truncate(line, m.width, "…")
	if selected {
		line = st.Selected.Render(ansi.Strip(line) + strings.Repeat(" ", max(0, m.width-lipgloss.Width(line))))
	}
	return line
}

// labelSummary lists the labels that tell alerts of one name apart.
func labelSummary(a sources.Alert) string {
	var parts []string
	for _, k := range sortedKeys(a.Labels) {
		if k != "alertname" && k != "severity" {
			parts = append(parts, k+"="+a.Labels[k])
		}
	}
	return strings.Join(parts, " ")
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func truncate(s string, n int) string { return ansi.Truncate(s, n, "…") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errLine names the backends that failed and what is still shown.
func (m *Model) errLine() string {
	if len(m.errs) == 0 {
		return ""
	}
	var parts []string
	for _, e := range m.errs {
		_, reason := pane.ErrText(e.err)
		parts = append(parts, sanitize.Line(e.src)+": "+reason)
	}
	still := "no alerts shown yet"
	if loaded, at := m.loaded(); loaded {
		still = "showing what answered, as of " + at.In(m.b.Location).Format("15:04:05")
	}
	return m.st.ErrorMsg.Render("✗ "+strings.Join(parts, "; ")) + m.st.Muted.Render(" — "+still)
}

func (m *Model) bottomLine() string {
	switch {
	case m.filter.Editing():
		return m.filter.View()
	case m.flash != "":
		if strings.HasPrefix(m.flash, "✗") {
			return m.st.ErrorMsg.Render(sanitize.Line(m.flash))
		}
		return m.st.Subtle.Render(sanitize.Line(m.flash))
	}
	return m.st.Muted.Render("o runbook · d declare an incident from the alert · p pin it to the open incident")
}

func (m *Model) detailLines() []string {
	st := &m.st
	it, ok := m.selected()
	if !ok {
		return nil
	}
	a := it.a
	lines := []string{st.Title.Render(a.Name) + st.Muted.Render("  "+it.state+" · from "+strings.Join(it.from, " and ")+" · d declares · esc back")}
	kv := func(k, v string) {
		if v != "" {
			lines = append(lines, "  "+st.Label.Render(fmt.Sprintf("%-14s", k))+" "+v)
		}
	}
	if !a.ActiveAt.IsZero() {
		kv("active since", incidents.FormatTime(a.ActiveAt)+" ("+incidents.FormatDuration(m.b.Now().Sub(a.ActiveAt))+" ago)")
	}
	kv("value", a.Value)
	kv("fingerprint", a.Fingerprint)
	lines = append(lines, "", st.Header.Render("labels"))
	for _, k := range sortedKeys(a.Labels) {
		kv(k, a.Labels[k])
	}
	lines = append(lines, "", st.Header.Render("annotations"))
	for _, k := range sortedKeys(a.Annotations) {
		for i, l := range wrap(a.Annotations[k], max(20, m.width-18)) {
			if i == 0 {
				kv(k, l)
			} else {
				lines = append(lines, strings.Repeat(" ", 17)+l)
			}
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return append(lines[:min(len(lines), m.height-1)], m.bottomLine())
}
