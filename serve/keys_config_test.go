package serve

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
)

// TestKeysFromConfigJoinsUsersAndTheFile: a key listed under serve.users
// gets its user's role; an authorized_keys line without reltui-role gets
// its user's role from serve.users.
func TestKeysFromConfigJoinsUsersAndTheFile(t *testing.T) {
	alice, bob := newTestKey(t), newTestKey(t)
	users := map[string]*config.ServeUser{
		"alice": {Role: "commander", Keys: []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(alice.pub)))}},
		"bob":   {Role: "viewer"},
	}
	file := `reltui-user="bob" ` + strings.TrimSpace(string(gossh.MarshalAuthorizedKey(bob.pub))) + "\n"
	read := func(p string) ([]byte, error) {
		if p != "/etc/reltui/authorized_keys" {
			t.Fatalf("read %s", p)
		}
		return []byte(file), nil
	}
	keys, err := KeysFromConfig(users, "/etc/reltui/authorized_keys", read)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		k    testKey
		user string
		role incidents.Role
	}{{alice, "alice", "commander"}, {bob, "bob", "viewer"}} {
		id, ok := keys.Lookup(c.k.pub)
		if !ok || id.User != c.user || id.Role != c.role {
			t.Errorf("%s's key: %+v %v, want %s as %s", c.user, id, ok, c.user, c.role)
		}
	}
	if keys.Len() != 2 {
		t.Errorf("%d keys, want 2", keys.Len())
	}
}

func TestKeysFromConfigRefusesEveryProblem(t *testing.T) {
	k := newTestKey(t)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.pub)))
	noFile := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	for _, c := range []struct {
		name  string
		users map[string]*config.ServeUser
		file  string
		want  []string
	}{
		{"bad role and key", map[string]*config.ServeUser{
			"carol": {Role: "admin", Keys: []string{line}},
			"dave":  {Role: "viewer", Keys: []string{"ssh-ed25519 notbase64"}},
		}, "", []string{"serve.users.carol: ", "serve.users.dave.keys[0]: "}},
		{"missing file", nil, "/nope", []string{"authorized keys: ", fs.ErrNotExist.Error()}},
		{"no keys", map[string]*config.ServeUser{"erin": {Role: "viewer"}}, "", []string{"no authorized keys: give --authorized-keys FILE or serve.users with keys"}},
	} {
		keys, err := KeysFromConfig(c.users, c.file, noFile)
		if err == nil || keys != nil {
			t.Errorf("%s: %v, %v; want a refusal", c.name, keys, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.name, err, w)
			}
		}
	}
	if _, err := KeysFromConfig(nil, "/nope", noFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the read error is not kept: %v", err)
	}
}
