package correlate

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// An error that propagates marks every ancestor; the summary must name
// the span where it began, not the root that merely started first.
func TestFirstErrorIsWhereTheErrorBegan(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	tr := "4bf92f3577b34da6a3ce929d0e0e4736"
	span := func(id, parent, svc string, off time.Duration, failed bool) sources.Span {
		return sources.Span{TraceID: tr, SpanID: id, ParentSpanID: parent, Service: svc, Operation: svc + " op",
			Start: t0.Add(off), Duration: time.Second, Error: failed}
	}
	j := &Joined{Spans: []sources.Span{
		span("a000000000000001", "", "frontend", 0, true),
		span("a000000000000002", "a000000000000001", "checkout", 5*time.Millisecond, true),
		span("a000000000000003", "a000000000000002", "inventory", 8*time.Millisecond, false),
		span("a000000000000004", "a000000000000002", "payments", 20*time.Millisecond, true),
	}}
	s := summarize(j)
	if s.FirstError == nil || s.FirstError.Service != "payments" || s.FirstError.Kind != ItemSpan {
		t.Fatalf("first error = %+v, want the payments span where the error began", s.FirstError)
	}
	// A lone failing root is still the first error.
	j = &Joined{Spans: []sources.Span{span("b000000000000001", "", "frontend", 0, true)}}
	if s := summarize(j); s.FirstError == nil || s.FirstError.Service != "frontend" {
		t.Fatalf("first error = %+v, want the failing root", s.FirstError)
	}
}
