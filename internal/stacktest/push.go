package stacktest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
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
