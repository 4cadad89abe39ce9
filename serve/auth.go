package serve

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/incidents"
)

// Identity is who a session is: the user name every write is attributed
// to and the role that decides which writes are allowed.
type Identity struct {
	User string
	Role incidents.Role
}

// The authorized_keys options reltui reads.
const (
	optUser = "reltui-user"
	optRole = "reltui-role"
)

// harmlessOptions are OpenSSH options that only take away what reltui serve
// never offers anyway (forwarding, a shell, rc files); they are accepted
// so an existing authorized_keys line can be copied as is. Every other
// option (from=, command=, expiry-time=, ...) restricts access in a way
// reltui does not enforce, so it is refused rather than silently ignored.
var harmlessOptions = map[string]bool{
	"restrict": true, "no-port-forwarding": true, "no-agent-forwarding": true,
	"no-x11-forwarding": true, "no-user-rc": true, "pty": true,
}

// Keys maps authorized public keys to identities. It is built once at
// start and only read afterwards, so sessions share it without locks.
type Keys struct {
	byKey map[string]Identity // key: the public key's wire encoding
}

// NewKeys returns an empty key set.
func NewKeys() *Keys { return &Keys{byKey: map[string]Identity{}} }

// Len is the number of authorized keys.
func (k *Keys) Len() int { return len(k.byKey) }

// Add authorizes key as id. A key may map to one identity only.
func (k *Keys) Add(key gossh.PublicKey, id Identity) error {
	if _, isCert := key.(*gossh.Certificate); isCert {
		return fmt.Errorf("certificates are not supported; list the plain public key")
	}
	if err := checkIdentity(id); err != nil {
		return err
	}
	wire := string(key.Marshal())
	if prev, ok := k.byKey[wire]; ok && prev != id {
		return fmt.Errorf("key %s is listed for %s (%s) and for %s (%s)", gossh.FingerprintSHA256(key), prev.User, prev.Role, id.User, id.Role)
	}
	k.byKey[wire] = id
	return nil
}

// Lookup returns the identity of an exact, non-certificate key.
func (k *Keys) Lookup(key gossh.PublicKey) (Identity, bool) {
	if key == nil {
		return Identity{}, false
	}
	if _, isCert := key.(*gossh.Certificate); isCert {
		return Identity{}, false
	}
	id, ok := k.byKey[string(key.Marshal())]
	return id, ok
}

// ParseRole reads a serve role. Unlike incidents.ParseRole an empty role is
// not the local console's default (commander): serve never grants more
// than it was told, so a missing role is an error the caller resolves.
func ParseRole(s string) (incidents.Role, error) {
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("no role given; use viewer, responder or commander")
	}
	r, err := incidents.ParseRole(s)
	if err != nil {
		return "", fmt.Errorf("unknown role %q; use viewer, responder or commander", s)
	}
	return r, nil
}

func checkIdentity(id Identity) error {
	if id.User == "" {
		return fmt.Errorf("no user name")
	}
	if !validUser(id.User) {
		return fmt.Errorf("user name %q: use letters, digits, '.', '_', '-' and '@' only", id.User)
	}
	if _, err := ParseRole(string(id.Role)); err != nil {
		return err
	}
	return nil
}

// validUser keeps names printable and short: they are shown to every
// session and written into the incident record as authors.
func validUser(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}

// RoleOf looks up a user's role in the config mapping; ok is false when
// the user has none there.
type RoleOf func(user string) (incidents.Role, bool)

// ParseAuthorizedKeys reads an OpenSSH authorized_keys file whose lines
// name the user and role in options:
//
//	reltui-user="alice",reltui-role="commander" ssh-ed25519 AAAA... alice@laptop
//
// A line without reltui-role takes the role roles gives the user. Every
// problem is reported with its line number, all at once.
func ParseAuthorizedKeys(name string, data []byte, keys *Keys, roles RoleOf) error {
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		for _, err := range parseKeyLine(text, keys, roles) {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, line, err))
		}
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %v", name, err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

// parseKeyLine adds the key of one line, or returns every problem the
// line has, so that one pass over the file lists everything to fix.
func parseKeyLine(text []byte, keys *Keys, roles RoleOf) []error {
	key, _, options, rest, err := gossh.ParseAuthorizedKey(text)
	if err != nil {
		return []error{fmt.Errorf("not a public key line: %v", err)}
	}
	var errs []error
	if len(bytes.TrimSpace(rest)) != 0 {
		errs = append(errs, fmt.Errorf("more than one key on a line"))
	}
	var id Identity
	var roleText string
	roleSet := false
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		name = strings.ToLower(name)
		switch {
		case name == optUser && hasValue:
			id.User = unquote(value)
		case name == optRole && hasValue:
			roleText, roleSet = unquote(value), true
		case harmlessOptions[name] && !hasValue:
		default:
			errs = append(errs, fmt.Errorf("option %q is not supported by reltui serve (it would not be enforced)", name))
		}
	}
	if id.User == "" {
		errs = append(errs, fmt.Errorf("no %s=\"NAME\" option: every key must name its user", optUser))
	} else if !validUser(id.User) {
		errs = append(errs, fmt.Errorf("user name %q: use letters, digits, '.', '_', '-' and '@' only", id.User))
	}
	switch {
	case roleSet:
		if id.Role, err = ParseRole(roleText); err != nil {
			errs = append(errs, err)
		}
	case roles != nil && id.User != "":
		r, ok := roles(id.User)
		if !ok {
			errs = append(errs, fmt.Errorf("no %s option and no role for user %q in the config", optRole, id.User))
		}
		id.Role = r
	default:
		errs = append(errs, fmt.Errorf("no %s option", optRole))
	}
	if _, isCert := key.(*gossh.Certificate); isCert {
		errs = append(errs, fmt.Errorf("certificates are not supported; list the plain public key"))
	}
	if len(errs) > 0 {
		return errs
	}
	if err := keys.Add(key, id); err != nil {
		return []error{err}
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return strings.ReplaceAll(s, `\"`, `"`)
}
