package stacktest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// LokiLine is one line to push; Meta becomes Loki structured metadata.
type LokiLine struct {
	TS   time.Time
	Line string
	Meta map[string]string
}

// PushLoki writes lines to one stream through Loki's JSON push API, so a
// test puts its own data (under its own labels) into the real Loki.
func PushLoki(t testing.TB, addr string, stream map[string]string, lines []LokiLine) {
	t.Helper()
	values := make([][]any, 0, len(lines))
	for _, l := range lines {
		v := []any{strconv.FormatInt(l.TS.UnixNano(), 10), l.Line}
		if l.Meta != nil {
			v = append(v, l.Meta)
		}
		values = append(values, v)
	}
	body, err := json.Marshal(map[string]any{"streams": []any{map[string]any{"stream": stream, "values": values}}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(addr+"/loki/api/v1/push", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		t.Fatalf("push: HTTP %d %s", resp.StatusCode, b)
	}
}

// VLogsLine is one line to push to VictoriaLogs; Fields become ordinary
// fields of the entry, next to its stream fields.
type VLogsLine struct {
	TS     time.Time
	Line   string
	Fields map[string]string
}

// PushVLogs writes lines to one stream of VictoriaLogs' default tenant.
// See PushVLogsTenant.
func PushVLogs(t testing.TB, addr string, stream map[string]string, lines []VLogsLine) {
	t.Helper()
	PushVLogsTenant(t, addr, "", stream, lines)
}

// PushVLogsTenant writes lines to one stream through VictoriaLogs'
// JSON-lines API, into tenant "AccountID:ProjectID" ("" is 0:0), then asks
// it to flush its buffers, so the lines are searchable when it returns
// (VictoriaLogs otherwise takes a second or two).
func PushVLogsTenant(t testing.TB, addr, tenant string, stream map[string]string, lines []VLogsLine) {
	t.Helper()
	names := make([]string, 0, len(stream))
	for k := range stream {
		names = append(names, k)
	}
	sort.Strings(names)
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for _, l := range lines {
		row := make(map[string]string, len(l.Fields)+len(stream)+2)
		for k, v := range l.Fields {
			row[k] = v
		}
		for k, v := range stream {
			row[k] = v
		}
		row["_msg"] = l.Line
		row["_time"] = l.TS.UTC().Format(time.RFC3339Nano)
		if err := enc.Encode(row); err != nil {
			t.Fatal(err)
		}
	}
	q := url.Values{"_stream_fields": {strings.Join(names, ",")}, "_msg_field": {"_msg"}, "_time_field": {"_time"}}
	req, err := http.NewRequest(http.MethodPost, addr+"/insert/jsonline?"+q.Encode(), &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/stream+json")
	if tenant != "" {
		acct, proj, ok := strings.Cut(tenant, ":")
		if !ok {
			proj = "0"
		}
		req.Header.Set("AccountID", acct)
		req.Header.Set("ProjectID", proj)
	}
	vlogsDo(t, req)
	flush, err := http.NewRequest(http.MethodGet, addr+"/internal/force_flush", nil)
	if err != nil {
		t.Fatal(err)
	}
	vlogsDo(t, flush)
}

func vlogsDo(t testing.TB, req *http.Request) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("victorialogs %s: %v", req.URL.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		t.Fatalf("victorialogs %s: HTTP %d %s", req.URL.Path, resp.StatusCode, b)
	}
}
