package correlate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func span(trace, id, parent, svc, op string, startMS, durMS int) sources.Span {
	return sources.Span{TraceID: trace, SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
		Start: t0.Add(time.Duration(startMS) * time.Millisecond), Duration: time.Duration(durMS) * time.Millisecond}
}

func logAt(ms int, svc, trace, spanID, line string) Log {
	return Log{Time: t0.Add(time.Duration(ms) * time.Millisecond), Service: svc, Line: line, Level: "info",
		Fields: Fields{TraceID: trace, SpanID: spanID}}
}

func TestJoin(t *testing.T) {
	const tr = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	spans := []sources.Span{
		span(tr, "0000000000000003", "0000000000000002", "payments", "charge", 20, 30),
		span(tr, "0000000000000001", "", "frontend", "GET /", 0, 100),
		span(tr, "0000000000000002", "0000000000000001", "checkout", "POST /checkout", 10, 80),
		span(tr, "0000000000000004", "0000000000000002", "checkout", "db", 60, 10),
	}
	logs := []Log{
		logAt(25, "payments", tr, "0000000000000003", "by span id"),
		logAt(65, "checkout", tr, "", "inside db span, no span id"),
		logAt(15, "checkout", "", "", "no ids at all, inside checkout"),
		logAt(5, "gateway", tr, "", "service not in trace"),
		logAt(500, "checkout", tr, "", "after everything"),
		logAt(30, "payments", tr, "ffffffffffffffff", "unknown span id falls back"),
	}
	j := Join(spans, logs)
	want := map[string]struct {
		op  string
		how Match
	}{
		"by span id":                     {"charge", MatchSpanID},
		"inside db span, no span id":     {"db", MatchServiceTime},
		"no ids at all, inside checkout": {"POST /checkout", MatchServiceTime},
		"service not in trace":           {"GET /", MatchTraceTime},
		"after everything":               {"", MatchNone},
		"unknown span id falls back":     {"charge", MatchServiceTime},
	}
	for i, l := range j.Logs {
		w := want[l.Line]
		op := ""
		if j.SpanOf[i] >= 0 {
			op = j.Spans[j.SpanOf[i]].Operation
		}
		if op != w.op || j.How[i] != w.how {
			t.Errorf("%q joined %q by %v, want %q by %v", l.Line, op, j.How[i], w.op, w.how)
		}
	}
	// Groups: services in order of first appearance; each in time order.
	wantSvcs := []string{"frontend", "gateway", "checkout", "payments"}
	if fmt.Sprint(j.Services) != fmt.Sprint(wantSvcs) {
		t.Fatalf("services %v, want %v", j.Services, wantSvcs)
	}
	if len(j.Timeline) != len(spans)+len(logs) {
		t.Fatalf("timeline has %d items, want %d", len(j.Timeline), len(spans)+len(logs))
	}
	for g := range j.Services {
		items := j.Group(g)
		for k, it := range items {
			if j.Services[it.Svc] != j.Services[g] {
				t.Errorf("group %s holds an item of %s", j.Services[g], j.Services[it.Svc])
			}
			if k > 0 && it.Nanos < items[k-1].Nanos {
				t.Errorf("group %s is not in time order at %d", j.Services[g], k)
			}
		}
	}
	checkout := j.Group(2)
	var kinds string
	for _, it := range checkout {
		kinds += it.Kind.String()[:1]
	}
	if kinds != "slsll" {
		t.Errorf("checkout group kinds %q, want spans and logs interleaved in time: slsll", kinds)
	}
}

