package victorialogs

import (
	"strconv"
	"strings"
	"testing"
)

// hostile values: quotes of every kind, backslashes, line breaks, a
// LogsQL comment, a pipe, braces, NUL, invalid UTF-8 and terminal escapes.
var hostile = []string{
	`plain`, `req-abc123`, `with "double" quotes`, `single ' quote`, "back`tick",
	`back\slash`, `trailing\`, "new\nline", "cr\rlf", `# not a comment`, `a | limit 1`,
	`{x="y"}`, `"}`, "nul\x00byte", "bad\xffutf8", "esc\x1b[31mred", `*`, `()`, ``,
}

func TestStream(t *testing.T) {
	d := Dialect{}
	for _, c := range []struct{ label, value, want string }{
		{"app", "api", `{app="api"}`},
		{"app", "", `{app=~".+"}`},
		{"service.name", "checkout", `{service.name="checkout"}`},
		{"k8s-pod", "x", `{"k8s-pod"="x"}`},
		{"or", "x", `{"or"="x"}`},
		{"9lives", "x", `{"9lives"="x"}`},
		{"app", `say "hi"\n`, `{app="say \"hi\"\\n"}`},
	} {
		if got := d.Stream(c.label, c.value); got != c.want {
			t.Errorf("Stream(%q, %q) = %s, want %s", c.label, c.value, got, c.want)
		}
	}
	for _, v := range hostile {
		for _, l := range []string{"app", v} {
			s := d.Stream(l, v)
			if !d.IsSelector(s) {
				t.Errorf("Stream(%q, %q) = %s is not a selector", l, v, s)
			}
			if strings.ContainsAny(s, "\n\r\x00\x1b") {
				t.Errorf("Stream(%q, %q) = %q carries a raw control byte", l, v, s)
			}
			if v == "" {
				continue
			}
			// The value is one Go-quoted string that decodes back to v.
			q := s[strings.Index(s, `="`)+1 : len(s)-1]
			if got, err := strconv.Unquote(q); err != nil || got != v {
				t.Errorf("Stream(%q, %q): value %s decodes to %q, %v", l, v, q, got, err)
			}
		}
	}
}

func TestContains(t *testing.T) {
	d := Dialect{}
	if got := d.Contains(`{app="api"}`, "req-abc123"); got != `{app="api"} | filter *"req-abc123"*` {
		t.Fatalf("got %s", got)
	}
	if got := d.Contains(`{app="api"} error OR warn`, `a"b`); got != `{app="api"} error OR warn | filter *"a\"b"*` {
		t.Fatalf("got %s", got)
	}
	if got := d.Contains(`{app="api"} # mine`, "x"); got != "{app=\"api\"} # mine\n| filter *\"x\"*" {
		t.Fatalf("a comment swallowed the filter: %q", got)
	}
	if got := d.Contains(`{app="api"}`, ""); got != `{app="api"}` {
		t.Fatalf("empty needle changed the query: %s", got)
	}
	for _, v := range hostile {
		got := d.Contains(`{app="api"}`, v)
		if v != "" && strings.ContainsAny(got, "\n\r\x00\x1b") {
			t.Errorf("Contains(%q) = %q carries a raw control byte", v, got)
		}
	}
}

func TestIDQueries(t *testing.T) {
	d := Dialect{}
	got := d.IDQueries(`{app="api"}`, []string{"trace_id", "request.id"}, []string{"req-1"})
	want := `{app="api"} (*"req-1"* OR "trace_id":="req-1" OR "request.id":="req-1")`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	got = d.IDQueries(`{app="api"}`, []string{"trace_id", "trace_id", ""}, []string{"a", `b"\`, "a", ""})
	want = `{app="api"} (*"a"* OR *"b\"\\"* OR "trace_id":in("a","b\"\\"))`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := d.IDQueries(`{app="api"}`, nil, []string{"x"}); got[0] != `{app="api"} (*"x"*)` {
		t.Fatalf("no fields: %q", got)
	}
	if got := d.IDQueries(`{app="api"}`, []string{"f"}, nil); got != nil {
		t.Fatalf("no ids: %q", got)
	}
	if got := d.IDQueries(``, []string{"f"}, []string{"x"}); got[0] != `(*"x"* OR "f":="x")` {
		t.Fatalf("no selector: %q", got)
	}
	if got := d.IDQueries(`{app="api"} | fields _msg, _time`, nil, []string{"x"}); got[0] != `{app="api"} | fields _msg, _time | filter (*"x"*)` {
		t.Fatalf("a selector with pipes: %q", got)
	}
	for _, v := range hostile {
		q := d.IDQueries(d.Stream("app", v), []string{v, "trace_id"}, []string{v, "id"})
		if len(q) != 1 || strings.ContainsAny(q[0], "\n\r\x00\x1b") {
			t.Errorf("IDQueries with %q = %q", v, q)
		}
	}
}

func TestIsSelector(t *testing.T) {
	d := Dialect{}
	for _, s := range []string{
		`{app="api"}`, ` {app="api"} `, `_stream:{app="api"}`, `{app="api",env!="dev"}`,
		`{app=~"a.+", env!~"x"}`, `{app="a" or app="b"}`, `{app in ("a", "b")}`, `{app not_in ('a')}`,
		"{app=`x`}", `{"k8s-pod"="x"}`, `{service.name="x"}`, `{app=api}`, `{app="a\"}b"}`,
	} {
		if !d.IsSelector(s) {
			t.Errorf("IsSelector(%s) = false", s)
		}
	}
	for _, s := range []string{
		``, `{}`, `app="api"`, `{app="api"} error`, `{app="api"`, `{app}`, `{app=}`, `{="x"}`,
		`{app="api",}`, `{app="api" and}`, `{app in "a"}`, `{app in ("a"}`, `{app="unterminated}`,
		`{app=="x"}`, `{a="b"} | limit 1`,
	} {
		if d.IsSelector(s) {
			t.Errorf("IsSelector(%s) = true", s)
		}
	}
}

func TestExampleAndLanguage(t *testing.T) {
	d := Dialect{}
	if d.Language() != "LogsQL" || d.Example("app") != `{app=~".+"} error` {
		t.Fatalf("%s %s", d.Language(), d.Example("app"))
	}
}

func FuzzDialect(f *testing.F) {
	for _, v := range hostile {
		f.Add(v, v)
	}
	d := Dialect{}
	f.Fuzz(func(t *testing.T, label, value string) {
		s := d.Stream(label, value)
		if !d.IsSelector(s) {
			t.Fatalf("Stream(%q, %q) = %q is not a selector", label, value, s)
		}
		for _, q := range d.IDQueries(s, []string{label}, []string{value}) {
			if strings.ContainsAny(q, "\n\r\x00") {
				t.Fatalf("IDQueries = %q", q)
			}
		}
	})
}
