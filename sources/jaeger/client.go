package jaeger

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jaegertracing/jaeger-idl/proto-gen/api_v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/sources/transport"
)

// Defaults for the zero values of Config.
const (
	// DefaultMaxMessageBytes is far above grpc's 4 MiB default because one
	// chunk of a trace with large tags or logs can exceed it, and the
	// server already splits traces into chunks of ten spans.
	DefaultMaxMessageBytes = 64 << 20
	// DefaultSpanLimit bounds memory for one answer; a trace beyond it is
	// shown truncated rather than taking the console down.
	DefaultSpanLimit = 100_000
	// DefaultTenantHeader is Jaeger's own multi-tenancy header
	// (--multi-tenancy.header), used when Transport.Tenant is set without a
	// header name.
	DefaultTenantHeader = "x-tenant"
	// DefaultSearchLimit is the number of traces FindTraces asks for when
	// FindQuery.Limit is zero, the same as Jaeger's UI.
	DefaultSearchLimit = 20
	// pingTimeout keeps a health probe short even under a long guard policy.
	pingTimeout = 5 * time.Second
)

// Config says how to reach one Jaeger query service.
type Config struct {
	// Address is host:port of the query gRPC server (api_v2, usually
	// :16685). An empty host means localhost.
	Address string
	// TLS turns on TLS; false means plaintext. TLS settings in Transport
	// are refused while TLS is false, so a configured CA never silently
	// goes unused.
	TLS bool
	// Transport carries TLS files and server name, and the tenant, bearer
	// or basic auth and extra headers, which become per-call gRPC
	// metadata. The tenant header defaults to DefaultTenantHeader here,
	// not to the Loki-style X-Scope-OrgID.
	Transport transport.Options
	// MaxMessageBytes is the largest gRPC message accepted; 0 means
	// DefaultMaxMessageBytes.
	MaxMessageBytes int
	// SpanLimit is the most spans one GetTrace or FindTraces answer holds;
	// 0 means DefaultSpanLimit.
	SpanLimit int
	// Guard wraps every call; nil means a fresh guard with the default
	// policy. Share one guard per backend across clients.
	Guard *resilience.Guard
}

// Client reads traces from one Jaeger query service. It is safe for
// concurrent use; the connection is made lazily on the first call.
type Client struct {
	conn      *grpc.ClientConn
	api       api_v2.QueryServiceClient
	guard     *resilience.Guard
	spanLimit int
	maxMsg    int
}

// New validates cfg and prepares a client. It does not connect: gRPC dials
// on first use, so a backend that is down at start-up does not stop the
// console from starting.
func New(cfg Config) (*Client, error) {
	target, err := normalizeAddress(cfg.Address)
	if err != nil {
		return nil, err
	}
	maxMsg := cfg.MaxMessageBytes
	if maxMsg < 0 {
		return nil, configError("max message bytes must not be negative", nil)
	}
	if maxMsg == 0 {
		maxMsg = DefaultMaxMessageBytes
	}
	limit := cfg.SpanLimit
	if limit < 0 {
		return nil, configError("span limit must not be negative", nil)
	}
	if limit == 0 {
		limit = DefaultSpanLimit
	}
	creds, err := transportCreds(cfg)
	if err != nil {
		return nil, err
	}
	md, err := metadataFor(cfg.Transport)
	if err != nil {
		return nil, err
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(maxMsg),
			grpc.ForceCodecV2(gogoCodec{}),
		),
	}
	if len(md) > 0 {
		opts = append(opts, grpc.WithPerRPCCredentials(staticMetadata{md: md}))
	}
	if cfg.Transport.UserAgent != "" {
		opts = append(opts, grpc.WithUserAgent(cfg.Transport.UserAgent))
	}
	conn, err := grpc.NewClient(target, opts...)
	if err != nil {
		return nil, configError(cleanMsg(err.Error()), err)
	}
	g := cfg.Guard
	if g == nil {
		g = resilience.New(backendName, resilience.DefaultPolicy())
	}
	return &Client{conn: conn, api: api_v2.NewQueryServiceClient(conn), guard: g, spanLimit: limit, maxMsg: maxMsg}, nil
}

// normalizeAddress accepts host:port only. A URL is refused with a hint,
// because http://host:16686 is the commonest mistake and would otherwise
// fail later with an opaque resolver error.
func normalizeAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", configError("address is required (host:port of the query gRPC server, usually :16685)", nil)
	}
	if strings.Contains(addr, "://") {
		return "", configError("address must be host:port, not a URL (the api_v2 gRPC port, usually 16685)", nil)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", configError(fmt.Sprintf("address %q must be host:port", sanitize.Line(addr)), nil)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return "", configError(fmt.Sprintf("address %q has an invalid port", sanitize.Line(addr)), nil)
	}
	if host == "" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port), nil
}

