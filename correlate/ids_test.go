package correlate

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/sources"
)

const (
	tid = "4bf92f3577b34da6a3ce929d0e0e4736"
	sid = "00f067aa0ba902b7"
)

func TestExtractDefaults(t *testing.T) {
	cases := []struct {
		name string
		e    sources.LogEntry
		want Fields
	}{
		{"json snake", sources.LogEntry{Line: `{"level":"info","request_id":"req-1","trace_id":"` + tid + `","span_id":"` + sid + `"}`},
			Fields{RequestID: "req-1", TraceID: tid, SpanID: sid, Level: "info", TraceFrom: FromJSON, RequestFrom: FromJSON}},
		{"json camel and upper hex", sources.LogEntry{Line: `{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00F067AA0BA902B7","requestId":42}`},
			Fields{RequestID: "42", TraceID: tid, SpanID: sid, TraceFrom: FromJSON, RequestFrom: FromJSON}},
		{"json traceID and X-Request-ID nested", sources.LogEntry{Line: `{"msg":"x","http":{"headers":{"X-Request-ID":"abc-123"}},"traceID":"` + tid + `"}`},
			Fields{RequestID: "abc-123", TraceID: tid, TraceFrom: FromJSON, RequestFrom: FromJSON}},
		{"json escaped key text is not a key", sources.LogEntry{Line: `{"msg":"saw \"trace_id\":\"` + tid + `\" in a header"}`},
			Fields{}},
		{"logfmt", sources.LogEntry{Line: `ts=2026 level=error msg="charge failed trace_id=ffff" x_request_id=req-9 traceID=` + tid},
			Fields{RequestID: "req-9", TraceID: tid, Level: "error", TraceFrom: FromLogfmt, RequestFrom: FromLogfmt}},
		{"logfmt quoted value", sources.LogEntry{Line: `request_id="req 2" trace-id="` + tid + `"`},
			Fields{TraceID: tid, TraceFrom: FromLogfmt}},
		{"only in structured metadata", sources.LogEntry{Line: `level=info msg="stock reserved" request_id=req-7`,
			Metadata: map[string]string{"trace_id": tid, "span_id": sid}},
			Fields{RequestID: "req-7", TraceID: tid, SpanID: sid, Level: "info", TraceFrom: FromMetadata, RequestFrom: FromLogfmt}},
		{"only in a label", sources.LogEntry{Line: "plain text", Labels: map[string]string{"traceID": tid, "level": "warn"}},
			Fields{TraceID: tid, Level: "warn", TraceFrom: FromLabel}},
		{"metadata wins over line", sources.LogEntry{Line: `trace_id=` + "11111111111111111111111111111111",
			Metadata: map[string]string{"trace_id": tid}}, Fields{TraceID: tid, TraceFrom: FromMetadata}},
		{"traceparent", sources.LogEntry{Line: `traceparent=00-` + tid + `-` + sid + `-01`},
			Fields{TraceID: tid, SpanID: sid, TraceFrom: FromLogfmt}},
		{"invalid trace ids rejected", sources.LogEntry{Line: `trace_id=00000000000000000000000000000000 span_id=xyz traceId=` + tid[:31]},
			Fields{}},
		{"request id with spaces rejected", sources.LogEntry{Line: `{"request_id":"a b"}`}, Fields{}},
		{"prose", sources.LogEntry{Line: "GET /api/orders 200 12ms"}, Fields{}},
		{"truncated json", sources.LogEntry{Line: `{"trace_id":"` + tid + `","msg":"cut`}, Fields{TraceID: tid, TraceFrom: FromJSON}},
	}
	x := DefaultExtractor()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := x.Extract(c.e); got != c.want {
				t.Errorf("Extract(%q)\n got %+v\nwant %+v", c.e.Line, got, c.want)
			}
		})
	}
}

