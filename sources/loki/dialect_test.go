package loki

import (
	"strconv"
	"strings"
	"testing"
)

// unquoteAfter reads the quoted string that follows prefix in q, as
// Loki's lexer would.
func unquoteAfter(t *testing.T, q, prefix string) string {
	t.Helper()
	i := strings.Index(q, prefix)
	if i < 0 {
		t.Fatalf("%q has no %q", q, prefix)
	}
	rest := q[i+len(prefix):]
	lit, err := strconv.QuotedPrefix(rest)
	if err != nil {
		t.Fatalf("%q: no quoted string after %q: %v", q, prefix, err)
	}
	v, _ := strconv.Unquote(lit)
	return v
}

var hostile = []string{`plain`, `say "hi"`, `back\slash`, "new\nline", "tab\there", `}{`, "\x00nul", "é✓", `\"`, "`tick`", "\xff"}

func TestDialectStream(t *testing.T) {
	var d Dialect
	if got := d.Stream("service", ""); got != `{service=~".+"}` {
		t.Fatalf("empty value: %s", got)
	}
	if got := d.Stream("app", "api"); got != `{app="api"}` {
		t.Fatalf("plain value: %s", got)
	}
	for _, v := range hostile {
		q := d.Stream("app", v)
		if got := unquoteAfter(t, q, "app="); got != v {
			t.Errorf("value %q came back as %q from %s", v, got, q)
		}
		if !strings.HasSuffix(q, "}") || strings.ContainsAny(q, "\n\x00") {
			t.Errorf("%q: selector %q is not one line", v, q)
		}
		if !d.IsSelector(q) {
			t.Errorf("IsSelector refuses its own selector %s", q)
		}
	}
}

func TestDialectContains(t *testing.T) {
	var d Dialect
	if got := d.Contains(`{app="a"}`, "error"); got != `{app="a"} |= "error"` {
		t.Fatalf("got %s", got)
	}
	for _, v := range hostile {
		q := d.Contains(`{app="a"}`, v)
		if got := unquoteAfter(t, q, "|= "); got != v {
			t.Errorf("%q came back as %q from %s", v, got, q)
		}
	}
}

func TestDialectIDQueries(t *testing.T) {
	var d Dialect
	sel := `{service_name=~".+"}`
	cases := []struct {
		fields, ids []string
		want        []string
	}{
		{nil, []string{"abc"}, []string{sel + ` |= "abc"`}},
		{[]string{"trace_id", "traceID"}, []string{"abc"},
			[]string{sel + ` |= "abc"`, sel + ` | trace_id="abc" or traceID="abc"`}},
		{[]string{"request_id"}, []string{"a.b", "c+d"},
			[]string{sel + ` |~ "a\\.b|c\\+d"`, sel + ` | request_id=~"a\\.b|c\\+d"`}},
		// A field name LogQL cannot parse is left out rather than
		// failing the query.
		{[]string{"trace.id", "1x", "ok"}, []string{"abc"}, []string{sel + ` |= "abc"`, sel + ` | ok="abc"`}},
		{[]string{"trace.id"}, []string{"abc"}, []string{sel + ` |= "abc"`}},
		{[]string{"trace_id"}, nil, nil},
	}
	for _, c := range cases {
		got := d.IDQueries(sel, c.fields, c.ids)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("IDQueries(%v, %v) = %q, want %q", c.fields, c.ids, got, c.want)
		}
	}
	for _, id := range hostile {
		qs := d.IDQueries(sel, []string{"trace_id"}, []string{id})
		if len(qs) != 2 {
			t.Fatalf("%q: %q", id, qs)
		}
		if got := unquoteAfter(t, qs[0], "|= "); got != id {
			t.Errorf("line filter for %q reads %q", id, got)
		}
		if got := unquoteAfter(t, qs[1], "trace_id="); got != id {
			t.Errorf("label filter for %q reads %q", id, got)
		}
	}
}

func TestDialectIsSelector(t *testing.T) {
	var d Dialect
	for _, s := range []string{`{app="a"}`, ` {app = "a" , env!="dev"} `, "{app=`raw\\d`}", `{service_name=~".+"}`,
		`{a=~"x|y", b!~"z"}`, `{a="}{"}`, `{a="x\"}"}`, `{a!=""}`, `{a="", b!~".*"}`} {
		if !d.IsSelector(s) {
			t.Errorf("%s refused", s)
		}
	}
	for _, s := range []string{``, `{}`, `app="a"`, `{app="a"} |= "x"`, `{app="a"} | json`, `{app="a",}`, `{app="a" env="b"}`,
		`{app=a}`, `{1app="a"}`, `{app=="a"}`, `{app="a}`, `{a=~"("}`, `{a=~".*"}`, `{a=""}`, `{a!="x"}`, `{a!~".+"}`,
		`{a="x"`, `rate({a="x"}[1m])`, `{a="x"}}`} {
		if d.IsSelector(s) {
			t.Errorf("%s accepted", s)
		}
	}
}

func TestDialectNames(t *testing.T) {
	var d Dialect
	if d.Language() != "LogQL" {
		t.Fatal(d.Language())
	}
	if got := d.Example("service"); got != `{service=~".+"} |= "error"` {
		t.Fatalf("example %s", got)
	}
	c := &Client{}
	if c.Backend() != "loki" || c.Dialect() != (Dialect{}) {
		t.Fatal("client names")
	}
}

func FuzzDialectIsSelector(f *testing.F) {
	for _, s := range []string{`{app="a"}`, `{a=~"x|y", b!~"z"}`, "{a=`x`}", `{a="\"}`, `{`, `{a="\xff"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Dialect
		if !d.IsSelector(s) {
			return
		}
		if !strings.HasPrefix(strings.TrimSpace(s), "{") {
			t.Fatalf("%q accepted without a brace", s)
		}
		// Whatever it accepts, a label value round-trips through Stream.
		q := d.Stream("app", s)
		if got := unquoteAfter(t, q, "app="); got != s {
			t.Fatalf("%q round-tripped as %q", s, got)
		}
	})
}
