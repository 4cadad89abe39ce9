package traces

import (
	"maps"
	"testing"
	"unicode/utf8"
)

// FuzzParseTags checks the tag parser on any text: it never panics, and
// whatever it accepts is written back by formatTags into text that parses
// to the same tags.
func FuzzParseTags(f *testing.F) {
	for _, s := range []string{
		"", "http.status_code=500", `a=1 b="x y" c=`, `k="unclosed`, "=v", "noeq", `a="q"x`,
		"a=1\tb=2", `a="\u00e9\n"`, "a==b", `a=""`, "  a=1  ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := parseTags(s)
		if err != nil {
			return
		}
		for k := range tags {
			if k == "" {
				t.Fatalf("empty key from %q", s)
			}
		}
		if !utf8.ValidString(s) {
			return
		}
		back := formatTags(tags)
		again, err := parseTags(back)
		if err != nil {
			t.Fatalf("formatTags(%v) = %q does not parse: %v", tags, back, err)
		}
		if !maps.Equal(tags, again) && len(tags) > 0 {
			t.Fatalf("round trip %q → %v → %q → %v", s, tags, back, again)
		}
	})
}

// FuzzParseForm checks the whole form parser never panics and keeps its
// promises on what it accepts.
func FuzzParseForm(f *testing.F) {
	f.Add("frontend", "", "", "", "", "")
	f.Add("payments", "POST /v1/charge", "http.status_code=500", "1s", "5s", "20")
	f.Add("x", "", "", "2s", "1s", "0")
	f.Add("x", "", "", "-1s", "9999999999999h", "1001")
	f.Fuzz(func(t *testing.T, svc, op, tags, minD, maxD, limit string) {
		q, err := parseForm(svc, op, tags, minD, maxD, limit)
		if err != nil {
			return
		}
		if q.Service == "" || q.MinDuration < 0 || q.MaxDuration < 0 || q.Limit < 0 || q.Limit > maxLimit {
			t.Fatalf("accepted a bad query %+v", q)
		}
		if q.MaxDuration > 0 && q.MinDuration > q.MaxDuration {
			t.Fatalf("accepted min > max: %+v", q)
		}
	})
}
