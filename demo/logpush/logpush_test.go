package logpush

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMarshalShape(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 5)
	inv := map[string]string{"service": "inventory", "level": "info", "env": "demo"}
	pay := map[string]string{"service": "payments", "level": "error", "env": "demo"}
	body, err := Marshal([]Entry{
		{Labels: inv, Time: t0.Add(time.Second), Line: "b", Metadata: map[string]string{"trace_id": "t", "span_id": "s"}},
		{Labels: pay, Time: t0, Line: "x"},
		{Labels: map[string]string{"env": "demo", "level": "info", "service": "inventory"}, Time: t0, Line: "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Streams []struct {
			Stream map[string]string `json:"stream"`
			Values [][]any           `json:"values"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Streams) != 2 {
		t.Fatalf("%d streams, want the two inventory entries merged: %s", len(got.Streams), body)
	}
	// Streams are in label order: level="error" sorts before level="info".
	s := got.Streams[1]
	if s.Stream["service"] != "inventory" || len(s.Values) != 2 {
		t.Fatalf("first stream %+v", s)
	}
	// Time order within a stream, nanosecond strings, metadata only when set.
	if s.Values[0][0] != "1700000000000000005" || s.Values[0][1] != "a" || len(s.Values[0]) != 2 {
		t.Fatalf("first value %v", s.Values[0])
	}
	if md, ok := s.Values[1][2].(map[string]any); !ok || md["trace_id"] != "t" || md["span_id"] != "s" {
		t.Fatalf("second value %v", s.Values[1])
	}
	if p := got.Streams[0]; p.Stream["level"] != "error" || len(p.Values[0]) != 2 {
		t.Fatalf("payments stream %+v", p)
	}
	if _, err := Marshal([]Entry{{Line: "no labels"}}); err == nil {
		t.Fatal("entry without labels accepted")
	}
}

func TestPush(t *testing.T) {
	var path, query, ctype string
	var body []byte
	status := http.StatusNoContent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, query, ctype = r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type")
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(status)
		io.WriteString(w, "entry too far behind")
	}))
	defer srv.Close()
	e := []Entry{{Labels: map[string]string{"service": "x"}, Time: time.Unix(1, 0), Line: `{"msg":"hi"}`}}
	for _, tc := range []struct {
		backend     Backend
		path, query string
	}{
		// VictoriaLogs must keep JSON lines as text: see pushPath.
		{VictoriaLogs, "/insert/loki/api/v1/push", "disable_message_parsing=1"},
		{Loki, "/loki/api/v1/push", ""},
	} {
		status = http.StatusNoContent
		c, err := NewClient(tc.backend, srv.URL+"/", srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Push(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		if path != tc.path || query != tc.query || ctype != "application/json" || !json.Valid(body) {
			t.Fatalf("%s: path %q query %q type %q body %s", tc.backend, path, query, ctype, body)
		}
		status = http.StatusBadRequest
		err = c.Push(context.Background(), e)
		if le, ok := err.(*Error); !ok || le.Retryable() || le.Body != "entry too far behind" || le.Backend != tc.backend {
			t.Fatalf("%s 400: %v", tc.backend, err)
		}
		if want := "push to " + string(tc.backend) + ": HTTP 400"; !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
		status = http.StatusTooManyRequests
		if le, ok := c.Push(context.Background(), e).(*Error); !ok || !le.Retryable() {
			t.Fatalf("%s: 429 should be retryable", tc.backend)
		}
	}
}

func TestNewClientRejects(t *testing.T) {
	if _, err := NewClient(VictoriaLogs, "", nil); err == nil {
		t.Error("empty URL accepted")
	}
	if _, err := NewClient("elastic", "http://127.0.0.1:1", nil); err == nil {
		t.Error("unknown backend accepted")
	}
	for in, want := range map[string]Backend{"": VictoriaLogs, "victorialogs": VictoriaLogs, "loki": Loki} {
		if got, err := ParseBackend(in); err != nil || got != want {
			t.Errorf("ParseBackend(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseBackend("Loki3"); err == nil {
		t.Error("ParseBackend accepted Loki3")
	}
}
