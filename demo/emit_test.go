package demo

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/logpush"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/demo/shop"
)

// rig is an emitter wired to in-memory sinks. Each service still gets its
// own TracerProvider, so a parent link between services can only come
// from the propagated headers.
type rig struct {
	e        *emitter
	recorder *tracetest.SpanRecorder
	mu       sync.Mutex
	entries  []logpush.Entry
	metrics  *meter.Registry
	topic    *topic
	count    *counters
	rng      *rand.Rand // draws the requests; the emitter has its own
}

func newRig(t *testing.T, seed uint64) *rig {
	t.Helper()
	r := &rig{recorder: tracetest.NewSpanRecorder(), topic: newTopic(shop.Partitions), count: &counters{}, rng: rand.New(rand.NewPCG(seed, 2))}
	r.metrics = meter.New(shop.Buckets(), promwrite.Label{Name: "env", Value: "test"})
	tracers := map[string]trace.Tracer{}
	for _, svc := range tracedServices() {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.recorder),
			sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", svc))))
		t.Cleanup(func() { tp.Shutdown(context.Background()) })
		tracers[svc] = tp.Tracer(svc)
	}
	r.e = newEmitter("test", rand.New(rand.NewPCG(seed, 9)), tracers, func(e logpush.Entry) {
		r.mu.Lock()
		r.entries = append(r.entries, e)
		r.mu.Unlock()
	}, r.metrics, r.topic, r.count)
	return r
}

// run emits n requests under c, one every 200ms of simulated time.
func (r *rig) run(n int, c shop.Conditions, from time.Time) time.Time {
	t := from
	for range n {
		t = t.Add(200 * time.Millisecond)
		q := shop.Sample(r.rng, c)
		r.e.request(t, &q, newRequestID(r.rng))
	}
	return t
}

var start = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func TestTraceContextCrossesEveryBoundary(t *testing.T) {
	r := newRig(t, 1)
	c := newConsumer(newEmitterFrom(r, 3), mustBoard(t))
	// The consumer runs as the requests arrive, as it does live, so a
	// record is often consumed within milliseconds of being produced.
	now := start
	for range 300 {
		now = r.run(1, shop.Conditions{PaymentsFail: 0.3}, now)
		c.step(now)
	}
	c.step(now.Add(time.Minute))

	spans := r.recorder.Ended()
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s
	}
	svc := func(s sdktrace.ReadOnlySpan) string {
		for _, kv := range s.Resource().Attributes() {
			if kv.Key == "service.name" {
				return kv.Value.AsString()
			}
		}
		return s.InstrumentationScope().Name
	}
	type edge struct{ parent, child string }
	seen := map[edge]int{}
	roots := 0
	for _, s := range spans {
		if !s.Parent().IsValid() {
			roots++
			if svc(s) != shop.Frontend || s.SpanKind() != trace.SpanKindServer {
				t.Fatalf("root span %q of %s", s.Name(), svc(s))
			}
			continue
		}
		p, ok := byID[s.Parent().SpanID()]
		if !ok {
			t.Fatalf("span %q (%s) has a parent that was never recorded", s.Name(), svc(s))
		}
		if p.SpanContext().TraceID() != s.SpanContext().TraceID() {
			t.Fatalf("span %q changed trace id", s.Name())
		}
		if !s.Parent().IsRemote() && svc(p) != svc(s) {
			t.Fatalf("%s span %q has a local parent in %s", svc(s), s.Name(), svc(p))
		}
		if s.StartTime().Before(p.StartTime()) {
			t.Fatalf("%s span %q starts before its parent %q", svc(s), s.Name(), p.Name())
		}
		if s.SpanKind() == trace.SpanKindConsumer && s.StartTime().Before(p.EndTime()) {
			t.Fatalf("consumer span starts before the produce call ended")
		}
		if svc(p) != svc(s) {
			seen[edge{svc(p), svc(s)}]++
			if !s.Parent().IsRemote() {
				t.Fatalf("cross-service parent of %q is not remote", s.Name())
			}
		}
	}
	if roots != 300 {
		t.Fatalf("%d root spans, want one per request", roots)
	}
	for _, e := range []edge{
		{shop.Frontend, shop.Checkout}, {shop.Checkout, shop.Inventory},
		{shop.Checkout, shop.Payments}, {shop.Checkout, shop.Orders},
	} {
		if seen[e] == 0 {
			t.Errorf("no %s -> %s span link", e.parent, e.child)
		}
	}
}

// newEmitterFrom makes a second emitter on the rig's sinks, as the
// consumer goroutine has.
func newEmitterFrom(r *rig, seed uint64) *emitter {
	return newEmitter("test", rand.New(rand.NewPCG(seed, 9)), r.e.tracers, r.e.logs, r.metrics, r.topic, r.count)
}

