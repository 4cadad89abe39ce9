package loki

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
)

// A query_range answer as Loki 3 writes it with categorize-labels: two
// result streams with the same stream labels (they differ in structured
// metadata), each entry carrying its metadata in the third element.
const categorizedStreams = `{"status":"success","warnings":["query \u001b[31mwarning"],"data":{"resultType":"streams",
"encodingFlags":["categorize-labels"],"result":[
{"stream":{"app":"a","env":"dev"},"values":[
 ["1700000000000000003","third",{"structuredMetadata":{"trace_id":"abc"},"parsed":{"level":"info","trace_id":"parsed-loses"}}],
 ["1700000000000000001","first",{}]]},
{"stream":{"env":"dev","app":"a"},"values":[["1700000000000000002","second",{"structuredMetadata":{"trace_id":"def"}}]]}
],"stats":{}}}`

func TestDecodeCategorizedStreams(t *testing.T) {
	p, err := decodeQueryBody([]byte(categorizedStreams), Backward, newInterner())
	if err != nil {
		t.Fatal(err)
	}
	if p.kind != kindStreams || len(p.entries) != 3 {
		t.Fatalf("got kind %d with %d entries", p.kind, len(p.entries))
	}
	if got := lines(p.entries); got[0] != "third" || got[1] != "second" || got[2] != "first" {
		t.Fatalf("not newest first: %v", got)
	}
	third := p.entries[0]
	if third.Time.UnixNano() != 1700000000000000003 {
		t.Fatalf("timestamp lost its nanoseconds: %d", third.Time.UnixNano())
	}
	if third.Metadata["trace_id"] != "abc" || third.Metadata["level"] != "info" {
		t.Fatalf("metadata %v", third.Metadata)
	}
	if _, ok := third.Labels["trace_id"]; ok || len(third.Labels) != 2 {
		t.Fatalf("metadata leaked into stream labels: %v", third.Labels)
	}
	if p.entries[2].Metadata != nil {
		t.Fatalf("entry without metadata got %v", p.entries[2].Metadata)
	}
	a, b := reflect.ValueOf(p.entries[0].Labels).UnsafePointer(), reflect.ValueOf(p.entries[1].Labels).UnsafePointer()
	if a != b {
		t.Fatal("entries of one stream do not share a labels map")
	}
	if len(p.warnings) != 1 || strings.ContainsRune(p.warnings[0], 0x1b) {
		t.Fatalf("warnings not kept or not sanitized: %q", p.warnings)
	}
}