func transportCreds(cfg Config) (credentials.TransportCredentials, error) {
	tlsCfg, err := cfg.Transport.TLSConfig()
	if err != nil {
		return nil, configError(sources.CleanMessage(err), err)
	}
	if !cfg.TLS {
		if tlsCfg != nil {
			return nil, configError("TLS settings are given but TLS is off; turn TLS on or remove them", nil)
		}
		return insecure.NewCredentials(), nil
	}
	if tlsCfg == nil {
		tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return credentials.NewTLS(tlsCfg), nil
}

// metadataFor turns the transport options into gRPC metadata. Keys are
// checked here, once, because gRPC would otherwise fail every call with an
// internal error naming the header. Values are never put into errors.
func metadataFor(o transport.Options) (map[string]string, error) {
	md := map[string]string{}
	for k, v := range o.Headers {
		key := strings.ToLower(strings.TrimSpace(k))
		if err := checkMetadata(key, v); err != nil {
			return nil, err
		}
		md[key] = v
	}
	if o.Tenant != "" {
		key := strings.ToLower(strings.TrimSpace(o.TenantHeader))
		if key == "" {
			key = DefaultTenantHeader
		}
		if err := checkMetadata(key, o.Tenant); err != nil {
			return nil, err
		}
		md[key] = o.Tenant
	}
	switch {
	case o.BearerToken != "":
		if err := checkMetadata("authorization", o.BearerToken); err != nil {
			return nil, configError("bearer token has characters not allowed in gRPC metadata", nil)
		}
		md["authorization"] = "Bearer " + o.BearerToken
	case o.Username != "":
		md["authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(o.Username+":"+o.Password))
	}
	return md, nil
}

func checkMetadata(key, val string) error {
	if key == "" || strings.HasPrefix(key, "grpc-") || strings.HasPrefix(key, ":") {
		return configError(fmt.Sprintf("header name %q cannot be sent as gRPC metadata", sanitize.Line(key)), nil)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return configError(fmt.Sprintf("header name %q has characters not allowed in gRPC metadata", sanitize.Line(key)), nil)
		}
	}
	if strings.HasSuffix(key, "-bin") {
		return nil
	}
	for i := 0; i < len(val); i++ {
		if val[i] < 0x20 || val[i] > 0x7e {
			// The value may be a secret: name the header, not the value.
			return configError(fmt.Sprintf("value of header %q has characters not allowed in gRPC metadata", sanitize.Line(key)), nil)
		}
	}
	return nil
}

// staticMetadata adds the same metadata to every call. It does not demand
// transport security, matching the HTTP clients: a plaintext hop to a local
// auth proxy is a real deployment, and the choice is the operator's.
type staticMetadata struct{ md map[string]string }

func (s staticMetadata) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return s.md, nil
}

func (staticMetadata) RequireTransportSecurity() bool { return false }

// Close releases the connection. Calls in flight fail with KindCanceled or
// KindUnreachable.
func (c *Client) Close() error { return c.conn.Close() }

// Health reports the guard's view of this backend: last success, last
// failure and breaker state.
func (c *Client) Health() resilience.Health { return c.guard.Health() }

// Ping checks that the query service answers, using GetServices (every
// Jaeger version serves it, unlike the optional grpc health service) with
// a short deadline and no retries, so a probe answers quickly.
func (c *Client) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	return c.guard.Do(ctx, "ping", false, func(ctx context.Context) error {
		_, err := c.api.GetServices(ctx, &api_v2.GetServicesRequest{})
		return toError("ping", err)
	})
}

// Services lists the service names Jaeger has seen, sorted.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	const op = "services"
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]string, error) {
		resp, err := c.api.GetServices(ctx, &api_v2.GetServicesRequest{})
		if err != nil {
			return nil, toError(op, err)
		}
		return cleanNames(resp.Services), nil
	})
}

// Operations lists the operation names of service, sorted. spanKind
// ("server", "client", ...) narrows them; empty means all kinds.
func (c *Client) Operations(ctx context.Context, service, spanKind string) ([]string, error) {
	const op = "operations"
	if strings.TrimSpace(service) == "" {
		return nil, badQuery(op, "a service name is required")
	}
	return resilience.Call(ctx, c.guard, op, true, func(ctx context.Context) ([]string, error) {
		resp, err := c.api.GetOperations(ctx, &api_v2.GetOperationsRequest{Service: service, SpanKind: spanKind})
		if err != nil {
			return nil, toError(op, err)
		}
		// Newer servers fill Operations; OperationNames is the deprecated
		// field older ones fill.
		names := make([]string, 0, len(resp.Operations))
		for _, o := range resp.Operations {
			if o != nil {
				names = append(names, o.Name)
			}
		}
		if len(names) == 0 {
			names = resp.OperationNames
		}
		return cleanNames(names), nil
	})
}

// cleanNames sanitizes, drops empties and duplicates, and sorts.
func cleanNames(in []string) []string {
	out := make([]string, 0, len(in))
	for _, n := range in {
		if n = sanitize.Line(n); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// configError is a mistake in Config, found by New.
func configError(msg string, cause error) error { return sources.ConfigError(backendName, msg, cause) }
