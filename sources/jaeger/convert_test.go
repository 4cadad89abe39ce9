package jaeger

import (
	"slices"
	"strings"
	"testing"
	"time"

	model "github.com/jaegertracing/jaeger-idl/model/v1"
	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"

	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func TestConvertSpanFields(t *testing.T) {
	tid := model.NewTraceID(0, 0xabc)
	in := model.Span{
		TraceID:       tid,
		SpanID:        model.NewSpanID(0x1f),
		OperationName: "GET /users",
		References: []model.SpanRef{
			model.NewFollowsFromRef(tid, model.NewSpanID(0x99)),
			model.NewChildOfRef(tid, model.NewSpanID(0x42)),
		},
		StartTime: t0,
		Duration:  1500 * time.Microsecond,
		Tags: []model.KeyValue{
			model.String("http.method", "GET"),
			model.Bool("cache.hit", false),
			model.Int64("http.status_code", 503),
			model.Float64("ratio", 0.25),
			model.Binary("blob", []byte{0xde, 0xad}),
		},
		Logs: []model.Log{{
			Timestamp: t0.Add(time.Millisecond),
			Fields:    []model.KeyValue{model.String("event", "retry"), model.Int64("attempt", 2)},
		}},
		Process: model.NewProcess("users-api", []model.KeyValue{model.String("host.name", "node-1")}),
	}
	got := convertSpan(&in)

	if got.TraceID != "00000000000000000000000000000abc" {
		t.Errorf("TraceID = %q; a 64-bit id must still render as 32 hex digits", got.TraceID)
	}
	if got.SpanID != "000000000000001f" {
		t.Errorf("SpanID = %q", got.SpanID)
	}
	if got.ParentSpanID != "0000000000000042" {
		t.Errorf("ParentSpanID = %q; CHILD_OF must win over an earlier FOLLOWS_FROM", got.ParentSpanID)
	}
	if got.Service != "users-api" || got.Operation != "GET /users" {
		t.Errorf("service/op = %q/%q", got.Service, got.Operation)
	}
	if !got.Start.Equal(t0) || got.Duration != 1500*time.Microsecond {
		t.Errorf("start/duration = %v/%v", got.Start, got.Duration)
	}
	wantTags := []sources.KV{
		{Key: "http.method", Value: "GET"},
		{Key: "cache.hit", Value: "false"},
		{Key: "http.status_code", Value: "503"},
		{Key: "ratio", Value: "0.25"},
		{Key: "blob", Value: "dead"},
	}
	if !slices.Equal(got.Tags, wantTags) {
		t.Errorf("tags = %v, want %v", got.Tags, wantTags)
	}
	if len(got.Events) != 1 || !got.Events[0].Time.Equal(t0.Add(time.Millisecond)) ||
		!slices.Equal(got.Events[0].Fields, []sources.KV{{Key: "event", Value: "retry"}, {Key: "attempt", Value: "2"}}) {
		t.Errorf("events = %+v", got.Events)
	}
	if !slices.Equal(got.Process, []sources.KV{{Key: "host.name", Value: "node-1"}}) {
		t.Errorf("process = %v", got.Process)
	}
	if got.Error {
		t.Error("span without error tags marked as error")
	}
}

func TestParentRules(t *testing.T) {
	tid := model.NewTraceID(1, 2)
	other := model.NewTraceID(3, 4)
	cases := []struct {
		name string
		refs []model.SpanRef
		want string
	}{
		{"no refs", nil, ""},
		{"follows from only", []model.SpanRef{model.NewFollowsFromRef(tid, 7)}, "0000000000000007"},
		{"link to another trace is not a parent", []model.SpanRef{model.NewChildOfRef(other, 8)}, ""},
		{"same-trace child-of after a link", []model.SpanRef{model.NewChildOfRef(other, 8), model.NewChildOfRef(tid, 9)}, "0000000000000009"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := model.Span{TraceID: tid, SpanID: 1, References: c.refs}
			if got := convertSpan(&s).ParentSpanID; got != c.want {
				t.Fatalf("parent = %q, want %q", got, c.want)
			}
		})
	}
}

