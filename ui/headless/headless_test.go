package headless

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestLogWriterFormats(t *testing.T) {
	entries := []sources.LogEntry{
		{Time: t0, Labels: map[string]string{"service": "payments", "level": "error"}, Line: "boom \x1b[31mred\x1b[0m", Metadata: map[string]string{"trace_id": "abc"}},
		{Time: t0.Add(time.Second), Labels: map[string]string{"service": "payments"}, Line: "ok"},
	}
	var text, js, jsl bytes.Buffer
	for f, buf := range map[Format]*bytes.Buffer{Text: &text, JSON: &js, JSONL: &jsl} {
		w := NewLogWriter(buf, f)
		if err := w.Write(entries); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if w.Count() != 2 {
			t.Fatalf("%s count %d", f, w.Count())
		}
	}
	if strings.Contains(text.String(), "\x1b") {
		t.Fatalf("escape reached text output: %q", text.String())
	}
	if !strings.HasPrefix(text.String(), `2026-11-22T10:00:00Z {level="error", service="payments"} boom red`) {
		t.Fatalf("text = %q", text.String())
	}
	var arr []LogLine
	if err := json.Unmarshal(js.Bytes(), &arr); err != nil || len(arr) != 2 || arr[0].Metadata["trace_id"] != "abc" || arr[0].Line != entries[0].Line {
		t.Fatalf("json = %s (%v)", js.String(), err)
	}
	lines := strings.Split(strings.TrimSpace(jsl.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("jsonl lines = %d", len(lines))
	}
	var one map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &one); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"time", "labels", "line"} {
		if _, ok := one[k]; !ok {
			t.Fatalf("jsonl line lacks %q: %s", k, lines[1])
		}
	}
	if _, ok := one["metadata"]; ok {
		t.Fatal("empty metadata should be omitted")
	}
}

func TestWriteSeriesJSONShape(t *testing.T) {
	series := []sources.Series{{Labels: map[string]string{"service": "a"}, Samples: []sources.Sample{{Time: t0, Value: 1.5}, {Time: t0.Add(time.Minute), Value: math.NaN()}}}}
	var buf bytes.Buffer
	if err := WriteSeries(&buf, JSON, series); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Labels  map[string]string `json:"labels"`
		Samples [][2]any          `json:"samples"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Samples[0][0].(float64) != float64(t0.Unix()) || got[0].Samples[0][1].(float64) != 1.5 || got[0].Samples[1][1] != nil {
		t.Fatalf("series = %s", buf.String())
	}
	buf.Reset()
	if err := WriteSeries(&buf, Text, nil); err != nil || buf.String() != "no data\n" {
		t.Fatalf("empty text = %q", buf.String())
	}
}

func TestWriteTrace(t *testing.T) {
	tr := &sources.Trace{TraceID: "t1", Spans: []sources.Span{
		{SpanID: "b", ParentSpanID: "a", Service: "payments", Operation: "charge", Start: t0.Add(10 * time.Millisecond), Duration: 5 * time.Millisecond, Error: true, Tags: []sources.KV{{Key: "k", Value: "v"}}},
		{SpanID: "a", Service: "frontend\x1b[2J", Operation: "GET /", Start: t0, Duration: 20 * time.Millisecond},
	}}
	var buf bytes.Buffer
	if err := WriteTrace(&buf, JSON, tr); err != nil {
		t.Fatal(err)
	}
	var doc TraceJSON
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.TraceID != "t1" || len(doc.Spans) != 2 || doc.Spans[0].SpanID != "a" || doc.Spans[1].Tags["k"] != "v" || !doc.Spans[1].Error || doc.Warnings == nil || doc.Spans[1].DurationUS != 5000 {
		t.Fatalf("doc = %+v", doc)
	}
	buf.Reset()
	if err := WriteTrace(&buf, Text, tr); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b") || !strings.Contains(out, "    payments: charge") || !strings.Contains(out, "! ") {
		t.Fatalf("text trace:\n%s", out)
	}
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"text", "json", "jsonl"} {
		if _, err := ParseFormat(ok); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Fatal("yaml accepted")
	}
}
