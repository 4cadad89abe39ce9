package sources_test

// One table of faults, each driven through every client, asserting the
// same Kind for the same fault. The faults are ones a real backend cannot
// be made to produce on demand, so they come from httptest servers, an
// in-process gRPC server answering every method with a status, and kfake;
// the happy paths are tested against the dev stack elsewhere.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"

	"github.com/reltui/reltui/internal/faulttest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
	"github.com/reltui/reltui/sources/victorialogs"
)

// target is where one client is pointed for one fault and how.
type target struct {
	addr   string
	opts   transport.Options
	max    int64 // response or message limit; 0: the client's default
	policy resilience.Policy
}

// client builds one backend's client for a target and returns the one read
// every fault goes through.
type client struct {
	name string
	open func(t *testing.T, tg target) (func(context.Context) error, error)
}

func guard(name string, tg target) *resilience.Guard {
	p := tg.policy
	if p.Timeout == 0 {
		p = faulttest.Policy()
	}
	return resilience.New(name, p)
}

var window = sources.LogQuery{Expr: `{app="x"}`, From: time.Unix(1_700_000_000, 0), To: time.Unix(1_700_000_600, 0), Limit: 10}

func clients() []client {
	return []client{
		{"loki", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := loki.New(loki.Config{Address: tg.addr, Transport: tg.opts, Guard: guard("loki", tg), MaxResponseBytes: tg.max})
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) error { _, err := c.QueryRange(ctx, window); return err }, nil
		}},
		{"victorialogs", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := victorialogs.New(victorialogs.Config{Address: tg.addr, Transport: tg.opts, Guard: guard("victorialogs", tg), MaxResponseBytes: tg.max})
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) error { _, err := c.QueryRange(ctx, window); return err }, nil
		}},
		{"prometheus", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := prom.New(prom.Config{Address: tg.addr, Transport: tg.opts, Guard: guard("prometheus", tg), MaxResponseBytes: tg.max})
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) error { _, _, err := c.Query(ctx, "up", window.To); return err }, nil
		}},
		{"alertmanager", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := alertmanager.New(alertmanager.Config{Address: tg.addr, Transport: tg.opts, Guard: guard("alertmanager", tg), MaxResponseBytes: tg.max})
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) error { _, err := c.Alerts(ctx, nil); return err }, nil
		}},
		{"jaeger", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := jaeger.New(jaeger.Config{Address: tg.addr, TLS: tg.opts.CAFile != "", Transport: tg.opts,
				Guard: guard("jaeger", tg), MaxMessageBytes: int(tg.max)})
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { _ = c.Close() })
			return func(ctx context.Context) error { _, err := c.Services(ctx); return err }, nil
		}},
		{"kafka", func(t *testing.T, tg target) (func(context.Context) error, error) {
			c, err := kafka.New(kafka.Config{Brokers: []string{tg.addr}, Guard: guard("kafka", tg)})
			if err != nil {
				return nil, err
			}
			t.Cleanup(c.Close)
			return func(ctx context.Context) error { _, err := c.Groups(ctx); return err }, nil
		}},
	}
}

// fault is one failure and how to make it for each kind of backend. A nil
// maker means the fault cannot happen to that backend (Kafka has no query
// language, and its TLS and SASL settings are built by config).
type fault struct {
	name  string
	want  sources.Kind
	http  func(t *testing.T, backend string) target
	grpc  func(t *testing.T) target
	kafka func(t *testing.T) target
}