func TestConvertKeepsReferencesAndKind(t *testing.T) {
	tid := model.NewTraceID(1, 2)
	other := model.NewTraceID(3, 4)
	s := model.Span{
		TraceID: tid, SpanID: 1,
		References: []model.SpanRef{
			model.NewFollowsFromRef(tid, 7),
			model.NewChildOfRef(other, 8),
			model.NewChildOfRef(tid, 9),
		},
		Tags: []model.KeyValue{model.String("span.kind", " CONSUMER")},
	}
	got := convertSpan(&s)
	want := []sources.SpanRef{
		{TraceID: "00000000000000010000000000000002", SpanID: "0000000000000007", Type: sources.FollowsFrom},
		{TraceID: "00000000000000030000000000000004", SpanID: "0000000000000008", Type: sources.ChildOf},
		{TraceID: "00000000000000010000000000000002", SpanID: "0000000000000009", Type: sources.ChildOf},
	}
	if !slices.Equal(got.References, want) {
		t.Errorf("references = %+v\nwant %+v", got.References, want)
	}
	if got.ParentSpanID != "0000000000000009" {
		t.Errorf("parent = %q; the references must not change the parent rule", got.ParentSpanID)
	}
	if got.Kind != "consumer" {
		t.Errorf("Kind = %q, want consumer (trimmed, lower case)", got.Kind)
	}
	if v, ok := got.Tag("span.kind"); !ok || v != " CONSUMER" {
		t.Errorf("span.kind tag = %q, %v; it must stay among the tags", v, ok)
	}
	bare := convertSpan(&model.Span{TraceID: tid, SpanID: 2})
	if bare.Kind != "" || bare.References != nil {
		t.Errorf("span without kind or references: Kind %q, References %v", bare.Kind, bare.References)
	}
}

func TestErrorDetection(t *testing.T) {
	cases := []struct {
		name string
		tags []model.KeyValue
		want bool
	}{
		{"error=true bool", []model.KeyValue{model.Bool("error", true)}, true},
		{"error=false bool", []model.KeyValue{model.Bool("error", false)}, false},
		{"error=true string", []model.KeyValue{model.String("error", "True")}, true},
		{"error=false string", []model.KeyValue{model.String("error", "false")}, false},
		{"otel status ERROR", []model.KeyValue{model.String("otel.status_code", "ERROR")}, true},
		{"otel status OK", []model.KeyValue{model.String("otel.status_code", "OK")}, false},
		{"unrelated", []model.KeyValue{model.String("span.kind", "server"), model.Int64("http.status_code", 500)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := model.Span{Tags: c.tags}
			if got := convertSpan(&s).Error; got != c.want {
				t.Fatalf("Error = %v, want %v", got, c.want)
			}
		})
	}
}

func TestConvertSanitizesAndClamps(t *testing.T) {
	s := model.Span{
		OperationName: "op\x1b[2Jname",
		Duration:      -5 * time.Second,
		Tags:          []model.KeyValue{model.String("k\ney", "red\x1b[31m\nline2")},
		Process:       model.NewProcess("svc\x1b]0;title\x07x", nil),
		Warnings:      []string{"skew\x1b[1m adjusted"},
	}
	got := convertSpan(&s)
	for _, str := range []string{got.Operation, got.Service, got.Tags[0].Key, got.Tags[0].Value} {
		if strings.ContainsRune(str, 0x1b) {
			t.Errorf("escape sequence survived: %q", str)
		}
	}
	if strings.Contains(got.Tags[0].Key, "\n") {
		t.Errorf("tag key kept a newline: %q", got.Tags[0].Key)
	}
	if !strings.Contains(got.Tags[0].Value, "\n") {
		t.Errorf("tag value lost its newline (multi-line values are laid out by the view): %q", got.Tags[0].Value)
	}
	if got.Duration != 0 {
		t.Errorf("negative duration not clamped: %v", got.Duration)
	}
	for _, w := range spanWarnings(&s) {
		if strings.ContainsRune(w, 0x1b) {
			t.Errorf("warning not sanitized: %q", w)
		}
	}
}

