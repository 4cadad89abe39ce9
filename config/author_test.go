package config

import (
	"strings"
	"testing"
)

// TestAuthorIsOneRule: writes are recorded as --as, then the config's
// user:, then the OS user; a name with control characters or too long
// is refused.
func TestAuthorIsOneRule(t *testing.T) {
	f := &File{User: "carol"}
	for _, tc := range []struct {
		as        string
		f         *File
		want, src string
	}{
		{"alice", f, "alice", "--as"},
		{"  alice ", f, "alice", "--as"},
		{"", f, "carol", "the config's user:"},
		{"", &File{User: " carol\t"}, "carol", "the config's user:"},
		{"", &File{}, "tester", "the OS user"},
		{"", nil, "tester", "the OS user"},
	} {
		name, from, err := Author(tc.as, tc.f, "tester")
		if err != nil || name != tc.want || !strings.HasPrefix(from, tc.src) {
			t.Errorf("Author(%q, %+v) = %q from %q, %v; want %q from %s", tc.as, tc.f, name, from, err, tc.want, tc.src)
		}
	}
	for _, bad := range []string{"eve\x1b[2J", strings.Repeat("x", MaxAuthor+1)} {
		if _, _, err := Author(bad, nil, "tester"); err == nil {
			t.Errorf("author %q was accepted", bad)
		}
	}
	if _, _, err := Author("", &File{User: "mallory\x07"}, "tester"); err == nil {
		t.Error("a config user: with a control character was accepted")
	}
}

// TestOSUser: $USER when it is a plain name, else the user database;
// never a name with control characters.
func TestOSUser(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "USER" {
				return v
			}
			return ""
		}
	}
	if got := OSUser(env(" tester ")); got != "tester" {
		t.Errorf("OSUser with USER=tester = %q", got)
	}
	for _, v := range []string{"", "eve\x1b[2J"} {
		got := OSUser(env(v))
		if got == "" || got == v || strings.ContainsAny(got, "\x1b\x00") {
			t.Errorf("OSUser with USER=%q = %q, want the user database's name or unknown", v, got)
		}
	}
}