func faults() []fault {
	missingCA := transport.Options{CAFile: filepath.Join("no", "such", "ca.pem")}
	badSecret := transport.Options{BearerToken: "s3cr3t\nvalue"}
	hang := func(t *testing.T) target {
		srv, _ := faulttest.Hang(t)
		return target{addr: srv.URL, policy: faulttest.HangPolicy()}
	}
	return []fault{
		{name: "config: bad address", want: sources.KindConfig,
			http:  func(t *testing.T, _ string) target { return target{addr: "ftp://127.0.0.1/"} },
			grpc:  func(t *testing.T) target { return target{addr: "http://127.0.0.1:16685"} },
			kafka: func(t *testing.T) target { return target{addr: "nohostport"} }},
		{name: "config: unreadable CA file", want: sources.KindConfig,
			http: func(t *testing.T, _ string) target { return target{addr: "http://127.0.0.1:1", opts: missingCA} },
			grpc: func(t *testing.T) target { return target{addr: "127.0.0.1:1", opts: missingCA} }},
		{name: "config: secret with a line break", want: sources.KindConfig,
			http: func(t *testing.T, _ string) target { return target{addr: "http://127.0.0.1:1", opts: badSecret} },
			grpc: func(t *testing.T) target { return target{addr: "127.0.0.1:1", opts: badSecret} }},

		{name: "auth: 401 / Unauthenticated", want: sources.KindUnauthorized,
			http:  reply(http.StatusUnauthorized, "unauthorized"),
			grpc:  grpcStatus(codes.Unauthenticated, "missing credentials"),
			kafka: kafkaError(kerr.SaslAuthenticationFailed)},
		{name: "auth: 403 / PermissionDenied", want: sources.KindUnauthorized,
			http:  reply(http.StatusForbidden, "forbidden"),
			grpc:  grpcStatus(codes.PermissionDenied, "tenant not allowed"),
			kafka: kafkaError(kerr.ClusterAuthorizationFailed)},

		{name: "unreachable: connection refused", want: sources.KindUnreachable,
			http:  func(t *testing.T, _ string) target { return target{addr: "http://" + faulttest.ClosedAddr(t)} },
			grpc:  func(t *testing.T) target { return target{addr: faulttest.ClosedAddr(t)} },
			kafka: func(t *testing.T) target { return target{addr: faulttest.ClosedAddr(t), policy: shortPolicy()} }},
		{name: "unreachable: DNS", want: sources.KindUnreachable,
			http:  func(t *testing.T, _ string) target { return target{addr: "http://no-such-host.invalid:80"} },
			grpc:  func(t *testing.T) target { return target{addr: "no-such-host.invalid:16685"} },
			kafka: func(t *testing.T) target { return target{addr: "no-such-host.invalid:9092", policy: shortPolicy()} }},
		{name: "unreachable: connection dropped", want: sources.KindUnreachable,
			http:  func(t *testing.T, _ string) target { return target{addr: "http://" + dropper(t)} },
			grpc:  func(t *testing.T) target { return target{addr: dropper(t)} },
			kafka: func(t *testing.T) target { return target{addr: dropper(t), policy: shortPolicy()} }},

		{name: "bad query: 400 with the backend's parse error", want: sources.KindBadQuery,
			http: func(t *testing.T, backend string) target {
				return reply(http.StatusBadRequest, parseError[backend])(t, backend)
			},
			grpc: grpcStatus(codes.InvalidArgument, "malformed request")},
		{name: "bad query: 422", want: sources.KindBadQuery,
			http: func(t *testing.T, backend string) target {
				return reply(http.StatusUnprocessableEntity, execError[backend])(t, backend)
			},
			grpc: grpcStatus(codes.FailedPrecondition, "cannot run")},

		{name: "limit: answer over the client's limit", want: sources.KindTooMuchData,
			http: func(t *testing.T, backend string) target {
				tg := reply(http.StatusOK, bigAnswer[backend])(t, backend)
				tg.max = 16 << 10
				return tg
			},
			grpc: func(t *testing.T) target {
				tg := grpcStatus(codes.OK, "")(t)
				tg.max = 1 << 10
				return tg
			}},
		{name: "limit: 413 / message too large", want: sources.KindTooMuchData,
			http: reply(http.StatusRequestEntityTooLarge, "request entity too large"),
			grpc: grpcStatus(codes.ResourceExhausted, "grpc: trying to send message larger than max (5000000 vs. 4194304)")},
		{name: "limit: the backend's own limit text", want: sources.KindTooMuchData,
			http: func(t *testing.T, backend string) target {
				return reply(limitError[backend].status, limitError[backend].text)(t, backend)
			},
			grpc: grpcStatus(codes.ResourceExhausted, "received message larger than max")},

		{name: "timeout: no answer", want: sources.KindTimeout,
			http: func(t *testing.T, _ string) target { return hang(t) },
			grpc: func(t *testing.T) target {
				return target{addr: grpcServer(t, codes.OK, "hang"), policy: faulttest.HangPolicy()}
			},
			kafka: func(t *testing.T) target { return target{addr: silent(t), policy: faulttest.HangPolicy()} }},
		{name: "timeout: 504 / DeadlineExceeded", want: sources.KindTimeout,
			http: reply(http.StatusGatewayTimeout, "gateway timeout"),
			grpc: grpcStatus(codes.DeadlineExceeded, "storage timed out")},

		{name: "rate limited: 429 / quota", want: sources.KindRateLimited,
			http:  reply(http.StatusTooManyRequests, "too many requests"),
			grpc:  grpcStatus(codes.ResourceExhausted, "rate limit exceeded"),
			kafka: kafkaError(kerr.ThrottlingQuotaExceeded)},

		{name: "server error: 500 / Internal", want: sources.KindServerError,
			http:  reply(http.StatusInternalServerError, "internal error"),
			grpc:  grpcStatus(codes.Internal, "storage failed"),
			kafka: kafkaError(kerr.UnknownServerError)},
		{name: "server error: 503 / Unknown", want: sources.KindServerError,
			http:  reply(http.StatusServiceUnavailable, "unavailable"),
			grpc:  grpcStatus(codes.Unknown, "panic in handler"),
			kafka: kafkaError(kerr.CoordinatorNotAvailable)},
	}
}