func TestParseTraceID(t *testing.T) {
	cases := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"abc", "00000000000000000000000000000abc", false},
		{"  4BF92F3577B34DA6A3CE929D0E0E4736 ", "4bf92f3577b34da6a3ce929d0e0e4736", false},
		{"00000000000000010000000000000002", "00000000000000010000000000000002", false},
		{"", "", true},
		{"0", "", true},
		{"xyz", "", true},
		{"0x1234", "", true},
		{"-1", "", true},
		{"+1", "", true},
		{"123456789012345678901234567890123", "", true},
		{"12 34", "", true},
	}
	for _, c := range cases {
		id, err := parseTraceID(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("parseTraceID(%q) err = %v, wantErr %v", c.in, err, c.wantErr)
			continue
		}
		if err == nil && formatTraceID(id) != c.want {
			t.Errorf("parseTraceID(%q) = %s, want %s", c.in, formatTraceID(id), c.want)
		}
	}
}

// chunkOf builds a chunk of n spans of trace hi/lo whose span ids start at
// first.
func chunkOf(hi, lo uint64, first, n int) *api_v2.SpansResponseChunk {
	c := &api_v2.SpansResponseChunk{}
	for i := 0; i < n; i++ {
		c.Spans = append(c.Spans, model.Span{
			TraceID:   model.NewTraceID(hi, lo),
			SpanID:    model.NewSpanID(uint64(first + i)),
			StartTime: t0.Add(time.Duration(first+i) * time.Millisecond),
			Process:   model.NewProcess("svc", nil),
		})
	}
	return c
}

func TestAssemblerTruncates(t *testing.T) {
	a := newAssembler(5)
	if !a.add(chunkOf(0, 1, 1, 3)) {
		t.Fatal("3 of 5 spans: assembler asked to stop")
	}
	if a.add(chunkOf(0, 1, 4, 3)) {
		t.Fatal("6 of 5 spans: assembler did not ask to stop")
	}
	got := a.result("TRUNCATED")
	if len(got) != 1 || len(got[0].Spans) != 5 {
		t.Fatalf("got %d traces / %v", len(got), got)
	}
	if !slices.Contains(got[0].Warnings, "TRUNCATED") {
		t.Fatalf("no truncation warning: %v", got[0].Warnings)
	}
	// The spans kept are the first five received, not any five.
	for i, s := range got[0].Spans {
		if want := formatSpanID(model.SpanID(i + 1)); s.SpanID != want {
			t.Errorf("span %d = %s, want %s", i, s.SpanID, want)
		}
	}
}

func TestAssemblerExactLimitIsNotTruncated(t *testing.T) {
	a := newAssembler(6)
	a.add(chunkOf(0, 1, 1, 3))
	a.add(chunkOf(0, 1, 4, 3))
	got := a.result("TRUNCATED")
	if len(got[0].Spans) != 6 || len(got[0].Warnings) != 0 {
		t.Fatalf("spans=%d warnings=%v", len(got[0].Spans), got[0].Warnings)
	}
}

func TestAssemblerGroupsTracesAndOrdersSpans(t *testing.T) {
	a := newAssembler(100)
	c := chunkOf(0, 2, 10, 2)
	// Out-of-order spans within a trace come back sorted by start.
	c.Spans[0].StartTime, c.Spans[1].StartTime = c.Spans[1].StartTime, c.Spans[0].StartTime
	a.add(chunkOf(0, 1, 1, 2))
	a.add(c)
	a.add(chunkOf(0, 1, 3, 1))
	got := a.result("")
	if len(got) != 2 {
		t.Fatalf("want 2 traces, got %d", len(got))
	}
	if got[0].TraceID != formatTraceID(model.NewTraceID(0, 1)) || len(got[0].Spans) != 3 {
		t.Errorf("first trace = %s with %d spans", got[0].TraceID, len(got[0].Spans))
	}
	if got[1].Spans[0].SpanID != formatSpanID(11) {
		t.Errorf("spans not sorted by start: first is %s", got[1].Spans[0].SpanID)
	}
}

