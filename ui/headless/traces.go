package headless

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// TraceSummaryJSON is one row of `reltui traces`.
type TraceSummaryJSON struct {
	TraceID       string    `json:"trace_id"`
	RootService   string    `json:"root_service"`
	RootOperation string    `json:"root_operation"`
	Start         time.Time `json:"start"`
	DurationUS    int64     `json:"duration_us"`
	SpanCount     int       `json:"span_count"`
	ErrorCount    int       `json:"error_count"`
	Services      []string  `json:"services"`
}

// WriteTraceSummaries renders a trace search result.
func WriteTraceSummaries(w io.Writer, f Format, sums []sources.TraceSummary) error {
	if f == Text {
		return writeTable(w, "no traces found", "TRACE ID\tSTART\tDURATION\tSPANS\tERRORS\tROOT", sums, func(s sources.TraceSummary) string {
			return fmt.Sprintf("%s\t%s\t%s\t%d\t%d\t%s %s", s.TraceID, s.Start.UTC().Format("2006-01-02 15:04:05"),
				s.Duration.Round(time.Microsecond), s.SpanCount, s.ErrorCount, sanitize.Line(s.RootSvc), sanitize.Line(s.RootOp))
		})
	}
	out := make([]TraceSummaryJSON, len(sums))
	for i, s := range sums {
		out[i] = TraceSummaryJSON{TraceID: s.TraceID, RootService: s.RootSvc, RootOperation: s.RootOp, Start: s.Start.UTC(),
			DurationUS: s.Duration.Microseconds(), SpanCount: s.SpanCount, ErrorCount: s.ErrorCount, Services: s.Services}
		if out[i].Services == nil {
			out[i].Services = []string{}
		}
	}
	return encodeAll(w, f, out)
}

// TraceJSON is the document `reltui trace --output json` prints.
type TraceJSON struct {
	TraceID  string                    `json:"trace_id"`
	Spans    []correlate.TraceSpanJSON `json:"spans"`
	Warnings []string                  `json:"warnings"`
}

// SpansJSON converts spans to their JSON shape, in start order.
func SpansJSON(spans []sources.Span) []correlate.TraceSpanJSON {
	out := make([]correlate.TraceSpanJSON, len(spans))
	for i, s := range spans {
		// The values stay as Jaeger sent them, for scripts; the encoder
		// escapes C0 controls and EscapeJSON the C1 and bidi ones, so the
		// terminal never sees them raw.
		out[i] = correlate.NewTraceSpanJSON(s, func(v string) string { return v })
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// WriteTrace renders one trace: json/jsonl as one document, text as an
// indented span tree.
func WriteTrace(w io.Writer, f Format, t *sources.Trace) error {
	if f != Text {
		doc := TraceJSON{TraceID: t.TraceID, Spans: SpansJSON(t.Spans), Warnings: t.Warnings}
		if doc.Warnings == nil {
			doc.Warnings = []string{}
		}
		enc := json.NewEncoder(EscapeJSON(w))
		enc.SetEscapeHTML(false)
		if f == JSON {
			enc.SetIndent("", "  ")
		}
		return enc.Encode(doc)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "trace %s: %d spans\n", t.TraceID, len(t.Spans))
	for _, wmsg := range t.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", sanitize.Line(wmsg))
	}
	children := map[string][]int{}
	ids := map[string]bool{}
	for _, s := range t.Spans {
		ids[s.SpanID] = true
	}
	var roots []int
	for i, s := range t.Spans {
		if s.ParentSpanID == "" || !ids[s.ParentSpanID] {
			roots = append(roots, i)
		} else {
			children[s.ParentSpanID] = append(children[s.ParentSpanID], i)
		}
	}
	byStart := func(xs []int) {
		sort.SliceStable(xs, func(a, c int) bool { return t.Spans[xs[a]].Start.Before(t.Spans[xs[c]].Start) })
	}
	var start time.Time
	for i, s := range t.Spans {
		if i == 0 || s.Start.Before(start) {
			start = s.Start
		}
	}
	var walk func(i, depth int)
	seen := map[int]bool{}
	walk = func(i, depth int) {
		if seen[i] {
			return // a cycle in bad data must not loop forever
		}
		seen[i] = true
		s := t.Spans[i]
		mark := " "
		if s.Error {
			mark = "!"
		}
		fmt.Fprintf(&b, "%s %s+%-10s %-10s %s%s: %s\n", mark, "", s.Start.Sub(start).Round(time.Microsecond), s.Duration.Round(time.Microsecond),
			strings.Repeat("  ", depth), sanitize.Line(s.Service), sanitize.Line(s.Operation))
		kids := children[s.SpanID]
		byStart(kids)
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	byStart(roots)
	for _, r := range roots {
		walk(r, 0)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// AlertJSON is one row of `reltui alerts`.
type AlertJSON struct {
	Name        string            `json:"name"`
	State       string            `json:"state"`
	Source      string            `json:"source"`
	ActiveAt    *time.Time        `json:"active_at"`
	Value       string            `json:"value,omitempty"`
	Fingerprint string            `json:"fingerprint"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// WriteAlerts renders alerts.
func WriteAlerts(w io.Writer, f Format, alerts []sources.Alert) error {
	if f == Text {
		return writeTable(w, "no alerts", "STATE\tNAME\tSOURCE\tACTIVE SINCE\tFINGERPRINT\tLABELS", alerts, func(a sources.Alert) string {
			since := "-"
			if !a.ActiveAt.IsZero() {
				since = a.ActiveAt.UTC().Format("2006-01-02 15:04:05")
			}
			return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", sanitize.Line(a.State), sanitize.Line(a.Name), a.Source, since, sanitize.Line(a.Fingerprint), pane.Labels(a.Labels))
		})
	}
	out := make([]AlertJSON, len(alerts))
	for i, a := range alerts {
		out[i] = AlertJSON{Name: a.Name, State: a.State, Source: a.Source, Value: a.Value, Fingerprint: a.Fingerprint, Labels: a.Labels, Annotations: a.Annotations}
		if !a.ActiveAt.IsZero() {
			t := a.ActiveAt.UTC()
			out[i].ActiveAt = &t
		}
	}
	return encodeAll(w, f, out)
}
