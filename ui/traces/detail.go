package traces

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/sources"
)

// detailContent renders span i for the detail viewport: what it is, its
// timing and place on the critical path, then tags, events and process.
// Strings were sanitized when the tree was built; values keep their
// newlines (stack traces) and are indented under their key.
func detailContent(st *Styles, t *tree, i int32, loc *time.Location, width int) string {
	nd := &t.nodes[i]
	s := nd.span
	var lines []string
	add := func(label, value string) {
		lines = append(lines, st.Header.Render(fmt.Sprintf("%-10s", label))+" "+value)
	}
	add("service", st.Service.Render(s.Service))
	add("operation", s.Operation)
	add("span id", s.SpanID)
	if s.ParentSpanID != "" {
		add("parent", s.ParentSpanID)
	}
	add("trace id", t.traceID)
	add("start", s.Start.In(loc).Format("2006-01-02 15:04:05.000000")+
		st.Muted.Render(" (+"+fmtDur(s.Start.Sub(t.start))+" into the trace)"))
	add("duration", fmtDur(s.Duration))
	if nd.critical > 0 {
		pct := 0.0
		if d := t.duration(); d > 0 {
			pct = 100 * float64(nd.critical) / float64(d)
		}
		add("critical", st.Critical.Render(fmt.Sprintf("◆ %s of its own time is on the critical path (%.0f%% of the trace)", fmtDur(nd.critical), pct)))
	} else {
		add("critical", st.Muted.Render("not on the critical path"))
	}
	if s.Error {
		add("status", st.ErrorMsg.Render("! error"))
	}
	lines = append(lines, "")
	lines = append(lines, kvSection(st, "Tags", s.Tags)...)
	lines = append(lines, st.Title.Render(fmt.Sprintf("Events (%d)", len(s.Events))))
	if len(s.Events) == 0 {
		lines = append(lines, st.Muted.Render("  none"))
	}
	for _, e := range s.Events {
		lines = append(lines, "  "+st.Muted.Render("+"+fmtDur(e.Time.Sub(s.Start))))
		for _, kv := range e.Fields {
			lines = append(lines, kvLines(st, "    ", kv)...)
		}
	}
	lines = append(lines, "")
	lines = append(lines, kvSection(st, "Process", s.Process)...)
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, strings.Split(ansi.Wrap(l, max(10, width), " "), "\n")...)
	}
	return strings.Join(out, "\n")
}

func kvSection(st *Styles, title string, kvs []sources.KV) []string {
	lines := []string{st.Title.Render(fmt.Sprintf("%s (%d)", title, len(kvs)))}
	if len(kvs) == 0 {
		lines = append(lines, st.Muted.Render("  none"))
	}
	for _, kv := range kvs {
		lines = append(lines, kvLines(st, "  ", kv)...)
	}
	return append(lines, "")
}

// kvLines writes key = value, continuation lines of a multi-line value
// indented under it.
func kvLines(st *Styles, indent string, kv sources.KV) []string {
	vals := strings.Split(kv.Value, "\n")
	out := []string{indent + st.Service.Render(kv.Key) + " = " + vals[0]}
	pad := indent + strings.Repeat(" ", ansi.StringWidth(kv.Key)+3)
	for _, v := range vals[1:] {
		out = append(out, pad+v)
	}
	return out
}
