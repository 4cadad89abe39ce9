//go:build integration

package jaeger

// Against the dev stack's real Jaeger: the test sends its own trace over
// OTLP/HTTP, with ids, times and a unique service name it chose, then reads
// it back through api_v2 and checks every field against what it sent.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
)

func randBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func strAttr(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func intAttr(k string, v int64) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}}
}

// sent describes the trace the test pushed, in the terms it is checked in.
type sent struct {
	traceID, rootID, childID, errID string
	svc, dbSvc, requestID           string
	rootOp, childOp, errOp          string
	rootStart                       time.Time
	rootDur                         time.Duration
}

func pushTrace(t *testing.T, otlpHTTP string) sent {
	t.Helper()
	tid, rootID, childID, errID := randBytes(t, 16), randBytes(t, 8), randBytes(t, 8), randBytes(t, 8)
	run := hex.EncodeToString(randBytes(t, 4))
	s := sent{
		traceID: hex.EncodeToString(tid), rootID: hex.EncodeToString(rootID),
		childID: hex.EncodeToString(childID), errID: hex.EncodeToString(errID),
		svc: "reltui-it-" + run, dbSvc: "reltui-it-" + run + "-db", requestID: "req-" + run,
		rootOp: "GET /checkout", childOp: "call inventory", errOp: "SELECT orders",
		// Whole microseconds: Jaeger's model keeps microsecond precision.
		rootStart: time.Now().Add(-3 * time.Second).Truncate(time.Millisecond),
		rootDur:   300 * time.Millisecond,
	}
	ns := func(tm time.Time) uint64 { return uint64(tm.UnixNano()) }
	root := &tracepb.Span{
		TraceId: tid, SpanId: rootID, Name: s.rootOp, Kind: tracepb.Span_SPAN_KIND_SERVER,
		StartTimeUnixNano: ns(s.rootStart), EndTimeUnixNano: ns(s.rootStart.Add(s.rootDur)),
		Attributes: []*commonpb.KeyValue{strAttr("request_id", s.requestID), strAttr("http.method", "GET")},
	}
	child := &tracepb.Span{
		TraceId: tid, SpanId: childID, ParentSpanId: rootID, Name: s.childOp, Kind: tracepb.Span_SPAN_KIND_CLIENT,
		StartTimeUnixNano: ns(s.rootStart.Add(10 * time.Millisecond)), EndTimeUnixNano: ns(s.rootStart.Add(110 * time.Millisecond)),
		Attributes: []*commonpb.KeyValue{intAttr("http.status_code", 200)},
	}
	errSpan := &tracepb.Span{
		TraceId: tid, SpanId: errID, ParentSpanId: rootID, Name: s.errOp, Kind: tracepb.Span_SPAN_KIND_CLIENT,
		StartTimeUnixNano: ns(s.rootStart.Add(150 * time.Millisecond)), EndTimeUnixNano: ns(s.rootStart.Add(270 * time.Millisecond)),
		Attributes: []*commonpb.KeyValue{strAttr("db.system", "postgresql")},
		Events: []*tracepb.Span_Event{{
			TimeUnixNano: ns(s.rootStart.Add(200 * time.Millisecond)), Name: "retrying",
			Attributes: []*commonpb.KeyValue{intAttr("attempt", 2)},
		}},
		Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "deadlock detected"},
	}
	scope := &commonpb.InstrumentationScope{Name: "reltui-integration"}
	req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		{
			Resource:   &resourcepb.Resource{Attributes: []*commonpb.KeyValue{strAttr("service.name", s.svc), strAttr("host.name", "it-host")}},
			ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: []*tracepb.Span{root, child}}},
		},
		{
			Resource:   &resourcepb.Resource{Attributes: []*commonpb.KeyValue{strAttr("service.name", s.dbSvc)}},
			ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: []*tracepb.Span{errSpan}}},
		},
	}}
	body, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimRight(otlpHTTP, "/") + "/v1/traces"
	hreq, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hreq.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(hreq)
	if err != nil {
		t.Fatalf("OTLP push to %s: %v", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("OTLP push to %s: HTTP %d", url, resp.StatusCode)
	}
	return s
}

