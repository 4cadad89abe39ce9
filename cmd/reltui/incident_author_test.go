package main

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/config"
)

// TestWhoWritesIsOneRule: the console and the headless commands record
// writes as --as, then the config's user:, then the OS user, through
// whoWrites; a name with control characters is refused.
func TestWhoWritesIsOneRule(t *testing.T) {
	t.Setenv("USER", "tester")
	f := &config.File{User: "carol"}
	for _, tc := range []struct {
		as        string
		f         *config.File
		want, src string
	}{
		{"alice", f, "alice", "--as"},
		{"", f, "carol", "the config's user:"},
		{"", &config.File{}, "tester", "the OS user"},
		{"", nil, "tester", "the OS user"},
	} {
		name, from, err := whoWrites(tc.as, tc.f)
		if err != nil || name != tc.want || !strings.HasPrefix(from, tc.src) {
			t.Errorf("whoWrites(%q, %+v) = %q from %q, %v; want %q from %s", tc.as, tc.f, name, from, err, tc.want, tc.src)
		}
	}
	if _, _, err := whoWrites("eve\x1b[2J", nil); err == nil {
		t.Error("a name with an escape was accepted")
	}
}
