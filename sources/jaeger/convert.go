package jaeger

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	model "github.com/jaegertracing/jaeger-idl/model/v1"
	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// formatTraceID always renders 32 lowercase hex digits. model.TraceID.String
// drops the high half when it is zero, which would make the same trace look
// different depending on which system reported it.
func formatTraceID(id model.TraceID) string {
	return fmt.Sprintf("%016x%016x", id.High, id.Low)
}

func formatSpanID(id model.SpanID) string {
	return fmt.Sprintf("%016x", uint64(id))
}

// parseTraceID accepts 1–32 hex digits (Jaeger's own rule: shorter ids are
// left-padded) and refuses the all-zero id, which no server can look up.
func parseTraceID(s string) (model.TraceID, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 32 {
		return model.TraceID{}, fmt.Errorf("trace id must be 1 to 32 hex digits")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return model.TraceID{}, fmt.Errorf("trace id must be hex digits only")
		}
	}
	id, err := model.TraceIDFromString(s)
	if err != nil {
		return model.TraceID{}, fmt.Errorf("trace id: %w", err)
	}
	if id == (model.TraceID{}) {
		return model.TraceID{}, fmt.Errorf("trace id must not be all zeros")
	}
	return id, nil
}

// kvString renders a typed tag value as text. Binary values are hex and
// capped (AsStringLossy) so a blob tag cannot flood the view.
func kvString(kv *model.KeyValue) string {
	switch kv.VType {
	case model.StringType, model.BoolType, model.Int64Type, model.Float64Type, model.BinaryType:
		return kv.AsStringLossy()
	}
	return fmt.Sprintf("<unknown value type %d>", int32(kv.VType))
}

func convertKVs(in []model.KeyValue) []sources.KV {
	if len(in) == 0 {
		return nil
	}
	out := make([]sources.KV, len(in))
	for i := range in {
		// Keys go on one line; values keep newlines (stack traces) for the
		// view to lay out.
		out[i] = sources.KV{Key: sanitize.Line(in[i].Key), Value: sanitize.Text(kvString(&in[i]))}
	}
	return out
}

// isErrorSpan follows the two conventions in the wild: the OpenTracing tag
// error=true (also set by Jaeger's OTLP translator), and the OTel status
// carried as otel.status_code=ERROR when it is not.
func isErrorSpan(tags []model.KeyValue) bool {
	for i := range tags {
		kv := &tags[i]
		switch kv.Key {
		case "error":
			if (kv.VType == model.BoolType && kv.VBool) ||
				(kv.VType == model.StringType && strings.EqualFold(strings.TrimSpace(kv.VStr), "true")) {
				return true
			}
		case "otel.status_code":
			if kv.VType == model.StringType && strings.EqualFold(strings.TrimSpace(kv.VStr), "ERROR") {
				return true
			}
		}
	}
	return false
}

// parentOf prefers a CHILD_OF reference within the same trace, then a
// FOLLOWS_FROM one (model.Span.ParentSpanID's rule). References to other
// traces are links, not parents.
func parentOf(s *model.Span) string {
	if p := s.ParentSpanID(); p != 0 {
		return formatSpanID(p)
	}
	return ""
}

// spanKind reads the span.kind tag, lower-cased as the OpenTelemetry to
// Jaeger conversion writes it, so a hand-instrumented "PRODUCER" matches
// too (Jaeger UI compares upper-cased).
func spanKind(tags []model.KeyValue) string {
	for i := range tags {
		if tags[i].Key == "span.kind" {
			return strings.ToLower(strings.TrimSpace(sanitize.Line(kvString(&tags[i]))))
		}
	}
	return ""
}

// convertRefs keeps every reference with its type: the critical path
// needs to know whether the parent waits for a child (CHILD_OF) or not
// (FOLLOWS_FROM).
func convertRefs(in []model.SpanRef) []sources.SpanRef {
	if len(in) == 0 {
		return nil
	}
	out := make([]sources.SpanRef, len(in))
	for i, r := range in {
		t := sources.ChildOf
		if r.RefType == model.SpanRefType_FOLLOWS_FROM {
			t = sources.FollowsFrom
		}
		out[i] = sources.SpanRef{TraceID: formatTraceID(r.TraceID), SpanID: formatSpanID(r.SpanID), Type: t}
	}
	return out
}

// convertSpan turns one wire span into the domain span. It never fails:
// missing parts become zero values, so a partly broken span still shows.
func convertSpan(s *model.Span) sources.Span {
	out := sources.Span{
		TraceID:      formatTraceID(s.TraceID),
		SpanID:       formatSpanID(s.SpanID),
		ParentSpanID: parentOf(s),
		Operation:    sanitize.Line(s.OperationName),
		Start:        s.StartTime,
		Duration:     s.Duration,
		Tags:         convertKVs(s.Tags),
		Error:        isErrorSpan(s.Tags),
		Kind:         spanKind(s.Tags),
		References:   convertRefs(s.References),
	}
	if out.Duration < 0 {
		// A negative duration (clock trouble or garbage) would draw a bar
		// that ends before it starts.
		out.Duration = 0
	}
	if s.Process != nil {
		out.Service = sanitize.Line(s.Process.ServiceName)
		out.Process = convertKVs(s.Process.Tags)
	}
	if len(s.Logs) > 0 {
		out.Events = make([]sources.SpanEvent, len(s.Logs))
		for i := range s.Logs {
			out.Events[i] = sources.SpanEvent{Time: s.Logs[i].Timestamp, Fields: convertKVs(s.Logs[i].Fields)}
		}
	}
	return out
}

