package prom

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/sanitize"
)

// cannedClient answers every request with one status and body, in memory,
// so the fuzzer spends its time in decoding rather than in sockets.
type cannedClient struct {
	api.Client
	status int
	body   []byte
}

func (c *cannedClient) Do(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	resp := &http.Response{StatusCode: c.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(c.body)), Request: req}
	return resp, c.body, nil
}

var fuzzStatuses = []int{200, 204, 302, 400, 401, 404, 422, 429, 500, 503, 504}

// FuzzResponses feeds arbitrary bodies and statuses through every read
// method: client_golang decodes, this package converts and classifies. No
// input may panic, every failure must be a *sources.Error with a known
// kind, and every string kept must already be terminal-safe.
func FuzzResponses(f *testing.F) {
	seeds := []string{
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"value":[1700000000.5,"NaN"]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a\u001b[2J"},"values":[[1,"+Inf"],[2,"-Inf"],[3,"1e308"]]}]},"warnings":["partial \u0007result"]}`,
		`{"status":"success","data":{"resultType":"scalar","result":[1,"42"]}}`,
		`{"status":"success","data":{"resultType":"string","result":[1,"hi"]}}`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{"count":"2","sum":"3","buckets":[[0,"0","1","2"]]}]}]}}`,
		`{"status":"success","data":[{"__name__":"up","job":"x"}]}`,
		`{"status":"success","data":["a","b"]}`,
		`{"status":"success","data":[{"seriesLabels":{"__name__":"x"},"exemplars":[{"labels":{"trace_id":"abc"},"value":"1","timestamp":1.5}]}]}`,
		`{"status":"success","data":{"alerts":[{"labels":{"alertname":"A"},"annotations":{},"state":"firing","activeAt":"2026-01-01T00:00:00Z","value":"1e+00"}]}}`,
		`{"status":"success","data":{"groups":[{"name":"g","file":"f","rules":[{"type":"alerting","name":"A","query":"up","duration":60,"health":"ok","alerts":[null]},{"type":"recording","name":"r","query":"up","health":"err","lastError":"x"}]}]}}`,
		`{"status":"error","errorType":"bad_data","error":"parse error"}`,
		`{"status":"error","errorType":"timeout","error":"query timed out"}`,
		"\x00\xff<html>",
		``,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		p := resilience.Policy{Timeout: time.Second, MaxAttempts: 1, BreakerFailures: 1 << 20}
		base, err := api.NewClient(api.Config{Address: "http://fuzz.invalid"})
		if err != nil {
			t.Fatal(err)
		}
		c := &Client{
			base:  &cannedClient{Client: base, status: fuzzStatuses[int(sel)%len(fuzzStatuses)], body: body},
			guard: resilience.New(Backend, p),
		}
		ctx := context.Background()
		for op, fn := range everyCall(c) {
			checkErr(t, op, fn(ctx))
		}
		series, warnings, err := c.Query(ctx, "up", time.Time{})
		checkErr(t, "query", err)
		for _, s := range series {
			checkLabels(t, s.Labels)
		}
		for _, w := range warnings {
			checkSafe(t, w)
		}
		rules, err := c.Rules(ctx)
		checkErr(t, "rules", err)
		for _, r := range rules {
			checkSafe(t, r.Name)
			checkSafe(t, r.LastError)
			checkLabels(t, r.Labels)
		}
		ex, err := c.QueryExemplars(ctx, "up", time.Time{}, time.Time{})
		checkErr(t, "exemplars", err)
		for _, e := range ex {
			checkSafe(t, e.TraceID)
			checkLabels(t, e.Labels)
		}
	})
}

func checkErr(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var se *sources.Error
	if !errors.As(err, &se) {
		t.Fatalf("%s: %T %v is not a *sources.Error", op, err, err)
	}
	if se.Kind == sources.KindUnknown {
		t.Fatalf("%s: unclassified error %v", op, err)
	}
	checkSafe(t, se.Msg)
}

func checkLabels(t *testing.T, m map[string]string) {
	t.Helper()
	for k, v := range m {
		checkSafe(t, k)
		checkSafe(t, v)
	}
}

func checkSafe(t *testing.T, s string) {
	t.Helper()
	if sanitize.Line(s) != s {
		t.Fatalf("unsanitized text kept: %q", s)
	}
}