// waitTrace polls GetTrace until all want spans are there or 20 s pass.
func waitTrace(t *testing.T, c *Client, id string, want int) *sources.Trace {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		tr, err := c.GetTrace(ctx, id)
		cancel()
		if err == nil && len(tr.Spans) >= want {
			return tr
		}
		lastErr = err
		if err == nil {
			lastErr = fmt.Errorf("only %d of %d spans so far", len(tr.Spans), want)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("trace %s not readable within 20s: %v", id, lastErr)
	return nil
}

func tagValue(kvs []sources.KV, key string) (string, bool) {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

func traceIDs(ts []sources.Trace) []string {
	var out []string
	for _, tr := range ts {
		out = append(out, tr.TraceID)
	}
	return out
}

func TestIntegrationJaeger(t *testing.T) {
	st := stacktest.Require(t)
	if st.JaegerGRPC == "" || st.OTLPHTTP == "" {
		t.Fatalf("stack.env lacks RELTUI_JAEGER_GRPC or RELTUI_OTLP_HTTP_URL: %+v", st)
	}
	c, err := New(Config{Address: st.JaegerGRPC})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	if err := c.Ping(ctx); err != nil {
		t.Fatalf("ping %s: %v", st.JaegerGRPC, err)
	}
	s := pushTrace(t, st.OTLPHTTP)
	tr := waitTrace(t, c, s.traceID, 3)

	t.Run("GetTrace", func(t *testing.T) {
		if tr.TraceID != s.traceID || len(tr.Spans) != 3 {
			t.Fatalf("trace %s with %d spans, want %s with 3", tr.TraceID, len(tr.Spans), s.traceID)
		}
		by := map[string]sources.Span{}
		for _, sp := range tr.Spans {
			if sp.TraceID != s.traceID {
				t.Errorf("span %s has trace id %s", sp.SpanID, sp.TraceID)
			}
			by[sp.SpanID] = sp
		}
		root, child, errSp := by[s.rootID], by[s.childID], by[s.errID]
		if root.SpanID == "" || child.SpanID == "" || errSp.SpanID == "" {
			t.Fatalf("span ids %v, want %s %s %s", slices.Sorted(maps.Keys(by)), s.rootID, s.childID, s.errID)
		}
		if root.ParentSpanID != "" || child.ParentSpanID != s.rootID || errSp.ParentSpanID != s.rootID {
			t.Errorf("parents: root=%q child=%q err=%q, want \"\", %s, %s", root.ParentSpanID, child.ParentSpanID, errSp.ParentSpanID, s.rootID, s.rootID)
		}
		if root.Service != s.svc || child.Service != s.svc || errSp.Service != s.dbSvc {
			t.Errorf("services: %q %q %q", root.Service, child.Service, errSp.Service)
		}
		if root.Operation != s.rootOp || child.Operation != s.childOp || errSp.Operation != s.errOp {
			t.Errorf("operations: %q %q %q", root.Operation, child.Operation, errSp.Operation)
		}
		if root.Error || child.Error || !errSp.Error {
			t.Errorf("error flags root=%v child=%v err=%v, want only the errored span", root.Error, child.Error, errSp.Error)
		}
		if !root.Start.Equal(s.rootStart) || root.Duration != s.rootDur {
			t.Errorf("root start/duration = %v/%v, want %v/%v", root.Start, root.Duration, s.rootStart, s.rootDur)
		}
		if v, _ := tagValue(root.Tags, "request_id"); v != s.requestID {
			t.Errorf("request_id tag = %q, want %q (tags %v)", v, s.requestID, root.Tags)
		}
		if v, _ := tagValue(child.Tags, "http.status_code"); v != "200" {
			t.Errorf("int tag rendered as %q, want \"200\"", v)
		}
		if v, _ := tagValue(root.Process, "host.name"); v != "it-host" {
			t.Errorf("process tags %v lack host.name=it-host", root.Process)
		}
		foundEvent := false
		for _, ev := range errSp.Events {
			for _, f := range ev.Fields {
				if f.Value == "retrying" {
					foundEvent = true
				}
			}
		}
		if !foundEvent {
			t.Errorf("event 'retrying' missing from %+v", errSp.Events)
		}

		sum := Summarize(*tr)
		if sum.RootSvc != s.svc || sum.RootOp != s.rootOp || sum.SpanCount != 3 || sum.ErrorCount != 1 ||
			sum.Duration != s.rootDur || !slices.Equal(sum.Services, []string{s.svc, s.dbSvc}) {
			t.Errorf("summary = %+v", sum)
		}
	})

	t.Run("FindTraces", func(t *testing.T) {
		byService, err := c.FindTraces(ctx, FindQuery{Service: s.svc})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(traceIDs(byService), s.traceID) {
			t.Errorf("search by service: %v lacks %s", traceIDs(byService), s.traceID)
		}
		byTag, err := c.FindTraces(ctx, FindQuery{Service: s.svc, Tags: map[string]string{"request_id": s.requestID}})
		if err != nil {
			t.Fatal(err)
		}
		if ids := traceIDs(byTag); len(ids) != 1 || ids[0] != s.traceID || len(byTag[0].Spans) != 3 {
			t.Errorf("search by request_id: %v, want just %s with its 3 spans", ids, s.traceID)
		}
		none, err := c.FindTraces(ctx, FindQuery{Service: s.svc, Tags: map[string]string{"request_id": "no-such-" + s.requestID}})
		if err != nil || len(none) != 0 {
			t.Errorf("search by unknown request_id: %v, %v", traceIDs(none), err)
		}
		slow, err := c.FindTraces(ctx, FindQuery{Service: s.svc, MinDuration: 250 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(traceIDs(slow), s.traceID) {
			t.Errorf("min duration 250ms: %v lacks the 300ms trace", traceIDs(slow))
		}
		tooSlow, err := c.FindTraces(ctx, FindQuery{Service: s.svc, MinDuration: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(traceIDs(tooSlow), s.traceID) {
			t.Errorf("min duration 1s still returns the 300ms trace; the bound was not applied")
		}
		byOp, err := c.FindTraces(ctx, FindQuery{Service: s.dbSvc, Operation: s.errOp})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(traceIDs(byOp), s.traceID) {
			t.Errorf("search by operation: %v lacks %s", traceIDs(byOp), s.traceID)
		}
	})

	t.Run("ServicesAndOperations", func(t *testing.T) {
		svcs, err := c.Services(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(svcs, s.svc) || !slices.Contains(svcs, s.dbSvc) {
			t.Errorf("services %v lack %s and %s", svcs, s.svc, s.dbSvc)
		}
		ops, err := c.Operations(ctx, s.svc, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{s.childOp, s.rootOp}
		slices.Sort(want) // Operations returns names sorted
		if !slices.Equal(ops, want) {
			t.Errorf("operations of %s = %v, want %v (not %s, which is %s's)", s.svc, ops, want, s.errOp, s.dbSvc)
		}
		server, err := c.Operations(ctx, s.svc, "server")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(server, []string{s.rootOp}) {
			t.Errorf("server operations of %s = %v, want [%s]", s.svc, server, s.rootOp)
		}
	})

	t.Run("UnknownTraceIsNotFound", func(t *testing.T) {
		_, err := c.GetTrace(ctx, hex.EncodeToString(randBytes(t, 16)))
		if k := sources.KindOf(err); k != sources.KindNotFound {
			t.Fatalf("kind %v (%v), want not found", k, err)
		}
	})

	if h := c.Health(); h.LastOK.IsZero() || h.Breaker != "closed" {
		t.Errorf("health after successful calls = %+v", h)
	}
}

func TestIntegrationUnreachable(t *testing.T) {
	// A port that was just free: connection refused, no timeout involved.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	c, err := New(Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = c.Services(ctx)
	if k := sources.KindOf(err); k != sources.KindUnreachable {
		t.Fatalf("kind %v (%v), want unreachable", k, err)
	}
	if ctx.Err() != nil {
		t.Fatal("a refused connection ran into the caller's deadline instead of failing")
	}
}