// spanWarnings returns the server's per-span warnings (e.g. clock skew
// adjustments), sanitized and marked with the span they belong to.
func spanWarnings(s *model.Span) []string {
	if len(s.Warnings) == 0 {
		return nil
	}
	out := make([]string, 0, len(s.Warnings))
	for _, w := range s.Warnings {
		out = append(out, "span "+formatSpanID(s.SpanID)+": "+cleanMsg(w))
	}
	return out
}

// assembler groups streamed spans into traces, in the order each trace was
// first seen, and stops taking spans once limit is reached.
type assembler struct {
	limit     int
	count     int
	truncated bool
	order     []string
	traces    map[string]*sources.Trace
	warnSeen  map[string]bool
}

func newAssembler(limit int) *assembler {
	return &assembler{limit: limit, traces: map[string]*sources.Trace{}, warnSeen: map[string]bool{}}
}

// add takes the spans of one chunk and reports whether more can be taken.
func (a *assembler) add(chunk *api_v2.SpansResponseChunk) bool {
	for i := range chunk.Spans {
		if a.count >= a.limit {
			a.truncated = true
			return false
		}
		s := &chunk.Spans[i]
		ds := convertSpan(s)
		t := a.traces[ds.TraceID]
		if t == nil {
			t = &sources.Trace{TraceID: ds.TraceID}
			a.traces[ds.TraceID] = t
			a.order = append(a.order, ds.TraceID)
		}
		t.Spans = append(t.Spans, ds)
		for _, w := range spanWarnings(s) {
			if !a.warnSeen[w] {
				a.warnSeen[w] = true
				t.Warnings = append(t.Warnings, w)
			}
		}
		a.count++
	}
	return true
}

// result returns the traces with spans in start order. When the limit cut
// the answer short, the trace being filled when it happened says so.
func (a *assembler) result(truncWarning string) []sources.Trace {
	out := make([]sources.Trace, 0, len(a.order))
	for _, id := range a.order {
		t := a.traces[id]
		sortSpans(t.Spans)
		out = append(out, *t)
	}
	if a.truncated && len(out) > 0 {
		last := &out[len(out)-1]
		last.Warnings = append(last.Warnings, truncWarning)
	}
	return out
}

func sortSpans(spans []sources.Span) {
	slices.SortStableFunc(spans, func(x, y sources.Span) int { return x.Start.Compare(y.Start) })
}

// decodeChunk unmarshals one raw SpansResponseChunk and converts its spans.
// It is the boundary where outside bytes become domain data; the fuzz target
// drives it.
func decodeChunk(b []byte) ([]sources.Span, error) {
	var chunk api_v2.SpansResponseChunk
	if err := chunk.Unmarshal(b); err != nil {
		return nil, err
	}
	out := make([]sources.Span, len(chunk.Spans))
	for i := range chunk.Spans {
		out[i] = convertSpan(&chunk.Spans[i])
	}
	return out, nil
}

// Summarize condenses a trace into one search-result row: its root span, its
// time extent, span and error counts, and the services it touched.
func Summarize(t sources.Trace) sources.TraceSummary {
	sum := sources.TraceSummary{TraceID: t.TraceID, SpanCount: len(t.Spans)}
	if len(t.Spans) == 0 {
		return sum
	}
	start, end := t.Spans[0].Start, t.Spans[0].End()
	services := map[string]struct{}{}
	for _, s := range t.Spans {
		if s.Start.Before(start) {
			start = s.Start
		}
		if e := s.End(); e.After(end) {
			end = e
		}
		if s.Error {
			sum.ErrorCount++
		}
		if s.Service != "" {
			services[s.Service] = struct{}{}
		}
	}
	sum.Start, sum.Duration = start, end.Sub(start)
	for svc := range services {
		sum.Services = append(sum.Services, svc)
	}
	slices.Sort(sum.Services)
	if r, ok := rootSpan(t.Spans); ok {
		sum.RootSvc, sum.RootOp = r.Service, r.Operation
	}
	return sum
}

// rootSpan picks the earliest span without a parent. In a partial trace (the
// root not yet flushed, or truncated) it falls back to the earliest span
// whose parent is missing, and finally to the earliest span at all.
func rootSpan(spans []sources.Span) (sources.Span, bool) {
	if len(spans) == 0 {
		return sources.Span{}, false
	}
	ids := make(map[string]struct{}, len(spans))
	for _, s := range spans {
		ids[s.SpanID] = struct{}{}
	}
	earliest := func(keep func(sources.Span) bool) (sources.Span, bool) {
		var best sources.Span
		found := false
		for _, s := range spans {
			if keep(s) && (!found || s.Start.Before(best.Start)) {
				best, found = s, true
			}
		}
		return best, found
	}
	if r, ok := earliest(func(s sources.Span) bool { return s.ParentSpanID == "" }); ok {
		return r, true
	}
	if r, ok := earliest(func(s sources.Span) bool {
		_, has := ids[s.ParentSpanID]
		return !has
	}); ok {
		return r, true
	}
	return earliest(func(sources.Span) bool { return true })
}

// sortTracesNewestFirst orders search results the way Jaeger's UI does by
// default, so the list is stable across refreshes.
func sortTracesNewestFirst(ts []sources.Trace) {
	start := func(t sources.Trace) time.Time {
		if len(t.Spans) == 0 {
			return time.Time{}
		}
		return t.Spans[0].Start // spans are already in start order
	}
	slices.SortStableFunc(ts, func(x, y sources.Trace) int {
		if c := start(y).Compare(start(x)); c != 0 {
			return c
		}
		return cmp.Compare(x.TraceID, y.TraceID)
	})
}
