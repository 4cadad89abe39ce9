package jaeger

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	model "github.com/jaegertracing/jaeger-idl/model/v1"
	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"

	"github.com/reltui/reltui/sources"
)

// FuzzDecodeChunk feeds arbitrary bytes where a SpansResponseChunk from the
// server is expected. Decoding may fail, but must never panic, and whatever
// it produces must be safe to render.
func FuzzDecodeChunk(f *testing.F) {
	seed := api_v2.SpansResponseChunk{Spans: []model.Span{{
		TraceID:       model.NewTraceID(1, 2),
		SpanID:        3,
		OperationName: "op\x1b[31m",
		References:    []model.SpanRef{model.NewChildOfRef(model.NewTraceID(1, 2), 4)},
		StartTime:     time.Unix(1700000000, 0),
		Duration:      time.Second,
		Tags:          []model.KeyValue{model.Bool("error", true), model.Binary("b", []byte{1, 2}), {Key: "bad", VType: 42}},
		Logs:          []model.Log{{Timestamp: time.Unix(1700000001, 0), Fields: []model.KeyValue{model.String("event", "x")}}},
		Process:       model.NewProcess("svc", []model.KeyValue{model.Float64("f", 1.5)}),
		Warnings:      []string{"w"},
	}}}
	b, err := seed.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x00})
	f.Add([]byte{0x0a, 0x05, 0x0a, 0x03, 0x01, 0x02, 0x03}) // trace id of a bad length
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"))

	f.Fuzz(func(t *testing.T, data []byte) {
		spans, err := decodeChunk(data)
		if err != nil {
			return
		}
		for _, s := range spans {
			if len(s.TraceID) != 32 || len(s.SpanID) != 16 {
				t.Fatalf("id lengths: %q %q", s.TraceID, s.SpanID)
			}
			if s.ParentSpanID != "" && len(s.ParentSpanID) != 16 {
				t.Fatalf("parent id %q", s.ParentSpanID)
			}
			if s.Duration < 0 {
				t.Fatalf("negative duration %v", s.Duration)
			}
			texts := []string{s.Operation, s.Service}
			kvs := append(append([]sources.KV{}, s.Tags...), s.Process...)
			for _, e := range s.Events {
				kvs = append(kvs, e.Fields...)
			}
			for _, kv := range kvs {
				texts = append(texts, kv.Key, kv.Value)
			}
			for _, txt := range texts {
				if !utf8.ValidString(txt) || strings.ContainsRune(txt, 0x1b) {
					t.Fatalf("unsafe text after decode: %q", txt)
				}
			}
		}
		_ = Summarize(sources.Trace{Spans: spans})
	})
}
