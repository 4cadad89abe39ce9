package jaeger

// Faults a real Jaeger cannot be made to produce on demand: a hang, a storm
// of Unavailable, an endless trace, an oversized message, auth rejection.
// They run against an in-process gRPC QueryService on 127.0.0.1:0.

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	model "github.com/jaegertracing/jaeger-idl/model/v1"
	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
)

// fakeQuery is a QueryService whose behaviour each test plugs in. Calls
// counts every RPC that reached the server.
type fakeQuery struct {
	api_v2.UnimplementedQueryServiceServer
	calls       atomic.Int32
	getServices func(context.Context) (*api_v2.GetServicesResponse, error)
	getTrace    func(*api_v2.GetTraceRequest, api_v2.QueryService_GetTraceServer) error
	findTraces  func(*api_v2.FindTracesRequest, api_v2.QueryService_FindTracesServer) error
}

func (f *fakeQuery) GetServices(ctx context.Context, _ *api_v2.GetServicesRequest) (*api_v2.GetServicesResponse, error) {
	f.calls.Add(1)
	return f.getServices(ctx)
}

func (f *fakeQuery) GetTrace(r *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
	f.calls.Add(1)
	return f.getTrace(r, s)
}

func (f *fakeQuery) FindTraces(r *api_v2.FindTracesRequest, s api_v2.QueryService_FindTracesServer) error {
	f.calls.Add(1)
	return f.findTraces(r, s)
}

// serve starts srv and returns its address. A nil srv serves no service at
// all, like a gRPC port that is not Jaeger's.
func serve(t *testing.T, srv api_v2.QueryServiceServer) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer(grpc.ForceServerCodecV2(gogoCodec{}))
	if srv != nil {
		api_v2.RegisterQueryServiceServer(s, srv)
	}
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

