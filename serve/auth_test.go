package serve

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// One pass over authorized_keys reports every problem of every line, each
// with its line number.
func TestAuthorizedKeysEveryProblemOfEveryLine(t *testing.T) {
	a, b, c := newTestKey(t), newTestKey(t), newTestKey(t)
	pub := func(k testKey) string { return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.pub))) }
	file := strings.Join([]string{
		`from="10.0.0.0/8",reltui-user="bad name",reltui-role="admin" ` + pub(a),
		`# a comment`,
		`command="/bin/sh" ` + pub(b),
		c.authorizedLine("carol", "viewer"),
		`not a key at all`,
	}, "\n")
	keys := NewKeys()
	err := ParseAuthorizedKeys("ak", []byte(file), keys, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`ak:1: option "from" is not supported`,
		`ak:1: user name "bad name"`,
		`ak:1: unknown role "admin"`,
		`ak:3: option "command" is not supported`,
		`ak:3: no reltui-user="NAME" option`,
		`ak:3: no reltui-role option`,
		`ak:5: not a public key line`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "ak:4") {
		t.Errorf("the good line was reported:\n%v", err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 7 {
		t.Errorf("%d problems reported, want 7:\n%v", n, err)
	}
}