func TestAssemblerDedupsSpanWarnings(t *testing.T) {
	a := newAssembler(10)
	c := chunkOf(0, 1, 1, 1)
	c.Spans[0].Warnings = []string{"clock skew adjusted"}
	a.add(c)
	a.add(c)
	got := a.result("")
	if len(got[0].Warnings) != 1 || !strings.Contains(got[0].Warnings[0], "clock skew adjusted") {
		t.Fatalf("warnings = %v", got[0].Warnings)
	}
}

func span(id, parent, svc, op string, startMs, durMs int, isErr bool) sources.Span {
	return sources.Span{SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
		Start: t0.Add(time.Duration(startMs) * time.Millisecond), Duration: time.Duration(durMs) * time.Millisecond, Error: isErr}
}

func TestSummarize(t *testing.T) {
	tr := sources.Trace{TraceID: "t1", Spans: []sources.Span{
		span("c", "a", "db", "SELECT", 20, 500, true),
		span("a", "", "api", "GET /x", 10, 100, false),
		span("b", "a", "cache", "GET", 5, 10, true),
		span("d", "b", "api", "inner", 30, 1, false),
	}}
	got := Summarize(tr)
	if got.TraceID != "t1" || got.SpanCount != 4 || got.ErrorCount != 2 {
		t.Errorf("ids/counts = %+v", got)
	}
	if got.RootSvc != "api" || got.RootOp != "GET /x" {
		t.Errorf("root = %s/%s, want the span without parent even if another starts earlier", got.RootSvc, got.RootOp)
	}
	if !got.Start.Equal(t0.Add(5*time.Millisecond)) || got.Duration != 515*time.Millisecond {
		t.Errorf("start/duration = %v/%v; want earliest start to latest end", got.Start, got.Duration)
	}
	if !slices.Equal(got.Services, []string{"api", "cache", "db"}) {
		t.Errorf("services = %v", got.Services)
	}
}

func TestSummarizeOrphansAndEmpty(t *testing.T) {
	partial := sources.Trace{Spans: []sources.Span{
		span("y", "x", "b", "child", 5, 1, false),
		span("x", "missing", "a", "mid", 1, 10, false),
	}}
	if got := Summarize(partial); got.RootOp != "mid" {
		t.Errorf("partial trace root = %q, want the earliest span whose parent is absent", got.RootOp)
	}
	cycle := sources.Trace{Spans: []sources.Span{
		span("p", "q", "s", "late", 9, 1, false),
		span("q", "p", "s", "early", 3, 1, false),
	}}
	if got := Summarize(cycle); got.RootOp != "early" {
		t.Errorf("cyclic trace root = %q, want the earliest span", got.RootOp)
	}
	if got := Summarize(sources.Trace{TraceID: "e"}); got.TraceID != "e" || got.SpanCount != 0 || got.RootOp != "" {
		t.Errorf("empty trace summary = %+v", got)
	}
}

func TestSortTracesNewestFirst(t *testing.T) {
	ts := []sources.Trace{
		{TraceID: "old", Spans: []sources.Span{span("1", "", "s", "o", 1, 1, false)}},
		{TraceID: "empty"},
		{TraceID: "new", Spans: []sources.Span{span("2", "", "s", "o", 50, 1, false)}},
	}
	sortTracesNewestFirst(ts)
	var ids []string
	for _, tr := range ts {
		ids = append(ids, tr.TraceID)
	}
	if !slices.Equal(ids, []string{"new", "old", "empty"}) {
		t.Fatalf("order = %v", ids)
	}
}

func TestDecodeChunkRoundTrip(t *testing.T) {
	c := chunkOf(5, 6, 1, 2)
	c.Spans[1].References = []model.SpanRef{model.NewChildOfRef(model.NewTraceID(5, 6), 1)}
	b, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	spans, err := decodeChunk(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 || spans[1].ParentSpanID != spans[0].SpanID || spans[0].Service != "svc" ||
		spans[0].TraceID != "00000000000000050000000000000006" {
		t.Fatalf("decoded = %+v", spans)
	}
	if _, err := decodeChunk([]byte{0x0a, 0xff}); err == nil {
		t.Fatal("truncated bytes decoded without error")
	}
}