// benchData builds nSpans spans in traces of 10 over 5 services and nLogs
// lines written inside them: 60% carry the span id, 30% only the trace id,
// 10% no id at all.
func benchData(nSpans, nLogs int) ([]sources.Span, []Log) {
	rng := rand.New(rand.NewPCG(1, 2))
	svcs := []string{"frontend", "checkout", "payments", "inventory", "orders"}
	spans := make([]sources.Span, nSpans)
	for i := range spans {
		tr := fmt.Sprintf("%032x", i/10+1)
		start := t0.Add(time.Duration(i/10)*time.Second + time.Duration(i%10)*5*time.Millisecond)
		spans[i] = sources.Span{TraceID: tr, SpanID: fmt.Sprintf("%016x", i+1), Service: svcs[i%10%5],
			Operation: "op", Start: start, Duration: time.Duration(50-i%10*4) * time.Millisecond}
	}
	logs := make([]Log, nLogs)
	for i := range logs {
		sp := &spans[rng.IntN(nSpans)]
		l := Log{Time: sp.Start.Add(time.Duration(rng.Int64N(int64(sp.Duration)))), Service: sp.Service, Level: "info", Line: "line"}
		switch r := rng.IntN(10); {
		case r < 6:
			l.TraceID, l.SpanID = sp.TraceID, sp.SpanID
		case r < 9:
			l.TraceID = sp.TraceID
		}
		logs[i] = l
	}
	return spans, logs
}

// asLokiReturnsThem puts logs into the order the resolver gets them in:
// a few query results, each newest first, one after another.
func asLokiReturnsThem(logs []Log, runs int) {
	slices.SortFunc(logs, func(a, b Log) int { return b.Time.Compare(a.Time) })
	rng := rand.New(rand.NewPCG(3, 4))
	parts := make([][]Log, runs)
	for _, l := range logs {
		k := rng.IntN(runs)
		parts[k] = append(parts[k], l)
	}
	logs = logs[:0]
	for _, p := range parts {
		logs = append(logs, p...)
	}
}

// BenchmarkJoin joins n lines with 100k spans. "loki" orders the input as
// the resolver gets it (spans trace by trace, lines as four query results
// newest first); "shuffled" is the worst case, both in random order.
func BenchmarkJoin(b *testing.B) {
	type tc struct {
		n     int
		order string
	}
	for _, c := range []tc{{10_000, "loki"}, {100_000, "loki"}, {1_000_000, "loki"}, {1_000_000, "shuffled"}} {
		n := c.n
		b.Run(fmt.Sprintf("logs=%d/spans=100k/%s", n, c.order), func(b *testing.B) {
			spans, logs := benchData(100_000, n)
			if c.order == "loki" {
				asLokiReturnsThem(logs, 4)
			} else {
				rng := rand.New(rand.NewPCG(5, 6))
				rng.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
				rng.Shuffle(len(logs), func(i, j int) { logs[i], logs[j] = logs[j], logs[i] })
			}
			sp := make([]sources.Span, len(spans))
			lg := make([]Log, len(logs))
			b.ReportAllocs()
			b.ResetTimer()
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				copy(sp, spans)
				copy(lg, logs)
				c0 := cpuTime()
				b.StartTimer()
				j := Join(sp, lg)
				b.StopTimer()
				cpu += cpuTime() - c0
				b.StartTimer()
				if len(j.Timeline) != len(spans)+len(logs) {
					b.Fatal("short timeline")
				}
			}
			// The wall time is at the mercy of whatever else the machine
			// runs; the process CPU time (GC included) is not.
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkExtract(b *testing.B) {
	x := DefaultExtractor()
	lines := []sources.LogEntry{
		{Line: `{"ts":"2026-11-22T07:44:43.369456Z","level":"info","msg":"request completed","service":"frontend","method":"POST","route":"/api/checkout","status":200,"duration_ms":66.1,"user_id":"u-12116","request_id":"req-e40849d5669c","trace_id":"807ab51aebce4c7a2deedf2f0bfaf0f2","span_id":"44c57f89a22c0d5f"}`,
			Labels: map[string]string{"service": "frontend", "level": "info", "env": "demo"}},
		{Line: `ts=2026-11-22T07:44:43.321401Z level=info msg="stock reserved" sku=SKU-1221 qty=3 warehouse=ams-1 remaining=392 request_id=req-e40849d5669c`,
			Labels: map[string]string{"service": "inventory", "level": "info", "env": "demo"}, Metadata: map[string]string{"trace_id": "807ab51aebce4c7a2deedf2f0bfaf0f2", "span_id": "61e29d1992c537bb"}},
	}
	b.ReportAllocs()
	for i := range b.N {
		if f := x.Extract(lines[i%2]); f.TraceID == "" {
			b.Fatal("no trace id")
		}
	}
}