func TestExtractConfiguredRules(t *testing.T) {
	x, err := NewExtractor([]RuleSpec{
		{ID: "request", From: "regex", Regex: `\[rid:(?P<id>[A-Z0-9]+)\]`},
		{ID: "trace", From: "json", Key: "otel_trace"},
		{ID: "request", From: "logfmt", Key: "corr"},
		{ID: "trace", From: "label", Key: "tid"},
		{ID: "request", From: "metadata", Key: "edge_id"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		e    sources.LogEntry
		want Fields
	}{
		{sources.LogEntry{Line: `2026 [rid:AB12] GET /`}, Fields{RequestID: "AB12", RequestFrom: FromRegex}},
		{sources.LogEntry{Line: `{"otel_trace":"` + tid + `","trace_id":"11111111111111111111111111111111"}`}, Fields{TraceID: tid, TraceFrom: FromJSON}},
		{sources.LogEntry{Line: `corr=c-1 request_id=r-2`}, Fields{RequestID: "c-1", RequestFrom: FromLogfmt}},
		{sources.LogEntry{Line: "x", Labels: map[string]string{"tid": tid}}, Fields{TraceID: tid, TraceFrom: FromLabel}},
		{sources.LogEntry{Line: "request_id=r-2", Metadata: map[string]string{"edge_id": "e-1"}}, Fields{RequestID: "e-1", RequestFrom: FromMetadata}},
	}
	for _, c := range cases {
		if got := x.Extract(c.e); got != c.want {
			t.Errorf("Extract(%q)\n got %+v\nwant %+v", c.e.Line, got, c.want)
		}
	}
	if got := x.MetadataKeys(IDRequest); len(got) != 1 || got[0] != "edge_id" {
		t.Errorf("MetadataKeys(request) = %v, want the configured edge_id only", got)
	}
	if got := x.MetadataKeys(IDTrace); strings.Join(got, ",") != "tid,trace_id,traceID,traceId" {
		t.Errorf("MetadataKeys(trace) = %v, want the label rule tid, then the defaults", got)
	}
}

func TestBadRules(t *testing.T) {
	for _, r := range []RuleSpec{
		{ID: "user", From: "json", Key: "k"},
		{ID: "trace", From: "xml", Key: "k"},
		{ID: "trace", From: "regex", Regex: `(`},
		{ID: "trace", From: "regex", Regex: `trace=(\w+)`},
		{ID: "trace", From: "json"},
		{ID: "trace", From: "json", Key: "k", Regex: "x"},
	} {
		if _, err := NewExtractor([]RuleSpec{r}); err == nil {
			t.Errorf("NewExtractor(%+v) accepted a bad rule", r)
		}
	}
}

func TestClassifyInput(t *testing.T) {
	cases := []struct {
		in   string
		id   string
		kind IDKind
		ok   bool
	}{
		{" " + tid + " ", tid, IDTrace, true},
		{"4BF92F3577B34DA6A3CE929D0E0E4736", tid, IDTrace, true},
		{sid, sid, IDTrace, true}, // a 64-bit Jaeger trace id
		{"req-e40849d5669c", "req-e40849d5669c", IDRequest, true},
		{"", "", IDNone, false},
		{"a b", "", IDNone, false},
		{`x"y`, "", IDNone, false},
	}
	for _, c := range cases {
		id, kind, ok := ClassifyInput(c.in)
		if id != c.id || kind != c.kind || ok != c.ok {
			t.Errorf("ClassifyInput(%q) = %q, %v, %v; want %q, %v, %v", c.in, id, kind, ok, c.id, c.kind, c.ok)
		}
	}
}

func TestContainsToken(t *testing.T) {
	for _, c := range []struct {
		s, id string
		want  bool
	}{
		{"request_id=req-12 x", "req-12", true},
		{"request_id=req-123", "req-12", false},
		{"xreq-12", "req-12", false},
		{"a req-123 b req-12", "req-12", true},
		{`"req-12"`, "req-12", true},
	} {
		if got := containsToken(c.s, c.id); got != c.want {
			t.Errorf("containsToken(%q, %q) = %v", c.s, c.id, got)
		}
	}
}

// FuzzExtract feeds arbitrary lines, labels and metadata to the extractor:
// it must not panic, and whatever it returns must be a valid ID.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`{"level":"info","request_id":"req-1","trace_id":"` + tid + `","span_id":"` + sid + `"}`,
		`ts=2026 level=error msg="charge failed trace_id=ffff" x_request_id=req-9 traceID=` + tid,
		`{"msg":"saw \"trace_id\":\"` + tid + `\"","a":[1,{"traceId":"` + tid + `"}]}`,
		`traceparent=00-` + tid + `-` + sid + `-01`,
		`{"trace_id":"` + tid, `k="unterminated \" quote`, `=== ""=" {"":}`, "\x00\xff{\"", `{"a\u0000b":"\ud800"}`,
	} {
		f.Add(s, "trace_id", tid)
	}
	x, err := NewExtractor([]RuleSpec{{ID: "request", From: "regex", Regex: `rid:(?P<id>\S+)`}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line, key, val string) {
		e := sources.LogEntry{Line: line, Labels: map[string]string{key: val}, Metadata: map[string]string{key: val}}
		got := x.Extract(e)
		if got.TraceID != "" {
			if id, ok := NormalizeTraceID(got.TraceID); !ok || id != got.TraceID {
				t.Fatalf("invalid trace id %q from %q", got.TraceID, line)
			}
		}
		if got.SpanID != "" {
			if id, ok := NormalizeSpanID(got.SpanID); !ok || id != got.SpanID {
				t.Fatalf("invalid span id %q from %q", got.SpanID, line)
			}
		}
		if got.RequestID != "" {
			if _, ok := NormalizeRequestID(got.RequestID); !ok {
				t.Fatalf("invalid request id %q from %q", got.RequestID, line)
			}
		}
		_, _, _ = ClassifyInput(line)
	})
}
