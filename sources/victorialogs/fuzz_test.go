package victorialogs

import (
	"bytes"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
)

func FuzzParseStream(f *testing.F) {
	for _, s := range []string{`{}`, `{app="a"}`, `{a="x\\",b="y"}`, `{weird="q\"uo,te}"}`, `{a="\xff\u2028"}`,
		`{a,b="v"}`, `{="v"}`, `{a="b"`, `{a="b",}`, `{a="b"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseStream(s)
		if err != nil {
			return
		}
		// What parses re-formats to a stream that parses to the same
		// labels: nothing is lost or invented.
		again, err := parseStream(formatStream(m))
		if err != nil || !maps.Equal(m, again) {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, m, formatStream(m), again, err)
		}
	})
}

// FuzzStreamRoundTrip feeds parseStream what VictoriaLogs writes for
// arbitrary labels.
func FuzzStreamRoundTrip(f *testing.F) {
	f.Add("app", "a", "env", "x\"y")
	f.Add("a.b", "", "c d", "\x00\n")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m := map[string]string{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}} {
			if kv[0] == "" || strings.Contains(kv[0], `="`) {
				return // VictoriaLogs never writes such a name unambiguously
			}
			m[kv[0]] = kv[1]
		}
		got, err := parseStream(formatStream(m))
		if err != nil || !maps.Equal(got, m) {
			t.Fatalf("%v -> %q -> %v, %v", m, formatStream(m), got, err)
		}
	})
}

func FuzzDecodeEntry(f *testing.F) {
	for _, s := range []string{
		`{"_msg":"hello","_stream":"{app=\"a\"}","_stream_id":"00","_time":"2026-12-05T13:32:52.132025252Z","app":"a","trace_id":"t1"}`,
		`{"_time":"2026-01-01T00:00:00Z","n":1,"o":{"a":[1]},"z":null}`,
		`{"_time":"2026-01-01T00:00:00Z","_stream":"{a=\"b\"","a":"c"}`,
		`cannot execute query`, `null`, `{"_time":null}`, `{"_time":"2026-01-01T00:00:00Z","_msg":"\u001b[2J"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		in := newInterner()
		e, err := decodeEntry(line, in)
		if err != nil {
			return
		}
		if e.Time.IsZero() && !bytes.Contains(line, []byte("0001-01-01")) {
			t.Fatalf("decoded without a time: %q", line)
		}
		if e.Labels == nil {
			t.Fatal("nil labels")
		}
		for k, v := range e.Metadata {
			if k == "_time" || k == "_msg" || k == "_stream_id" {
				t.Fatalf("internal field %s in metadata", k)
			}
			if lv, ok := e.Labels[k]; ok && lv == v {
				t.Fatalf("stream field %s repeated in metadata", k)
			}
		}
	})
}

func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nb\r\n\n"), 4)
	f.Add([]byte("toolong\nok\n"), 3)
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max <= 0 || max > 1<<16 {
			return
		}
		lr := newLineReader(bytes.NewReader(data), max)
		n := 0
		for {
			l, err := lr.next()
			if err != nil {
				break
			}
			if len(l) > max || len(bytes.TrimSpace(l)) == 0 || bytes.ContainsAny(l, "\n") {
				t.Fatalf("line %q (max %d)", l, max)
			}
			n++
		}
		if n+lr.skipped > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d lines and %d skipped from %d line breaks", n, lr.skipped, bytes.Count(data, []byte("\n")))
		}
	})
}

// FuzzErrorText checks the error path that carries server text to the
// screen: whatever the body, the message is valid UTF-8, one line, free
// of control characters and within its length bound.
func FuzzErrorText(f *testing.F) {
	f.Add(400, []byte("cannot parse `query` arg [x]: bad"), "x")
	f.Add(502, []byte("<html>gateway</html>"), "")
	f.Add(401, []byte(`{"error":"\u001b]52;c;aGk=\u0007"}`), "")
	f.Add(200, []byte("\xff\xfe\x1b[2J"), "q")
	f.Fuzz(func(t *testing.T, status int, body []byte, query string) {
		if status < 100 || status > 999 {
			return
		}
		for _, e := range []*sources.Error{httpError("query", status, body, query), streamError("tail", body, query)} {
			if !utf8.ValidString(e.Msg) || len(e.Msg) > 400 {
				t.Fatalf("message %q", e.Msg)
			}
			for _, r := range e.Msg {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
					t.Fatalf("control %U in %q", r, e.Msg)
				}
			}
			if e.Kind == sources.KindUnknown {
				t.Fatalf("unknown kind for %d %q", status, body)
			}
		}
	})
}
