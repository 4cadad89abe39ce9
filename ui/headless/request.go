package headless

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources/sanitize"
)

// WriteRequestText prints `reltui request`'s text: the summary, the
// changes in the request's window and the timeline grouped by service;
// nothing when the request was not found.
func WriteRequestText(w io.Writer, v *correlate.View) error {
	if !v.Found() {
		return nil
	}
	var b strings.Builder
	writeRequest(&b, v)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeRequest(w *strings.Builder, v *correlate.View) {
	s := v.Summary
	fmt.Fprintf(w, "request %s  traces %s\n", strings.Join(v.RequestIDs, ", "), strings.Join(v.TraceIDs, ", "))
	fmt.Fprintf(w, "window  %s\n", v.Window)
	fmt.Fprintf(w, "spans %d  logs %d  critical path %s\n", s.SpanCount, s.LogCount, strings.Join(s.CriticalServices, " → "))
	if e := s.SlowestSpan; e != nil {
		fmt.Fprintf(w, "slowest %s %s %s\n", e.Service, e.Text, e.Duration.Round(time.Microsecond))
	}
	if e := s.FirstError; e != nil {
		fmt.Fprintf(w, "first error %s %s %s: %s\n", e.Time.UTC().Format("15:04:05.000"), e.Kind, e.Service, e.Text)
	} else {
		fmt.Fprintln(w, "no errors")
	}
	writeChangesText(w, v)
	for g, svc := range v.Services {
		fmt.Fprintf(w, "\n== %s\n", sanitize.Line(svc))
		for _, it := range v.Group(g) {
			ts := it.Time().UTC().Format("15:04:05.000000")
			if it.Kind == correlate.ItemSpan {
				sp := v.Spans[it.Ref]
				mark := ""
				if sp.Error {
					mark = " ERROR"
				}
				fmt.Fprintf(w, "%s  span %s %s %s%s\n", ts, sp.SpanID, sanitize.Line(sp.Operation), sp.Duration.Round(time.Microsecond), mark)
				continue
			}
			l := v.Logs[it.Ref]
			fmt.Fprintf(w, "%s  log  %-5s %s\n", ts, l.Level, l.Line)
		}
	}
}

// writeChangesText lists the changes in the request's window, when there
// are any.
func writeChangesText(w io.Writer, v *correlate.View) {
	if len(v.Changes) == 0 && v.ChangesElsewhere == 0 {
		return
	}
	head := fmt.Sprintf("changes %d in window", len(v.Changes))
	if n := v.ChangesElsewhere; n > 0 {
		head += fmt.Sprintf(" (+%d to other services)", n)
	}
	fmt.Fprintln(w, head)
	for _, e := range v.Changes {
		fmt.Fprintf(w, "  %s  %s\n", e.T.UTC().Format("15:04:05"), sanitize.Line(e.String()))
	}
}
