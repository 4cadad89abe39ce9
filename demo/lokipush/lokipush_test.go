package lokipush

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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
	var path, ctype string
	var body []byte
	status := http.StatusNoContent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ctype = r.URL.Path, r.Header.Get("Content-Type")
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(status)
		io.WriteString(w, "entry too far behind")
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	e := []Entry{{Labels: map[string]string{"service": "x"}, Time: time.Unix(1, 0), Line: "hi"}}
	if err := c.Push(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if path != "/loki/api/v1/push" || ctype != "application/json" || !json.Valid(body) {
		t.Fatalf("path %q type %q body %s", path, ctype, body)
	}
	status = http.StatusBadRequest
	err = c.Push(context.Background(), e)
	if le, ok := err.(*Error); !ok || le.Retryable() || le.Body != "entry too far behind" {
		t.Fatalf("400: %v", err)
	}
	status = http.StatusTooManyRequests
	if le, ok := c.Push(context.Background(), e).(*Error); !ok || !le.Retryable() {
		t.Fatal("429 should be retryable")
	}
}