func TestDecodeMetricAnswers(t *testing.T) {
	matrix := `{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"app":"a"},"values":[[1700000000,"1.5"],[1700000060,"2"]]}]}}`
	p, err := decodeQueryBody([]byte(matrix), Forward, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.kind != kindMatrix || len(p.series) != 1 || len(p.series[0].Samples) != 2 {
		t.Fatalf("matrix decoded as %+v", p)
	}
	if s := p.series[0].Samples[1]; s.Value != 2 || !s.Time.Equal(time.Unix(1700000060, 0)) || p.series[0].Labels["app"] != "a" {
		t.Fatalf("sample %+v labels %v", s, p.series[0].Labels)
	}
	vector := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"app":"b"},"value":[1700000000.5,"7"]}]}}`
	p, err = decodeQueryBody([]byte(vector), Forward, nil)
	if err != nil || p.kind != kindVector || p.series[0].Samples[0].Value != 7 {
		t.Fatalf("vector: %+v %v", p, err)
	}
	scalar := `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"3"]}}`
	p, err = decodeQueryBody([]byte(scalar), Forward, nil)
	if err != nil || p.kind != kindScalar || p.series[0].Samples[0].Value != 3 {
		t.Fatalf("scalar: %+v %v", p, err)
	}
}

func TestDecodeRejectsAnswersWithoutResult(t *testing.T) {
	for _, body := range []string{`{}`, `{"status":"success","data":{}}`, `[]`, `null`, `{"data":{"resultType":"bogus","result":[]}}`, "\x00garbage"} {
		if _, err := decodeQueryBody([]byte(body), Backward, nil); err == nil {
			t.Errorf("%q decoded without error", body)
		}
	}
}

func TestDecodeTailFrame(t *testing.T) {
	msg := `{"streams":[{"stream":{"app":"t"},"values":[["1700000000000000002","b",{"structuredMetadata":{"user":"u1"}}],
		["1700000000000000001","a"]]}],"dropped_entries":[{"timestamp":"1700000000000000000","labels":{"app":"t"}}],
		"encodingFlags":["categorize-labels"]}`
	f, err := decodeTailFrame([]byte(msg), newInterner())
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(f.entries); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("entries %v, want oldest first", got)
	}
	if f.entries[1].Metadata["user"] != "u1" || f.dropped != 1 {
		t.Fatalf("metadata %v dropped %d", f.entries[1].Metadata, f.dropped)
	}
}

func TestErrorKinds(t *testing.T) {
	// The texts are Loki 3.7's own (pkg/querier/queryrange/limits.go,
	// pkg/util/validation, the scheduler).
	cases := []struct {
		status int
		body   string
		want   sources.Kind
	}{
		{400, "parse error at line 1, col 7: syntax error: unexpected IDENTIFIER\n", sources.KindBadQuery},
		{400, "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)", sources.KindTooMuchData},
		{400, "the query time range exceeds the limit (query length: 800h0m0s, limit: 30d1h)", sources.KindTooMuchData},
		{400, "the query would read too many bytes (query: 20 GB, limit: 10 GB); consider adding more specific stream selectors or reduce the time range of the query", sources.KindTooMuchData},
		{400, "maximum number of series (500) reached for a single query; consider reducing query cardinality", sources.KindTooMuchData},
		{429, "too many outstanding requests", sources.KindRateLimited},
		{401, "no org id", sources.KindUnauthorized},
		{403, "forbidden", sources.KindUnauthorized},
		{422, "unprocessable", sources.KindBadQuery},
		{503, "Ingester not ready: waiting for 15s after being ready", sources.KindServerError},
		{504, "timeout", sources.KindTimeout},
		{302, "moved", sources.KindBadResponse},
	}
	for _, c := range cases {
		e := httpError("query_range", c.status, []byte(c.body))
		if e.Kind != c.want {
			t.Errorf("%d %q: kind %s, want %s", c.status, c.body, e.Kind, c.want)
		}
		if c.status != 302 && !strings.Contains(c.body, e.Msg[:min(len(e.Msg), 20)]) {
			t.Errorf("%d: message %q does not keep the server's text", c.status, e.Msg)
		}
	}
}

func TestErrorTextFromJSONAndHTML(t *testing.T) {
	if got := sources.HTTPErrorText(400, []byte(`{"status":"error","errorType":"bad_data","error":"parse error at line 1"}`)); got != "parse error at line 1" {
		t.Fatalf("JSON error body: %q", got)
	}
	if got := sources.HTTPErrorText(502, []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")); got != "HTTP 502 Bad Gateway" {
		t.Fatalf("HTML error body: %q", got)
	}
}

func FuzzDecodeQueryBody(f *testing.F) {
	f.Add([]byte(categorizedStreams), false)
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1,"1"]]}]}}`), true)
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}`), true)
	f.Add([]byte(`{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}`), false)
	f.Add([]byte(`{"data":{"resultType":"streams","result":[{"stream":null,"values":[["x","y",{"parsed":{"a":1}}]]}]}}`), false)
	f.Add([]byte("\xff\xfe garbage"), false)
	f.Add([]byte(`{"status":"error","error":"boom"}`), false)
	for _, name := range []string{"query_range_streams.json", "query_range_streams_categorized.json",
		"query_range_streams_plain_metadata.json", "query_range_matrix.json", "query_vector.json", "query_scalar.json"} {
		f.Add(fixture(f, name), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, forward bool) {
		dir := Backward
		if forward {
			dir = Forward
		}
		p, err := decodeQueryBody(body, dir, newInterner())
		if err != nil {
			return
		}
		if p.kind == kindNone {
			t.Fatal("decoded without a result kind")
		}
		checkEntries(t, p.entries, dir)
		for _, s := range p.series {
			if s.Labels == nil {
				t.Fatal("series without a labels map")
			}
		}
		for _, w := range p.warnings {
			if strings.ContainsAny(w, "\x1b\n\r") {
				t.Fatalf("unsanitized warning %q", w)
			}
		}
	})
}

func FuzzDecodeTailFrame(f *testing.F) {
	f.Add([]byte(`{"streams":[{"stream":{"app":"t"},"values":[["2","b",{"structuredMetadata":{"u":"1"}}],["1","a"]]}]}`))
	f.Add([]byte(`{"streams":[],"dropped_entries":[{"timestamp":"1","labels":{"a":"b"}}]}`))
	f.Add([]byte(`{"streams":[{"stream":{"a":"b"},"values":[["1","x",{"structuredMetadata":{"k":"v"},"parsed":{"p":"q"}}]]}],"encodingFlags":["categorize-labels"]}`))
	f.Add([]byte(`{"streams":[{"values":[["nope"]]}]}`))
	f.Add([]byte(`garbage`))
	f.Add(fixture(f, "tail_frame.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := decodeTailFrame(data, newInterner())
		if err != nil {
			return
		}
		checkEntries(t, fr.entries, Forward)
		if fr.dropped < 0 {
			t.Fatal("negative drop count")
		}
	})
}

func checkEntries(t *testing.T, es []sources.LogEntry, dir Direction) {
	t.Helper()
	for i, e := range es {
		if e.Labels == nil {
			t.Fatalf("entry %d has no labels map", i)
		}
		if i > 0 && (dir == Forward && e.Time.Before(es[i-1].Time) || dir == Backward && e.Time.After(es[i-1].Time)) {
			t.Fatalf("entry %d out of %s order", i, dir)
		}
	}
}

func FuzzHTTPErrorText(f *testing.F) {
	f.Add(400, []byte("parse error at line 1, col 1: syntax error: unexpected $end"))
	f.Add(429, []byte(`{"error":"too many outstanding requests"}`))
	f.Add(502, []byte("<!DOCTYPE html><html>bad gateway</html>"))
	f.Add(500, []byte("\x1b]0;owned\x07rpc error\r\n\x1b[2J"))
	for _, name := range []string{"error_400_max_entries.txt", "error_400_query_length.txt", "error_429_outstanding.txt"} {
		f.Add(400, fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := httpError("query_range", status, body)
		if e.Msg == "" || !utf8.ValidString(e.Msg) || strings.ContainsAny(e.Msg, "\x1b\n\r\x07") {
			t.Fatalf("message %q is empty or unsafe for a terminal", e.Msg)
		}
		if len(e.Msg) > 420 {
			t.Fatalf("message of %d bytes", len(e.Msg))
		}
	})
}

func FuzzDecodeLabelsAndSeries(f *testing.F) {
	for _, name := range []string{"labels.json", "labels_empty.json", "label_values.json", "series.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"data":[null,{"a":null}]}`))
	f.Add([]byte(`{"data":["a",1]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if ls, err := decodeStrings(body); err == nil && ls == nil {
			t.Fatal("labels decoded to nil")
		}
		ss, err := decodeSeries(body)
		if err != nil {
			return
		}
		for _, m := range ss {
			if m == nil {
				t.Fatal("a series without a labels map")
			}
		}
	})
}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]time.Time{
		"1700000000":            time.Unix(1700000000, 0),
		"1700000000.5":          time.Unix(1700000000, 500_000_000),
		"1700000000.123456789":  time.Unix(1700000000, 123456789),
		"1700000000.1234567899": time.Unix(1700000000, 123456789),
		"-1.5":                  time.Unix(-1, -500_000_000),
		"1.7e9":                 time.Unix(1700000000, 0),
	} {
		got, err := parseSeconds(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSeconds(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".", "x", "1.x", "1e400", "99999999999999", "1.-5"} {
		if _, err := parseSeconds(in); err == nil {
			t.Errorf("parseSeconds(%q) accepted", in)
		}
	}
}
