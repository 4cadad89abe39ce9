package jaeger

import (
	"context"
	"strings"
	"testing"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/transport"
)

func TestNewValidatesAddress(t *testing.T) {
	good := map[string]string{
		"127.0.0.1:16685":  "127.0.0.1:16685",
		" jaeger:16685 ":   "jaeger:16685",
		":16685":           "localhost:16685",
		"[::1]:16685":      "[::1]:16685",
		"query.example:80": "query.example:80",
	}
	for in, want := range good {
		got, err := normalizeAddress(in)
		if err != nil || got != want {
			t.Errorf("normalizeAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "jaeger", "http://jaeger:16686", "jaeger:0", "jaeger:99999", "jaeger:http", "a:b:c"} {
		if _, err := New(Config{Address: bad}); err == nil {
			t.Errorf("New(%q) accepted", bad)
		}
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	cases := map[string]Config{
		"tls files without tls": {Address: "h:1", Transport: transport.Options{ServerName: "jaeger.internal"}},
		"negative span limit":   {Address: "h:1", SpanLimit: -1},
		"negative msg size":     {Address: "h:1", MaxMessageBytes: -1},
		"bad header name":       {Address: "h:1", Transport: transport.Options{Headers: map[string]string{"X Bad": "v"}}},
		"reserved header":       {Address: "h:1", Transport: transport.Options{Headers: map[string]string{"grpc-timeout": "1S"}}},
		"missing CA file":       {Address: "h:1", TLS: true, Transport: transport.Options{CAFile: "/nonexistent/ca.pem"}},
	}
	for name, cfg := range cases {
		if c, err := New(cfg); err == nil {
			c.Close()
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNewNeverEchoesSecrets(t *testing.T) {
	const secret = "s3cr3t-\x01-token"
	cfgs := []Config{
		{Address: "h:1", Transport: transport.Options{BearerToken: secret}},
		{Address: "h:1", Transport: transport.Options{Headers: map[string]string{"x-api-key": secret}}},
	}
	for _, cfg := range cfgs {
		_, err := New(cfg)
		if err == nil {
			t.Fatal("control character in metadata value accepted")
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("secret in error: %v", err)
		}
	}
}

func TestMetadataFor(t *testing.T) {
	md, err := metadataFor(transport.Options{
		Tenant:   "team-a",
		Username: "u", Password: "p",
		Headers: map[string]string{"X-Extra": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"x-tenant":      "team-a",
		"authorization": "Basic dTpw", // base64("u:p")
		"x-extra":       "1",
	}
	for k, v := range want {
		if md[k] != v {
			t.Errorf("md[%q] = %q, want %q", k, md[k], v)
		}
	}
	md, _ = metadataFor(transport.Options{BearerToken: "tok", Username: "u", TenantHeader: "X-Scope-OrgID", Tenant: "t"})
	if md["authorization"] != "Bearer tok" || md["x-scope-orgid"] != "t" {
		t.Errorf("bearer must win over basic, and a named tenant header be kept: %v", md)
	}
}

func TestLocalValidationMakesNoCall(t *testing.T) {
	// Nothing listens here; a call that reached the network would fail
	// with KindUnreachable instead of KindBadQuery.
	c, err := New(Config{Address: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["get_trace bad id"] = c.GetTrace(ctx, "not-hex")
	_, checks["get_trace zero id"] = c.GetTrace(ctx, "0000")
	_, checks["find no service"] = c.FindTraces(ctx, FindQuery{})
	_, checks["find min>max"] = c.FindTraces(ctx, FindQuery{Service: "s", MinDuration: 2, MaxDuration: 1})
	_, checks["find negative limit"] = c.FindTraces(ctx, FindQuery{Service: "s", Limit: -1})
	_, checks["operations no service"] = c.Operations(ctx, " ", "")
	for name, err := range checks {
		if k := sources.KindOf(err); k != sources.KindBadQuery {
			t.Errorf("%s: kind %v (%v), want bad query", name, k, err)
		}
	}
}

func TestFindQueryDefaults(t *testing.T) {
	p, err := FindQuery{Service: "s", Tags: map[string]string{"request_id": "r1"}}.params(t0)
	if err != nil {
		t.Fatal(err)
	}
	if !p.StartTimeMax.Equal(t0) || !p.StartTimeMin.Equal(t0.Add(-DefaultSearchWindow)) {
		t.Errorf("window = %v..%v", p.StartTimeMin, p.StartTimeMax)
	}
	if p.SearchDepth != DefaultSearchLimit || p.Tags["request_id"] != "r1" || p.ServiceName != "s" {
		t.Errorf("params = %+v", p)
	}
	if _, err := (FindQuery{Service: "s", Start: t0, End: t0.Add(-1)}).params(t0); err == nil {
		t.Error("start after end accepted")
	}
}