// The texts each backend really sends for a fault, so that the mapping is
// tested on what arrives, not on a generic body.
var (
	parseError = map[string]string{
		"loki":         "parse error at line 1, col 6: syntax error: unexpected IDENTIFIER",
		"victorialogs": "cannot parse query [{app=]: missing closing brace",
		"prometheus":   `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unexpected end of input"}`,
		"alertmanager": `"bad matcher format: app"`,
	}
	execError = map[string]string{
		"loki":         "unprocessable",
		"victorialogs": "unprocessable",
		"prometheus":   `{"status":"error","errorType":"execution","error":"vector cannot contain metrics with the same labelset"}`,
		"alertmanager": `{"code":602,"message":"filter in query should be a string"}`,
	}
	limitError = map[string]struct {
		status int
		text   string
	}{
		"loki":         {http.StatusBadRequest, "max entries limit per query exceeded, limit > max_entries_limit (10000 > 5000)"},
		"victorialogs": {http.StatusBadRequest, "too big time range selected: 720h; it mustn't exceed -search.maxQueryTimeRange=168h"},
		"prometheus":   {http.StatusUnprocessableEntity, `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`},
		"alertmanager": {http.StatusBadRequest, "limit exceeded"},
	}
	// bigAnswer is a well-formed 2xx answer of 64 KiB, in few entries so
	// that the size limit, not an entry count, is what it breaks.
	bigAnswer = map[string]string{
		"loki":         `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"x"},"values":[["1700000000000000000","` + strings.Repeat("m", 64<<10) + `"]]}]}}`,
		"victorialogs": strings.Repeat(`{"_time":"2023-11-14T22:13:20Z","_stream":"{app=\"x\"}","_msg":"`+strings.Repeat("m", 4<<10)+"\"}\n", 16),
		"prometheus":   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"` + strings.Repeat("j", 64<<10) + `"},"value":[1700000000,"1"]}]}}`,
		"alertmanager": `[{"labels":{"alertname":"` + strings.Repeat("a", 64<<10) + `"}}]`,
	}
)

func reply(code int, body string) func(t *testing.T, backend string) target {
	return func(t *testing.T, _ string) target {
		srv, _ := faulttest.Server(t, faulttest.Reply(code, body))
		return target{addr: srv.URL}
	}
}

// shortPolicy bounds a Kafka call that franz-go would otherwise retry
// internally for its own long deadline.
func shortPolicy() resilience.Policy {
	p := faulttest.Policy()
	p.Timeout = 3 * time.Second
	p.MaxAttempts = 1
	return p
}

// listener accepts connections and hands each to fn, until the test ends.
func listener(t *testing.T, fn func(net.Conn)) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				fn(c)
				select {
				case <-done:
				case <-time.After(10 * time.Second):
				}
				_ = c.Close()
			}()
		}
	}()
	return l.Addr().String()
}

// dropper accepts a connection, reads what arrives first, and closes it
// without a word.
func dropper(t *testing.T) string {
	return listener(t, func(c net.Conn) {
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		_, _ = c.Read(make([]byte, 512))
		_ = c.Close()
	})
}

// silent accepts connections and never answers.
func silent(t *testing.T) string { return listener(t, func(net.Conn) {}) }

// rawCodec sends and receives gRPC messages as raw bytes, so the fake
// server needs no generated types: it never decodes the request.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(v.([]byte))}, nil
}

func (rawCodec) Unmarshal(mem.BufferSlice, any) error { return nil }

func (rawCodec) Name() string { return "proto" }

var _ encoding.CodecV2 = rawCodec{}

// grpcServer answers every method with code and msg. codes.OK with msg
// "hang" waits for the caller to give up; codes.OK otherwise sends a 64
// KiB message.
func grpcServer(t *testing.T, code codes.Code, msg string) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer(grpc.ForceServerCodecV2(rawCodec{}), grpc.UnknownServiceHandler(func(_ any, st grpc.ServerStream) error {
		var req []byte
		_ = st.RecvMsg(&req)
		switch {
		case code != codes.OK:
			return status.Error(code, msg)
		case msg == "hang":
			<-st.Context().Done()
			return st.Context().Err()
		}
		return st.SendMsg(make([]byte, 64<<10))
	}))
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

func grpcStatus(code codes.Code, msg string) func(t *testing.T) target {
	return func(t *testing.T) target { return target{addr: grpcServer(t, code, msg)} }
}

// kafkaError is a kfake cluster whose every ListGroups answer carries e.
func kafkaError(e *kerr.Error) func(t *testing.T) target {
	return func(t *testing.T) target {
		c, err := kfake.NewCluster(kfake.NumBrokers(1))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		c.ControlKey(int16(kmsg.ListGroups), func(req kmsg.Request) (kmsg.Response, error, bool) {
			c.KeepControl()
			resp := req.ResponseKind().(*kmsg.ListGroupsResponse)
			resp.ErrorCode = e.Code
			return resp, nil, true
		})
		return target{addr: c.ListenAddrs()[0], policy: shortPolicy()}
	}
}

// TestSameFaultSameKind drives every client through every fault and wants
// the same Kind from each. A fault shows either at construction (config)
// or at the first call.
func TestSameFaultSameKind(t *testing.T) {
	for _, f := range faults() {
		for _, cl := range clients() {
			var mk func(t *testing.T) target
			switch cl.name {
			case "jaeger":
				mk = f.grpc
			case "kafka":
				mk = f.kafka
			default:
				if f.http != nil {
					mk = func(t *testing.T) target { return f.http(t, cl.name) }
				}
			}
			if mk == nil {
				continue // the fault does not apply to this backend
			}
			t.Run(f.name+"/"+cl.name, func(t *testing.T) {
				t.Parallel()
				call, err := cl.open(t, mk(t))
				if (err != nil) != (f.want == sources.KindConfig) {
					t.Errorf("constructor error %v; a fault shows at construction exactly when it is a config fault", err)
				}
				if err == nil {
					ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
					defer cancel()
					err = call(ctx)
				}
				recordKind(f.name, cl.name, err)
				if err == nil {
					t.Fatalf("no error, want %v", f.want)
				}
				var se *sources.Error
				if !errors.As(err, &se) {
					t.Fatalf("error %T %q is not a *sources.Error (want %v)", err, err, f.want)
				}
				if se.Kind != f.want {
					t.Errorf("kind %v, want %v: %v", se.Kind, f.want, err)
				}
				if se.Backend != cl.name {
					t.Errorf("backend %q, want %q", se.Backend, cl.name)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Errorf("the error repeats the secret: %q", err)
				}
				t.Logf("kind %v: %v", se.Kind, err)
			})
		}
	}
}

// recordKind prints one cell of the fault × client table when
// RELTUI_FAULT_TABLE is set, so the table in a report is what ran.
func recordKind(fault, client string, err error) {
	if os.Getenv("RELTUI_FAULT_TABLE") == "" {
		return
	}
	kind := "no error"
	if err != nil {
		kind = sources.KindOf(err).String()
	}
	fmt.Fprintf(os.Stderr, "FAULTTABLE\t%s\t%s\t%s\n", fault, client, kind)
}
