package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// bigTrace builds an n-span trace shaped like a busy request: a root
// fanning out to services that each fan out again, with overlapping calls
// and a long chain of nested spans, in arrival (not tree) order.
func bigTrace(n int) []sources.Span {
	r := rand.New(rand.NewPCG(42, 42))
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	spans := make([]sources.Span, 0, n)
	spans = append(spans, sources.Span{SpanID: "0", Service: "frontend", Operation: "GET /", Start: t0, Duration: 10 * time.Second})
	for i := 1; i < n; i++ {
		var p sources.Span
		if i%10 == 0 {
			p = spans[i-1] // deep chains
		} else {
			p = spans[r.IntN(len(spans))]
		}
		off := time.Duration(r.Int64N(int64(p.Duration) + 1))
		d := time.Duration(r.Int64N(int64(p.Duration-off) + 1))
		spans = append(spans, sources.Span{
			SpanID: fmt.Sprintf("%x", i), ParentSpanID: p.SpanID,
			Service: fmt.Sprintf("svc-%d", i%17), Operation: "op",
			Start: p.Start.Add(off), Duration: d,
		})
	}
	r.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
	return spans
}

// BenchmarkCriticalPath50k is the target: ≤ 50 ms per 50k-span
// trace.
func BenchmarkCriticalPath50k(b *testing.B) {
	spans := bigTrace(50_000)
	b.ReportAllocs()
	for b.Loop() {
		if len(CriticalPath(spans)) == 0 {
			b.Fatal("empty path")
		}
	}
}

// BenchmarkCriticalServices50k measures the services summary on the same
// trace.
func BenchmarkCriticalServices50k(b *testing.B) {
	spans := bigTrace(50_000)
	b.ReportAllocs()
	for b.Loop() {
		if len(CriticalServices(spans)) == 0 {
			b.Fatal("no services")
		}
	}
}