func TestSpanAttributesAndErrors(t *testing.T) {
	r := newRig(t, 2)
	r.run(400, shop.Conditions{PaymentsFail: 0.3}, start)
	var frontends, failedPayments int
	for _, s := range r.recorder.Ended() {
		attrs := map[string]string{}
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.Emit()
		}
		if s.SpanKind() != trace.SpanKindServer {
			continue
		}
		if attrs["http.route"] == "" || attrs["http.status_code"] == "" {
			t.Fatalf("server span %q lacks http.route/http.status_code: %v", s.Name(), attrs)
		}
		if s.Name() == "POST /api/checkout" {
			frontends++
			if !regexp.MustCompile(`^req-[0-9a-f]{12}$`).MatchString(attrs["request_id"]) {
				t.Fatalf("frontend request_id %q", attrs["request_id"])
			}
		}
		if attrs["http.status_code"] >= "500" {
			if s.Status().Code.String() != "Error" {
				t.Fatalf("%q answered %s without error status", s.Name(), attrs["http.status_code"])
			}
			if !slices.ContainsFunc(s.Events(), func(e sdktrace.Event) bool { return e.Name == "exception" }) {
				t.Fatalf("%q failed without an exception event", s.Name())
			}
			if s.Name() == "POST /v1/charge" {
				failedPayments++
			}
		}
	}
	if frontends != 400 {
		t.Fatalf("%d frontend spans", frontends)
	}
	if failedPayments < 60 || failedPayments > 200 {
		t.Fatalf("%d failed payment spans out of ~400+, want about 30%%", failedPayments)
	}
}

var (
	hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
	hex16 = regexp.MustCompile(`^[0-9a-f]{16}$`)
	logfK = regexp.MustCompile(`(\w+)=("(?:[^"\\]|\\.)*"|\S*)`)
)

func TestLogPayloadShape(t *testing.T) {
	r := newRig(t, 3)
	end := r.run(200, shop.Conditions{PaymentsFail: 0.2, PaymentsSlow: 0.2}, start)
	c := newConsumer(newEmitterFrom(r, 4), mustBoard(t))
	for i := range 240 {
		c.step(end.Add(time.Duration(i) * 250 * time.Millisecond))
	}

	body, err := logpush.Marshal(r.entries)
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Streams []struct {
			Stream map[string]string   `json:"stream"`
			Values [][]json.RawMessage `json:"values"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	traceIDs := map[string]bool{}
	for _, s := range r.recorder.Ended() {
		traceIDs[s.SpanContext().TraceID().String()] = true
	}
	perService := map[string]int{}
	levels := map[string]bool{}
	for _, st := range req.Streams {
		if len(st.Stream) != 3 || st.Stream["service"] == "" || st.Stream["level"] == "" || st.Stream["env"] != "test" {
			t.Fatalf("stream labels %v, want exactly service, level, env", st.Stream)
		}
		svc := st.Stream["service"]
		levels[st.Stream["level"]] = true
		for _, v := range st.Values {
			perService[svc]++
			var ns, line string
			json.Unmarshal(v[0], &ns)
			json.Unmarshal(v[1], &line)
			if len(ns) < 19 {
				t.Fatalf("timestamp %q is not nanoseconds", ns)
			}
			var fields map[string]any
			switch svc {
			case shop.Frontend, shop.Checkout, shop.Orders:
				if err := json.Unmarshal([]byte(line), &fields); err != nil {
					t.Fatalf("%s line is not JSON: %q", svc, line)
				}
			default:
				fields = map[string]any{}
				for _, m := range logfK.FindAllStringSubmatch(line, -1) {
					fields[m[1]] = strings.Trim(m[2], `"`)
				}
				if fields["msg"] == nil || fields["level"] != st.Stream["level"] {
					t.Fatalf("%s line is not logfmt with msg and level: %q", svc, line)
				}
			}
			reqID, _ := fields["request_id"].(string)
			if !strings.HasPrefix(reqID, "req-") {
				t.Fatalf("%s line without request_id: %q", svc, line)
			}
			traceID, spanID := fields["trace_id"], fields["span_id"]
			if svc == shop.Inventory {
				if len(v) != 3 {
					t.Fatalf("inventory value without structured metadata: %s", v)
				}
				var md map[string]string
				json.Unmarshal(v[2], &md)
				if strings.Contains(line, md["trace_id"]) || traceID != nil || spanID != nil {
					t.Fatalf("inventory line carries trace ids in its text: %q", line)
				}
				traceID, spanID = md["trace_id"], md["span_id"]
			} else if len(v) != 2 {
				t.Fatalf("%s value has structured metadata: %s", svc, v)
			}
			tid, _ := traceID.(string)
			sid, _ := spanID.(string)
			if !hex32.MatchString(tid) || !hex16.MatchString(sid) {
				t.Fatalf("%s ids trace=%v span=%v", svc, traceID, spanID)
			}
			if tid == reqID || strings.Contains(tid, strings.TrimPrefix(reqID, "req-")) {
				t.Fatalf("request_id %s is derived from trace id %s", reqID, tid)
			}
			if !traceIDs[tid] {
				t.Fatalf("%s log points at unknown trace %s", svc, tid)
			}
		}
	}
	for _, svc := range tracedServices() {
		if perService[svc] < 100 {
			t.Errorf("%s: only %d lines", svc, perService[svc])
		}
	}
	for _, l := range []string{"debug", "info", "warn", "error"} {
		if !levels[l] {
			t.Errorf("no %s lines", l)
		}
	}
}

