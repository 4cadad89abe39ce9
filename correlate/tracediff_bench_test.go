package correlate

import (
	"testing"

	"github.com/reltui/reltui/sources"
)

// BenchmarkDiff50k diffs two 50k-span traces of the same shape: the
// baseline is the slow trace with every span 10% shorter and every
// hundredth span (with its subtree, as a missing parent) gone. The issue's
// target is ≤ 100 ms.
func BenchmarkDiff50k(b *testing.B) {
	slow := sources.Trace{TraceID: "slow", Spans: bigTrace(50_000)}
	base := sources.Trace{TraceID: "base"}
	for i, s := range slow.Spans {
		if i%100 == 7 && s.ParentSpanID != "" {
			continue
		}
		s.Duration = s.Duration * 9 / 10
		base.Spans = append(base.Spans, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := Diff(slow, base); len(d.Rows) < len(slow.Spans) {
			b.Fatalf("%d rows", len(d.Rows))
		}
	}
}
