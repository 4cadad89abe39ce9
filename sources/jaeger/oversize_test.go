package jaeger

import (
	"context"
	"strings"
	"testing"

	model "github.com/jaegertracing/jaeger-idl/model/v1"
	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"
)

// A real Jaeger splits traces into chunks of ten spans, so only spans
// with huge tags or logs make one message too big; the fake sends one
// such chunk after normal ones.

func oversizeChunk(hi, lo uint64, first int) *api_v2.SpansResponseChunk {
	c := chunkOf(hi, lo, first, 1)
	c.Spans[0].Tags = []model.KeyValue{model.String("big", strings.Repeat("y", 64<<10))}
	return c
}

func TestOversizeMessageAfterSpansTruncatesTrace(t *testing.T) {
	f := &fakeQuery{getTrace: func(r *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
		for first := 1; first <= 21; first += 10 {
			if err := s.Send(chunkOf(r.TraceID.High, r.TraceID.Low, first, 10)); err != nil {
				return err
			}
		}
		if err := s.Send(oversizeChunk(r.TraceID.High, r.TraceID.Low, 31)); err != nil {
			return err
		}
		return s.Send(chunkOf(r.TraceID.High, r.TraceID.Low, 32, 10))
	}}
	c := newClient(t, Config{Address: serve(t, f), MaxMessageBytes: 16 << 10})
	tr, err := c.GetTrace(context.Background(), "1")
	if err != nil {
		t.Fatalf("a trace cut by an oversize message must come back truncated, got %v", err)
	}
	if len(tr.Spans) != 30 {
		t.Errorf("got %d spans, want the 30 before the oversize message", len(tr.Spans))
	}
	if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], "16 KiB limit") ||
		!strings.Contains(tr.Warnings[0], "showing the first 30") {
		t.Errorf("warnings = %q", tr.Warnings)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("a truncated answer was retried: %d calls", n)
	}
}

func TestOversizeMessageCutsSearchResults(t *testing.T) {
	f := &fakeQuery{findTraces: func(r *api_v2.FindTracesRequest, s api_v2.QueryService_FindTracesServer) error {
		if err := s.Send(chunkOf(0, 1, 1, 10)); err != nil {
			return err
		}
		if err := s.Send(chunkOf(0, 2, 100, 5)); err != nil {
			return err
		}
		return s.Send(oversizeChunk(0, 2, 200))
	}}
	c := newClient(t, Config{Address: serve(t, f), MaxMessageBytes: 16 << 10})
	traces, err := c.FindTraces(context.Background(), FindQuery{Service: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 2 {
		t.Fatalf("%d traces, want 2", len(traces))
	}
	for _, tr := range traces {
		cut := tr.TraceID == formatTraceID(model.NewTraceID(0, 2))
		if cut != (len(tr.Warnings) == 1) || cut && !strings.Contains(tr.Warnings[0], "showing the first 15") {
			t.Errorf("trace %s (cut %v): warnings %q", tr.TraceID, cut, tr.Warnings)
		}
	}
}
