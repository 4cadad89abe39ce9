package headless

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
)

// diffSpan is a span from ms offsets.
func diffSpan(id, parent, svc, op string, from, to int, failed bool) sources.Span {
	t0 := time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC)
	return sources.Span{SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
		Start: t0.Add(time.Duration(from) * time.Millisecond), Duration: time.Duration(to-from) * time.Millisecond, Error: failed}
}

func TestWriteTraceDiffText(t *testing.T) {
	slow := sources.Trace{TraceID: "slow1", Spans: []sources.Span{
		diffSpan("a", "", "frontend", "POST /api/checkout", 0, 1300, false),
		diffSpan("b", "a", "payments", "POST /v1/charge", 10, 1290, false),
		diffSpan("c", "b", "payments", "POST /v2/authorize", 20, 1280, false),
		diffSpan("d", "b", "payments", "POST /v2/authorize", 1281, 1285, true),
	}}
	base := sources.Trace{TraceID: "base1", Spans: []sources.Span{
		diffSpan("A", "", "frontend", "POST /api/checkout", 0, 100, false),
		diffSpan("B", "A", "payments", "POST /v1/charge", 10, 90, false),
		diffSpan("C", "B", "payments", "POST /v2/authorize", 20, 80, false),
		diffSpan("D", "A", "checkout", "orders \x1b[31mpublish", 91, 93, false),
	}}
	d := correlate.Diff(slow, base)
	b := correlate.Baseline{TraceID: "base1", Reason: "nearest in time", Considered: []correlate.Candidate{
		{TraceID: "base1", Duration: 100 * time.Millisecond, Kept: true, Chosen: true, Reason: "chosen: 100ms"},
		{TraceID: "e1", Reason: "has errors: 1 error spans"},
	}}
	var out bytes.Buffer
	if err := WriteTraceDiffText(&out, &d, b, 3, true); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	lines := strings.Split(text, "\n")
	for i, want := range []string{
		"slow      slow1  frontend POST /api/checkout  1.3s  (4 spans, 1 errors)",
		"baseline  base1  frontend POST /api/checkout  100ms  (4 spans)",
		"extra     +1.2s",
		"why this baseline: nearest in time",
		"candidates: 2 considered: 1 chosen, 1 has errors",
		"spans: 3 in both, 1 only in slow, 1 only in baseline",
	} {
		if lines[i] != want {
			t.Errorf("line %d %q, want %q", i, lines[i], want)
		}
	}
	// authorize explains 1200ms, the retry 4ms; the missing publish -2ms
	// is past the limit.
	rows := lines[9:12]
	if !strings.HasPrefix(rows[0], "1  +1.2s") || !strings.Contains(rows[0], "payments POST /v2/authorize ") ||
		!strings.Contains(rows[0], "frontend POST /api/checkout › payments POST /v1/charge") {
		t.Errorf("row 1 %q", rows[0])
	}
	if !strings.Contains(rows[1], "payments POST /v2/authorize#2") || !strings.Contains(rows[1], "slow only") || !strings.Contains(rows[1], "4ms/-") ||
		!strings.Contains(rows[1], " slow ") {
		t.Errorf("row 2 %q", rows[1])
	}
	if !strings.Contains(text, "… 2 more rows (--limit 0 shows all)") || !strings.Contains(text, "  e1 ") || !strings.Contains(text, "has errors: 1 error spans") {
		t.Errorf("text:\n%s", text)
	}
	out.Reset()
	if err := WriteTraceDiffText(&out, &d, b, 0, false); err != nil {
		t.Fatal(err)
	}
	if text := out.String(); strings.Contains(text, "\x1b") || !strings.Contains(text, "base only  checkout orders") || strings.Contains(text, "candidates considered") {
		t.Errorf("all rows, sanitized, no candidate list:\n%s", text)
	}
}
