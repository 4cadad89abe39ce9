package request

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// What changed around the request: the deploys and config changes in the
// view's window lead the timeline, under their own heading, each saying
// how long before or after the request began it happened. enter or L on
// one opens that service's logs around it.

// changeRows are the heading and the changes matching filter f
// (lowercase; "" for all); none when the window holds no change.
func (m *Model) changeRows(f string) []row {
	v := m.view
	if len(v.Changes) == 0 && v.ChangesElsewhere == 0 {
		return nil
	}
	out := []row{{kind: rowChanges}}
	headMatch := f == "" || strings.Contains("changes", f)
	for i := range v.Changes {
		r := row{kind: rowChange, ref: int32(i)}
		if headMatch || strings.Contains(strings.ToLower(m.rowText(r)), f) {
			out = append(out, r)
		}
	}
	if len(out) == 1 && !headMatch {
		return nil
	}
	return out
}

// changesHeading is "▸ changes  2 in window · 1 to other services".
func (m *Model) changesHeading() string {
	v := m.view
	text := fmt.Sprintf("▸ changes  %d in window", len(v.Changes))
	if n := v.ChangesElsewhere; n > 0 {
		text += fmt.Sprintf(" · %d to other services", n)
	}
	return text
}

// changeText is one change: "  10:18:02  ⚑ deploy api: version 1 →
// 2  (1m58s before)".
func (m *Model) changeText(e correlate.Change) string {
	text := fmt.Sprintf("  %s  ⚑ %s", e.T.In(m.base.Location).Format("15:04:05"), sanitize.Line(e.String()))
	if start, ok := requestStart(m.view); ok {
		text += "  (" + relative(e.T.Sub(start)) + ")"
	}
	return text
}

// requestStart is when the first span or line of the request was.
func requestStart(v *correlate.View) (time.Time, bool) {
	var t time.Time
	for i := range v.Spans {
		if s := v.Spans[i].Start; t.IsZero() || s.Before(t) {
			t = s
		}
	}
	for i := range v.Logs {
		if s := v.Logs[i].Time; t.IsZero() || s.Before(t) {
			t = s
		}
	}
	return t, !t.IsZero()
}

// relative says "1m58s before", "12s after" or "at the start".
func relative(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < 0:
		return (-d).String() + " before"
	case d > 0:
		return d.String() + " after"
	}
	return "as it began"
}

// changeLogs pivots to the logs of the change's service around it; a
// change to no service in particular has no logs to open.
func (m *Model) changeLogs(i int32) tea.Cmd {
	e := m.view.Changes[i]
	if e.Service == "" {
		m.flash = "this change names no service; its logs cannot be opened"
		return nil
	}
	label := m.labelFor(e.Service)
	return pivotCmd(pane.PivotMsg{Target: pane.TargetLogs, Query: m.logQuery(label, e.Service, ""),
		Service: e.Service, ServiceLabel: label, From: e.T.Add(-m.pad), To: e.T.Add(m.pad)})
}