func fastPolicy() resilience.Policy {
	return resilience.Policy{Timeout: 5 * time.Second, MaxAttempts: 3, BaseBackoff: time.Millisecond,
		MaxBackoff: 2 * time.Millisecond, MaxConcurrent: 4, BreakerFailures: 100, BreakerOpenFor: time.Hour}
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Guard == nil {
		cfg.Guard = resilience.New("jaeger", fastPolicy())
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func kindOf(t *testing.T, err error, want sources.Kind) *sources.Error {
	t.Helper()
	se, ok := err.(*sources.Error)
	if !ok {
		t.Fatalf("error %v (%T) is not a *sources.Error", err, err)
	}
	if se.Kind != want {
		t.Fatalf("kind = %v (%v), want %v", se.Kind, err, want)
	}
	return se
}

func TestHangTimesOutAndOpensBreaker(t *testing.T) {
	f := &fakeQuery{getServices: func(ctx context.Context) (*api_v2.GetServicesResponse, error) {
		<-ctx.Done() // the client's deadline travels with the call
		return nil, ctx.Err()
	}}
	p := fastPolicy()
	p.Timeout, p.MaxAttempts, p.BreakerFailures = 150*time.Millisecond, 1, 2
	c := newClient(t, Config{Address: serve(t, f), Guard: resilience.New("jaeger", p)})

	for i := 0; i < 2; i++ {
		_, err := c.Services(context.Background())
		kindOf(t, err, sources.KindTimeout)
	}
	_, err := c.Services(context.Background())
	kindOf(t, err, sources.KindCircuitOpen)
	if n := f.calls.Load(); n != 2 {
		t.Fatalf("server saw %d calls; the open breaker must stop the third", n)
	}
	if h := c.Health(); h.Breaker != "open" || h.LastErr == nil {
		t.Fatalf("health = %+v", h)
	}
}

func TestStreamHangTimesOut(t *testing.T) {
	f := &fakeQuery{getTrace: func(_ *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
		// Send a little, then stall mid-stream.
		if err := s.Send(chunkOf(0, 1, 1, 2)); err != nil {
			return err
		}
		<-s.Context().Done()
		// End with the context's error, as a real server does; ending
		// with OK would legitimately hand the client a partial trace.
		return s.Context().Err()
	}}
	p := fastPolicy()
	p.Timeout, p.MaxAttempts = 150*time.Millisecond, 1
	c := newClient(t, Config{Address: serve(t, f), Guard: resilience.New("jaeger", p)})
	tr, err := c.GetTrace(context.Background(), "1")
	kindOf(t, err, sources.KindTimeout)
	if tr != nil {
		t.Fatal("a partial trace came back with the timeout")
	}
}

func TestUnavailableStormBoundedRetries(t *testing.T) {
	f := &fakeQuery{
		getServices: func(context.Context) (*api_v2.GetServicesResponse, error) {
			return nil, status.Error(codes.Unavailable, "storage backend is down")
		},
		findTraces: func(*api_v2.FindTracesRequest, api_v2.QueryService_FindTracesServer) error {
			return status.Error(codes.Unavailable, "storage backend is down")
		},
	}
	c := newClient(t, Config{Address: serve(t, f)})

	_, err := c.Services(context.Background())
	se := kindOf(t, err, sources.KindUnreachable)
	if !strings.Contains(se.Msg, "storage backend is down") {
		t.Errorf("server message lost: %q", se.Msg)
	}
	if n := f.calls.Load(); n != int32(fastPolicy().MaxAttempts) {
		t.Fatalf("unary: server saw %d calls, want exactly MaxAttempts=%d", n, fastPolicy().MaxAttempts)
	}

	f.calls.Store(0)
	_, err = c.FindTraces(context.Background(), FindQuery{Service: "s"})
	kindOf(t, err, sources.KindUnreachable)
	if n := f.calls.Load(); n != int32(fastPolicy().MaxAttempts) {
		t.Fatalf("stream: server saw %d calls, want %d", n, fastPolicy().MaxAttempts)
	}
}

func TestOversizedTraceTruncatedAndStreamCanceled(t *testing.T) {
	const (
		limit = 25
		// total is far beyond what HTTP/2 flow control lets the server
		// buffer, so the server can only finish if the client keeps
		// reading.
		total = 40_000
	)
	sent := make(chan int, 1)
	f := &fakeQuery{getTrace: func(r *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
		n := 0
		defer func() { sent <- n }()
		for n < total {
			c := chunkOf(r.TraceID.High, r.TraceID.Low, n+1, 10)
			for i := range c.Spans {
				c.Spans[i].Tags = []model.KeyValue{model.String("padding", strings.Repeat("x", 256))}
			}
			if err := s.Send(c); err != nil {
				return err
			}
			n += 10
		}
		return nil
	}}
	p := fastPolicy()
	p.Timeout = 2 * time.Minute // a draining client must finish, not time out
	c := newClient(t, Config{Address: serve(t, f), SpanLimit: limit, Guard: resilience.New("jaeger", p)})

	tr, err := c.GetTrace(context.Background(), "00000000000000070000000000000008")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Spans) != limit {
		t.Fatalf("got %d spans, want the first %d", len(tr.Spans), limit)
	}
	if tr.TraceID != "00000000000000070000000000000008" || tr.Spans[0].TraceID != tr.TraceID {
		t.Errorf("trace id = %s / %s", tr.TraceID, tr.Spans[0].TraceID)
	}
	if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], "more than 25 spans") {
		t.Errorf("warnings = %v", tr.Warnings)
	}
	select {
	case n := <-sent:
		if n >= total {
			t.Fatalf("server sent all %d spans; the client must cancel the stream, not drain it", n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server stream still running 30s after the client returned")
	}
}

func TestFindTracesTruncatedAcrossTraces(t *testing.T) {
	f := &fakeQuery{findTraces: func(r *api_v2.FindTracesRequest, s api_v2.QueryService_FindTracesServer) error {
		if r.Query.ServiceName != "svc" || r.Query.Tags["request_id"] != "r-1" || r.Query.SearchDepth != 5 {
			return status.Errorf(codes.InvalidArgument, "unexpected query %+v", r.Query)
		}
		for tr := uint64(1); tr <= 3; tr++ {
			if err := s.Send(chunkOf(0, tr, int(tr)*100, 10)); err != nil {
				return err
			}
		}
		return nil
	}}
	c := newClient(t, Config{Address: serve(t, f), SpanLimit: 15})
	traces, err := c.FindTraces(context.Background(), FindQuery{Service: "svc", Tags: map[string]string{"request_id": "r-1"}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	byID := map[string]sources.Trace{}
	for _, tr := range traces {
		total += len(tr.Spans)
		byID[tr.TraceID] = tr
	}
	if total != 15 || len(traces) != 2 {
		t.Fatalf("got %d traces / %d spans, want 2 / 15", len(traces), total)
	}
	cut := byID[formatTraceID(model.NewTraceID(0, 2))]
	if len(cut.Spans) != 5 || len(cut.Warnings) != 1 || !strings.Contains(cut.Warnings[0], "more than 15 spans") {
		t.Errorf("cut trace: %d spans, warnings %v", len(cut.Spans), cut.Warnings)
	}
	if w := byID[formatTraceID(model.NewTraceID(0, 1))].Warnings; len(w) != 0 {
		t.Errorf("complete trace carries warnings %v", w)
	}
}

func TestMessageOverLimitIsTooMuchData(t *testing.T) {
	f := &fakeQuery{getTrace: func(r *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
		c := chunkOf(0, 1, 1, 1)
		c.Spans[0].Tags = []model.KeyValue{model.String("big", strings.Repeat("y", 64<<10))}
		return s.Send(c)
	}}
	c := newClient(t, Config{Address: serve(t, f), MaxMessageBytes: 16 << 10})
	_, err := c.GetTrace(context.Background(), "1")
	kindOf(t, err, sources.KindTooMuchData)
	if !strings.Contains(err.Error(), "jaeger") || !strings.Contains(err.Error(), "16384") {
		t.Fatalf("the error names neither the backend nor the limit: %v", err)
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("too much data was retried: %d calls", n)
	}
}

func TestNotFoundAndEmptyStream(t *testing.T) {
	f := &fakeQuery{getTrace: func(r *api_v2.GetTraceRequest, s api_v2.QueryService_GetTraceServer) error {
		if r.TraceID.Low == 1 {
			return status.Error(codes.NotFound, "trace not found")
		}
		return nil // some storages answer an unknown id with nothing
	}}
	c := newClient(t, Config{Address: serve(t, f)})
	_, err := c.GetTrace(context.Background(), "1")
	kindOf(t, err, sources.KindNotFound)
	_, err = c.GetTrace(context.Background(), "2")
	kindOf(t, err, sources.KindNotFound)
	if n := f.calls.Load(); n != 2 {
		t.Errorf("not found was retried: %d calls", n)
	}
}

func TestUnauthorizedCarriesNoCredentials(t *testing.T) {
	const token = "tok-9f8e7d"
	var got metadata.MD
	f := &fakeQuery{getServices: func(ctx context.Context) (*api_v2.GetServicesResponse, error) {
		got, _ = metadata.FromIncomingContext(ctx)
		return nil, status.Error(codes.Unauthenticated, "invalid credentials")
	}}
	c := newClient(t, Config{Address: serve(t, f), Transport: transport.Options{
		BearerToken: token, Tenant: "team-a", Headers: map[string]string{"X-Env": "prod"},
	}})
	_, err := c.Services(context.Background())
	se := kindOf(t, err, sources.KindUnauthorized)
	if strings.Contains(err.Error(), token) || strings.Contains(se.Msg, token) {
		t.Fatalf("token in error: %v", err)
	}
	if f.calls.Load() != 1 {
		t.Errorf("unauthorized was retried: %d calls", f.calls.Load())
	}
	if a := got.Get("authorization"); len(a) != 1 || a[0] != "Bearer "+token {
		t.Errorf("authorization metadata = %v", a)
	}
	if v := got.Get("x-tenant"); len(v) != 1 || v[0] != "team-a" {
		t.Errorf("tenant metadata = %v", v)
	}
	if v := got.Get("x-env"); len(v) != 1 || v[0] != "prod" {
		t.Errorf("header metadata = %v", v)
	}
}

func TestNotAQueryServiceIsBadResponse(t *testing.T) {
	c := newClient(t, Config{Address: serve(t, nil)})
	se := kindOf(t, c.Ping(context.Background()), sources.KindBadResponse)
	if !strings.Contains(se.Msg, "16685") {
		t.Errorf("message gives no hint about the port: %q", se.Msg)
	}
}

func TestCallerCancelIsCanceled(t *testing.T) {
	started := make(chan struct{})
	f := &fakeQuery{getServices: func(ctx context.Context) (*api_v2.GetServicesResponse, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	c := newClient(t, Config{Address: serve(t, f)})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.Services(ctx)
	kindOf(t, err, sources.KindCanceled)
	if f.calls.Load() != 1 {
		t.Errorf("a canceled call was retried: %d calls", f.calls.Load())
	}
}
