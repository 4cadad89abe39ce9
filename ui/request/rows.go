package request

import (
	"strings"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/ui/pane"
)

type rowKind uint8

const (
	rowService rowKind = iota
	rowSpan
	rowLog
	// rowChanges heads the changes in the window; rowChange is one,
	// ref indexing the view's Changes.
	rowChanges
	rowChange
)

// row is one line of the timeline list: a service heading, a span or a
// log line, or a change. ref indexes the view's Spans, Logs or Changes.
type row struct {
	kind rowKind
	svc  int
	ref  int32
}

// rebuild lays the view out as rows, keeping only what matches the filter
// (a service heading stays when any of its items match).
func (m *Model) rebuild() {
	m.rows = m.rows[:0]
	v := m.view
	if v == nil || !v.Found() {
		return
	}
	f := strings.ToLower(m.filter)
	m.rows = append(m.rows, m.changeRows(f)...)
	for g, svc := range v.Services {
		items := v.Group(g)
		head := len(m.rows)
		m.rows = append(m.rows, row{kind: rowService, svc: g})
		svcMatch := f == "" || strings.Contains(strings.ToLower(svc), f)
		for _, it := range items {
			r := row{kind: rowLog, svc: g, ref: it.Ref}
			if it.Kind == correlate.ItemSpan {
				r.kind = rowSpan
			}
			if svcMatch || strings.Contains(strings.ToLower(m.rowText(r)), f) {
				m.rows = append(m.rows, r)
			}
		}
		if len(m.rows) == head+1 && !svcMatch {
			m.rows = m.rows[:head]
		}
	}
}

// rowText is what the filter matches: the span's operation and ids, or
// the line and its level.
func (m *Model) rowText(r row) string {
	v := m.view
	switch r.kind {
	case rowSpan:
		sp := &v.Spans[r.ref]
		return sp.Operation + " " + sp.SpanID + " " + sp.TraceID
	case rowLog:
		l := &v.Logs[r.ref]
		return l.Level + " " + l.Line
	case rowChange:
		return v.Changes[r.ref].String()
	case rowChanges:
		return "changes"
	}
	return v.Services[r.svc]
}

func (m *Model) setFilter(f string) {
	m.filter = strings.TrimSpace(f)
	m.rebuild()
	m.sel, m.top = 0, 0
	m.clamp()
	if m.filter != "" && len(m.rows) == 0 && m.view != nil && m.view.Found() {
		m.flash = "nothing matches /" + m.filter
	}
}

// jumpService moves to the next (d=1) or previous service (or changes)
// heading.
func (m *Model) jumpService(d int) {
	for i := m.sel + d; i >= 0 && i < len(m.rows); i += d {
		if k := m.rows[i].kind; k == rowService || k == rowChanges {
			m.sel = i
			m.top = i
			m.clamp()
			return
		}
	}
}

// clamp keeps the selection in the rows and on screen.
func (m *Model) clamp() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.rows), m.listHeight())
}

func (m *Model) selected() (row, bool) {
	if m.sel < 0 || m.sel >= len(m.rows) {
		return row{}, false
	}
	return m.rows[m.sel], true
}