func mustBoard(t *testing.T) *fault.Board {
	b, err := fault.NewBoard(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLatencyFaultShowsInHistogram(t *testing.T) {
	p99 := func(c shop.Conditions) float64 {
		r := newRig(t, 5)
		r.run(500, c, start)
		ss := r.metrics.Snapshot(0)
		// Share of payment attempts slower than 1s.
		var le1, all float64
		for _, s := range ss {
			var name, svc, le string
			for _, l := range s.Labels {
				switch l.Name {
				case "__name__":
					name = l.Value
				case "service":
					svc = l.Value
				case "le":
					le = l.Value
				}
			}
			if name == "http_request_duration_seconds_bucket" && svc == shop.Payments {
				switch le {
				case "1":
					le1 = s.Samples[0].Value
				case "+Inf":
					all = s.Samples[0].Value
				}
				for _, ex := range s.Exemplars {
					if len(ex.Labels) != 2 || ex.Labels[0].Name != "trace_id" || !hex32.MatchString(ex.Labels[0].Value) {
						t.Fatalf("exemplar labels %v", ex.Labels)
					}
				}
			}
		}
		return 1 - le1/all
	}
	if slow := p99(shop.Conditions{}); slow > 0.01 {
		t.Fatalf("healthy: %.3f of payments over 1s", slow)
	}
	if slow := p99(conditions(func(k fault.Kind) bool { return k == fault.Latency })); slow < 0.3 {
		t.Fatalf("latency fault: only %.3f of payments over 1s", slow)
	}
}

func TestConsumerStallGrowsLag(t *testing.T) {
	r := newRig(t, 6)
	board := mustBoard(t)
	c := newConsumer(newEmitterFrom(r, 7), board)
	rng := rand.New(rand.NewPCG(3, 4))
	now := start
	lag := func() (total int64, committed int64) {
		for _, p := range r.topic.status() {
			total += p.Lag
			committed += p.Committed
		}
		return
	}
	// Five orders a second, consumer stepping every 250ms.
	tick := func(d time.Duration) {
		for end := now.Add(d); now.Before(end); {
			now = now.Add(250 * time.Millisecond)
			for range 1 + rng.IntN(2) {
				q := shop.Sample(rng, shop.Conditions{})
				r.e.request(now, &q, newRequestID(rng))
			}
			c.step(now)
		}
	}
	tick(30 * time.Second)
	if l, _ := lag(); l > 10 {
		t.Fatalf("healthy lag %d", l)
	}
	board.Inject(fault.Stall, now, 2*time.Minute)
	_, before := lag()
	tick(2*time.Minute - time.Second)
	l, after := lag()
	if after != before {
		t.Fatalf("committed offsets moved during stall: %d -> %d", before, after)
	}
	if l < 400 {
		t.Fatalf("lag after a 2 minute stall is %d, want it to grow with production (~600)", l)
	}
	var warns, errs int
	for _, e := range r.entries {
		if e.Labels["service"] == shop.Orders {
			switch e.Labels["level"] {
			case "warn":
				warns++
			case "error":
				errs++
			}
		}
	}
	if warns == 0 || errs == 0 {
		t.Fatalf("stall logged %d warnings and %d errors", warns, errs)
	}
	tick(time.Second + 3*time.Minute)
	if l, _ := lag(); l > 10 {
		t.Fatalf("lag %d three minutes after the stall ended", l)
	}
}

func TestTopicRetentionBoundsBacklog(t *testing.T) {
	tp := newTopic(1)
	for i := range topicRetention + 10 {
		tp.produce("k", nil, start.Add(time.Duration(i)))
	}
	if n := len(tp.parts[0].msgs); n != topicRetention {
		t.Fatalf("kept %d messages", n)
	}
	msgs, skipped := tp.fetch(0, 1)
	if skipped != 10 || msgs[0].offset != 10 {
		t.Fatalf("fetch after retention: skipped %d, first offset %d", skipped, msgs[0].offset)
	}
}
