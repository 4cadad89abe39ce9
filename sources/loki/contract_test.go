package loki

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/transport"
)

// Contract tests: the client against answers written from Loki's documented
// API (testdata/api/README.md names the section each follows), served by
// httptest because no Loki runs on this machine. They check both what the
// client sends and what it makes of the answer.

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "api", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lokiStub answers each path with a fixture (or a status and fixture) and
// records the requests.
type lokiStub struct {
	t      *testing.T
	mu     sync.Mutex
	reqs   []*http.Request
	routes map[string]stubAnswer
}

type stubAnswer struct {
	status int
	file   string
}

func newStub(t *testing.T, routes map[string]stubAnswer) (*lokiStub, *httptest.Server) {
	s := &lokiStub{t: t, routes: routes}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *lokiStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
	a, ok := s.routes[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	status := a.status
	if status == 0 {
		status = http.StatusOK
	}
	if strings.HasSuffix(a.file, ".json") {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(fixture(s.t, a.file))
}

func (s *lokiStub) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		s.t.Fatal("no request reached the stub")
	}
	return s.reqs[len(s.reqs)-1]
}

func (s *lokiStub) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func ns(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

// A log query sends the documented parameters, under the gateway prefix,
// asking for categorized labels, and reads a streams answer into entries
// in the asked direction; stats are ignored.
func TestContractQueryRangeStreams(t *testing.T) {
	stub, srv := newStub(t, map[string]stubAnswer{"/gw/loki/loki/api/v1/query_range": {file: "query_range_streams.json"}})
	c := faultClient(t, srv.URL+"/gw/loki/", fastPolicy(), transport.Options{})
	from, to := t0, t0.Add(time.Hour)
	res, err := c.QueryRange(context.Background(), Query{Expr: `{job="shop"} |= "checkout"`, From: from, To: to, Limit: 10, Direction: Forward})
	if err != nil {
		t.Fatal(err)
	}
	r := stub.last()
	q := r.URL.Query()
	want := url.Values{"query": {`{job="shop"} |= "checkout"`}, "limit": {"10"}, "start": {ns(from)}, "end": {ns(to)}, "direction": {"forward"}}
	for k, v := range want {
		if q.Get(k) != v[0] {
			t.Errorf("parameter %s = %q, want %q", k, q.Get(k), v[0])
		}
	}
	if q.Has("step") || r.Header.Get(encodingFlagsHeader) != categorizeLabels || r.Method != http.MethodGet {
		t.Errorf("method %s, step %q, flags %q", r.Method, q.Get("step"), r.Header.Get(encodingFlagsHeader))
	}
	if got := strings.Join(lines(res.Entries), "|"); got != "slow payment|checkout started|checkout done" {
		t.Fatalf("entries %s, want oldest first", got)
	}
	e := res.Entries[2]
	if e.Time.UnixNano() != 1700000000500000002 || e.Labels["level"] != "info" || len(e.Labels) != 3 || e.Metadata != nil {
		t.Fatalf("entry %+v", e)
	}
}

// With categorize-labels, structured metadata and parsed labels come
// apart from the stream labels; structured metadata wins a clash.
func TestContractCategorizedLabels(t *testing.T) {
	_, srv := newStub(t, map[string]stubAnswer{queryRangePath: {file: "query_range_streams_categorized.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	res, err := c.QueryRange(context.Background(), Query{Expr: `{service_name="payments"}`, From: t0, To: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines(res.Entries), "|"); got != `{"msg":"charged"}|only parsed|plain line` {
		t.Fatalf("entries %s, want newest first", got)
	}
	top := res.Entries[0]
	if top.Metadata["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || top.Metadata["request_id"] != "r-1" || top.Metadata["msg"] != "charged" {
		t.Fatalf("metadata %v", top.Metadata)
	}
	if len(top.Labels) != 1 || top.Labels["service_name"] != "payments" {
		t.Fatalf("stream labels %v", top.Labels)
	}
	if res.Entries[1].Metadata["level"] != "error" || res.Entries[2].Metadata != nil {
		t.Fatalf("metadata %v / %v", res.Entries[1].Metadata, res.Entries[2].Metadata)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "timed out on one shard") {
		t.Fatalf("warnings %q", res.Warnings)
	}
}

// A server that does not categorize sends the metadata as the third
// element itself (and in the stream labels); numbers are read as text.
func TestContractPlainMetadata(t *testing.T) {
	_, srv := newStub(t, map[string]stubAnswer{queryRangePath: {file: "query_range_streams_plain_metadata.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	res, err := c.QueryRange(context.Background(), Query{Expr: `{service_name="payments"}`, From: t0, To: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entries[0]
	if e.Metadata["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || e.Metadata["retries"] != "3" || e.Labels["trace_id"] == "" {
		t.Fatalf("entry %+v", e)
	}
}

func TestContractMetricRange(t *testing.T) {
	stub, srv := newStub(t, map[string]stubAnswer{queryRangePath: {file: "query_range_matrix.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	series, _, err := c.MetricRange(context.Background(), `sum by (level) (rate({job="shop"}[5m]))`, t0, t0.Add(time.Hour), 90*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if q := stub.last().URL.Query(); q.Get("step") != "90" || q.Get("direction") != "forward" {
		t.Fatalf("step %q direction %q", q.Get("step"), q.Get("direction"))
	}
	if len(series) != 2 || series[0].Labels["level"] != "info" || len(series[0].Samples) != 3 {
		t.Fatalf("series %+v", series)
	}
	s := series[0].Samples
	if s[0].Value != 137.95 || !s[0].Time.Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("first sample %+v", s[0])
	}
	if !math.IsNaN(s[2].Value) || !s[2].Time.Equal(time.Unix(1700000600, 250_000_000)) {
		t.Fatalf("NaN sample %+v (fraction of a second kept exactly)", s[2])
	}
	if !math.IsInf(series[1].Samples[0].Value, 1) {
		t.Fatalf("+Inf sample %+v", series[1].Samples[0])
	}
}

func TestContractInstant(t *testing.T) {
	stub, srv := newStub(t, map[string]stubAnswer{queryPath: {file: "query_vector.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	at := t0.Add(time.Minute)
	res, err := c.Instant(context.Background(), `sum(rate({job="shop"}[10m])) by (level)`, at, 7)
	if err != nil {
		t.Fatal(err)
	}
	q := stub.last().URL.Query()
	if q.Get("time") != ns(at) || q.Get("limit") != "7" || q.Get("direction") != "backward" || q.Get("query") == "" {
		t.Fatalf("parameters %v", q)
	}
	if len(res.Series) != 2 || len(res.Series[0].Labels) != 0 || res.Series[1].Labels["level"] != "warn" {
		t.Fatalf("series %+v", res.Series)
	}
	if s := res.Series[0].Samples[0]; s.Value != 1267.1266666666666 || !s.Time.Equal(time.Unix(1700000000, 123_000_000)) {
		t.Fatalf("sample %+v", s)
	}

	stub.routes[queryPath] = stubAnswer{file: "query_scalar.json"}
	res, err = c.Instant(context.Background(), `vector(42)`, at, 0)
	if err != nil || len(res.Series) != 1 || res.Series[0].Samples[0].Value != 42 || res.Series[0].Labels == nil {
		t.Fatalf("scalar %+v %v", res, err)
	}
}

func TestContractLabelsValuesSeries(t *testing.T) {
	name := "odd name/with?chars"
	stub, srv := newStub(t, map[string]stubAnswer{
		labelsPath:                               {file: "labels.json"},
		"/loki/api/v1/label/" + name + "/values": {file: "label_values.json"},
		seriesPath:                               {file: "series.json"},
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	ctx, from, to := context.Background(), t0, t0.Add(time.Hour)
	ls, err := c.Labels(ctx, from, to)
	if err != nil || strings.Join(ls, ",") != "job,level,service_name" {
		t.Fatalf("labels %v %v", ls, err)
	}
	if q := stub.last().URL.Query(); q.Get("start") != ns(from) || q.Get("end") != ns(to) {
		t.Fatalf("labels window %v", q)
	}
	vs, err := c.LabelValues(ctx, name, from, to)
	if err != nil || strings.Join(vs, ",") != "checkout,payments,frontend" {
		t.Fatalf("values %v %v", vs, err)
	}
	if raw := stub.last().URL.EscapedPath(); raw != "/loki/api/v1/label/"+url.PathEscape(name)+"/values" {
		t.Fatalf("label name sent as %s", raw)
	}
	ss, err := c.Series(ctx, []string{`{app="loki"}`, `{app="prometheus"}`}, from, to)
	if err != nil || len(ss) != 2 || ss[0]["container_name"] != "loki" || ss[1]["component"] != "server" {
		t.Fatalf("series %v %v", ss, err)
	}
	if m := stub.last().URL.Query()["match[]"]; len(m) != 2 || m[0] != `{app="loki"}` || m[1] != `{app="prometheus"}` {
		t.Fatalf("matchers sent as %q", m)
	}

	stub.routes[labelsPath] = stubAnswer{file: "labels_empty.json"}
	ls, err = c.Labels(ctx, from, to)
	if err != nil || ls == nil || len(ls) != 0 {
		t.Fatalf("empty labels %#v %v", ls, err)
	}
}

// Loki's documented limit errors reach the caller typed, with the
// server's own text and status, and are retried only when retrying can
// help (a 429).
func TestContractLimitErrors(t *testing.T) {
	cases := []struct {
		status  int
		file    string
		kind    sources.Kind
		text    string
		retried bool
	}{
		{400, "error_400_max_entries.txt", sources.KindTooMuchData, "max entries limit per query exceeded", false},
		{400, "error_400_query_length.txt", sources.KindTooMuchData, "the query time range exceeds the limit (query length: 800h0m0s, limit: 30d1h)", false},
		{400, "error_400_max_series.txt", sources.KindTooMuchData, "maximum number of series (500) reached", false},
		{400, "error_400_bytes_read.txt", sources.KindTooMuchData, "would read too many bytes", false},
		{400, "error_400_parse.txt", sources.KindBadQuery, "parse error at line 1, col 7", false},
		{401, "error_401_no_org_id.txt", sources.KindUnauthorized, "no org id", false},
		{429, "error_429_outstanding.txt", sources.KindRateLimited, "too many outstanding requests", true},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			stub, srv := newStub(t, map[string]stubAnswer{queryRangePath: {status: tc.status, file: tc.file}})
			c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
			_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`, From: t0, To: t0.Add(time.Hour)})
			se, ok := err.(*sources.Error)
			if !ok || se.Kind != tc.kind || se.Status != tc.status || se.Op != "query_range" || se.Backend != "loki" {
				t.Fatalf("got %#v, want %s with status %d", err, tc.kind, tc.status)
			}
			if !strings.Contains(se.Msg, tc.text) || strings.HasSuffix(se.Msg, "\n") {
				t.Fatalf("message %q does not keep Loki's text %q", se.Msg, tc.text)
			}
			want := 1
			if tc.retried {
				want = fastPolicy().MaxAttempts
			}
			if n := stub.count(); n != want {
				t.Fatalf("%d requests, want %d", n, want)
			}
		})
	}
}

// A huge error body is read only in part and its text is cut and made
// safe for a terminal.
func TestContractErrorTextIsBoundedAndSanitized(t *testing.T) {
	body := "\x1b[2Jquerier failed: " + strings.Repeat("é", 200_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, body, http.StatusInternalServerError)
	}))
	defer srv.Close()
	p := fastPolicy()
	p.MaxAttempts = 1
	c := faultClient(t, srv.URL, p, transport.Options{})
	_, err := c.Labels(context.Background(), t0, t0.Add(time.Hour))
	se, ok := err.(*sources.Error)
	if !ok || se.Kind != sources.KindServerError || !strings.Contains(se.Msg, "querier failed") {
		t.Fatalf("got %v", err)
	}
	if len(se.Msg) > 420 || strings.ContainsRune(se.Msg, 0x1b) || !strings.HasSuffix(se.Msg, "…") {
		t.Fatalf("message of %d bytes: %q…", len(se.Msg), se.Msg[:40])
	}
}

// An answer over the size limit is refused as too much data, not read
// into memory.
func TestContractBodyLimit(t *testing.T) {
	_, srv := newStub(t, map[string]stubAnswer{queryRangePath: {file: "query_range_streams.json"}})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	c.api.(*httpAPI).bodyLimit = 100
	_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`, From: t0, To: t0.Add(time.Hour)})
	if sources.KindOf(err) != sources.KindTooMuchData || !strings.Contains(err.Error(), "100 bytes") {
		t.Fatalf("got %v", err)
	}
}

// An answer cut off mid-body is a dropped connection, retried.
func TestContractTruncatedBody(t *testing.T) {
	var hits int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(`{"status":"success","data":[`))
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	_, err := c.Labels(context.Background(), t0, t0.Add(time.Hour))
	if sources.KindOf(err) != sources.KindUnreachable {
		t.Fatalf("got %v", err)
	}
	if hits != fastPolicy().MaxAttempts {
		t.Fatalf("%d attempts", hits)
	}
}

// A redirect is not followed (it would carry the credentials elsewhere).
func TestContractRedirectIsNotFollowed(t *testing.T) {
	var leaked bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = r.Header.Get("Authorization") != ""
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{BearerToken: "secret-token"})
	_, err := c.Labels(context.Background(), t0, t0.Add(time.Hour))
	if sources.KindOf(err) != sources.KindBadResponse || leaked {
		t.Fatalf("got %v; credentials sent to the redirect target: %v", err, leaked)
	}
}

// The tail's messages in the documented format: entries oldest first,
// metadata apart, dropped entries counted.
func TestContractTailFrame(t *testing.T) {
	up := websocket.Upgrader{}
	srv, _ := wsServer(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		_ = conn.WriteMessage(websocket.TextMessage, fixture(t, "tail_frame.json"))
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	c.now = func() time.Time { return time.Unix(0, 1700000000000000000) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{service_name="payments"}`, time.Time{})
	got := collect(t, tl, 2)
	if strings.Join(lines(got), "|") != "first|second" || got[1].Metadata["trace_id"] != "abc" || got[0].Labels["service_name"] != "payments" {
		t.Fatalf("entries %+v", got)
	}
	if st := tl.Status(); st.Dropped != 2 {
		t.Fatalf("status %+v, want 2 dropped", st)
	}
}

// A tail message over the frame limit ends the connection as too much
// data; the tail then reconnects.
func TestContractTailFrameLimit(t *testing.T) {
	up := websocket.Upgrader{}
	srv, dials := wsServer(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
		_ = conn.WriteMessage(websocket.TextMessage, fixture(t, "tail_frame.json"))
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})
	c := faultClient(t, srv.URL, fastPolicy(), transport.Options{})
	c.api.(*httpAPI).frameLimit = 64
	c.tailRetryBase = time.Hour // stay in the first backoff
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tl := c.Tail(ctx, `{a="b"}`, time.Time{})
	st := waitState(t, tl, TailReconnecting)
	if sources.KindOf(st.LastErr) != sources.KindTooMuchData || !strings.Contains(st.LastErr.Error(), "64 bytes") || dials.Load() != 1 {
		t.Fatalf("status %+v after %d dials", st, dials.Load())
	}
}

// TLS with a private CA, on the query path and the tail's wss alike.
func TestContractTLS(t *testing.T) {
	up := websocket.Upgrader{}
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.TLS != nil
		mu.Unlock()
		if r.URL.Path == tailPath {
			if conn, err := up.Upgrade(w, r, nil); err == nil {
				_ = conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
				_, _, _ = conn.ReadMessage()
				conn.Close()
			}
			return
		}
		if r.URL.Path == queryRangePath {
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"streams","result":[]}}`))
			return
		}
		_, _ = w.Write(fixture(t, "labels.json"))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	p := fastPolicy()
	p.MaxAttempts = 1
	untrusted := faultClient(t, srv.URL, p, transport.Options{})
	if _, err := untrusted.Labels(context.Background(), t0, t0.Add(time.Hour)); err == nil {
		t.Fatal("a server signed by an unknown CA was trusted")
	}
	c := faultClient(t, srv.URL, p, transport.Options{CAFile: ca})
	if ls, err := c.Labels(context.Background(), t0, t0.Add(time.Hour)); err != nil || len(ls) != 3 {
		t.Fatalf("labels over TLS: %v %v", ls, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tl := c.Tail(ctx, `{a="b"}`, time.Time{})
	waitState(t, tl, TailLive)
	cancel()
	waitDone(t, tl)
	mu.Lock()
	defer mu.Unlock()
	if !seen[labelsPath] || !seen[tailPath] {
		t.Fatalf("requests seen over TLS: %v", seen)
	}
}
