package victorialogs

import (
	"errors"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
)

func TestParseStream(t *testing.T) {
	for in, want := range map[string]map[string]string{
		`{}`:                             {},
		`{app="a"}`:                      {"app": "a"},
		`{app="a",env="prod"}`:           {"app": "a", "env": "prod"},
		`{weird="q\"uo,te}"}`:            {"weird": `q"uo,te}`},
		`{a="x\\",b="y"}`:                {"a": `x\`, "b": "y"},
		`{a="line\nbreak\x00\u00e9"}`:    {"a": "line\nbreak\x00é"},
		`{name with space="v"}`:          {"name with space": "v"},
		`{a,b="v"}`:                      {"a,b": "v"},
		`{service.name="c",a="1",a="2"}`: {"service.name": "c", "a": "2"},
	} {
		got, err := parseStream(in)
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("parseStream(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{``, `{`, `}`, `app="a"`, `{app}`, `{="a"}`, `{app="a"`, `{app="a"x}`,
		`{app="a",}`, `{app="a\q"}`, `{app='a'}`, `{app="a"}}`} {
		if got, err := parseStream(bad); err == nil {
			t.Errorf("parseStream(%s) = %v, want an error", bad, got)
		}
	}
}

func TestDecodeEntry(t *testing.T) {
	in := newInterner()
	row := `{"_msg":"hello","_stream":"{app=\"a\",env=\"prod\"}","_stream_id":"00ab","_time":"2026-12-05T13:32:52.132025252Z",` +
		`"app":"a","env":"prod","trace_id":"t1","user":"u"}`
	e, err := decodeEntry([]byte(row), in)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 5, 13, 32, 52, 132025252, time.UTC)
	if !e.Time.Equal(want) || e.Line != "hello" {
		t.Fatalf("entry %+v", e)
	}
	if !maps.Equal(e.Labels, map[string]string{"app": "a", "env": "prod"}) {
		t.Fatalf("labels %v", e.Labels)
	}
	if !maps.Equal(e.Metadata, map[string]string{"trace_id": "t1", "user": "u"}) {
		t.Fatalf("metadata %v: stream fields or internal fields leaked in, or fields lost", e.Metadata)
	}
	e2, _ := decodeEntry([]byte(row), in)
	if &e2.Labels == &e.Labels || !sameMap(e.Labels, e2.Labels) {
		t.Fatal("entries of one stream do not share one labels map")
	}

	// A field that shadows a stream field with another value is kept.
	e, err = decodeEntry([]byte(`{"_time":"2026-01-01T00:00:00Z","_stream":"{app=\"a\"}","app":"b"}`), in)
	if err != nil || e.Metadata["app"] != "b" || e.Line != "" {
		t.Fatalf("%+v %v", e, err)
	}
	// No metadata is nil metadata; no _stream is empty labels.
	e, err = decodeEntry([]byte(`{"_time":"2026-01-01T00:00:00Z","_msg":"x"}`), in)
	if err != nil || e.Metadata != nil || e.Labels == nil || len(e.Labels) != 0 {
		t.Fatalf("%+v %v", e, err)
	}
	// A stream this package cannot read is kept as metadata, not lost.
	e, err = decodeEntry([]byte(`{"_time":"2026-01-01T00:00:00Z","_stream":"garbage"}`), in)
	if err != nil || e.Metadata["_stream"] != "garbage" {
		t.Fatalf("%+v %v", e, err)
	}
	// Non-string values from a proxy keep their JSON text.
	e, err = decodeEntry([]byte(`{"_time":"2026-01-01T00:00:00Z","n":12.5,"b":true,"o":{"k":[1, 2]},"z":null}`), in)
	if err != nil || e.Metadata["n"] != "12.5" || e.Metadata["b"] != "true" || e.Metadata["o"] != `{"k":[1,2]}` {
		t.Fatalf("%+v %v", e.Metadata, err)
	}
	if _, ok := e.Metadata["z"]; ok {
		t.Fatal("null kept")
	}
	for _, bad := range []string{`{"_msg":"no time"}`, `{"_time":"yesterday"}`, `{"_time":`, `null`, `[]`, `cannot execute query`} {
		if _, err := decodeEntry([]byte(bad), in); err == nil {
			t.Errorf("decodeEntry(%s) accepted", bad)
		}
	}
	if _, err := decodeEntry([]byte(`{"_msg":"x"}`), in); !errors.Is(err, errNoTime) {
		t.Errorf("a row without _time: %v", err)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) == 0 {
		return len(b) == 0
	}
	a["__probe"] = "1"
	defer delete(a, "__probe")
	return b["__probe"] == "1"
}

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", 100)
	in := "a\n\n  \r\n" + long + "\nb\r\n" + long + long + "\nc"
	lr := newLineReader(strings.NewReader(in), 50)
	var got []string
	for {
		l, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(l))
	}
	if strings.Join(got, ",") != "a,b,c" || lr.skipped != 2 {
		t.Fatalf("got %q, skipped %d", got, lr.skipped)
	}
	// A line of exactly max bytes is read, one more is skipped, also when
	// the long line outgrows the read buffer many times over.
	big := strings.Repeat("y", 300<<10)
	lr = newLineReader(strings.NewReader(big+"\n"+big+"z\nend\n"), 300<<10)
	l, err := lr.next()
	if err != nil || len(l) != 300<<10 {
		t.Fatalf("len %d, %v", len(l), err)
	}
	l, err = lr.next()
	if err != nil || string(l) != "end" || lr.skipped != 1 {
		t.Fatalf("%q %v skipped %d", l, err, lr.skipped)
	}
}

func TestErrorTextAndKinds(t *testing.T) {
	q := `{app="a"`
	for _, c := range []struct {
		status int
		body   string
		kind   sources.Kind
		msg    string
	}{
		{400, "cannot parse `query` arg [" + q + "]: unexpected token \"\"\n", sources.KindBadQuery, "cannot parse query: unexpected token"},
		{400, "too big time range selected: [a, b]; it cannot exceed -search.maxQueryTimeRange=1d", sources.KindTooMuchData, "too big time range"},
		{503, "couldn't start executing the request in 10.000 seconds, since -search.maxConcurrentRequests=8 concurrent requests are executed", sources.KindRateLimited, "maxConcurrentRequests"},
		{503, "the request couldn't be executed in 30.001 seconds; possible solutions: ...", sources.KindTimeout, "couldn't be executed"},
		{401, `{"error":"bad token"}`, sources.KindUnauthorized, "bad token"},
		{502, "<html><body>bad gateway</body></html>", sources.KindServerError, "HTTP 502 Bad Gateway"},
		{404, "", sources.KindNotFound, "HTTP 404"},
		{418, "teapot", sources.KindBadResponse, "teapot"},
		{400, "evil \x1b]52;c;aGk=\x07 text\nsecond", sources.KindBadQuery, "evil  text second"},
	} {
		e := httpError("query", c.status, []byte(c.body), q)
		if e.Kind != c.kind || !strings.Contains(e.Msg, c.msg) || e.Status != c.status {
			t.Errorf("%d %q: got %v (kind %v), want %v containing %q", c.status, c.body, e, e.Kind, c.kind, c.msg)
		}
	}
	e := streamError("query", []byte("cannot execute query [x]: error &quot;quoted&quot; &lt;b&gt;"), "")
	if e.Kind != sources.KindServerError || !strings.Contains(e.Msg, `error "quoted" <b>`) {
		t.Fatalf("%v", e)
	}
	if got := sources.HTTPErrorText(http.StatusBadRequest, []byte(strings.Repeat("é", 1000))); utf8.RuneCountInString(got) != 1000 {
		t.Fatalf("HTTPErrorText changed a long text: %d runes", utf8.RuneCountInString(got))
	}
	if m := httpError("q", 400, []byte(strings.Repeat("é", 1000)), "").Msg; len(m) > 400 || !utf8.ValidString(m) {
		t.Fatalf("message of %d bytes, valid %v", len(m), utf8.ValidString(m))
	}
}
