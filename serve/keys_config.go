package serve

import (
	"errors"
	"fmt"

	gossh "golang.org/x/crypto/ssh"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
)

// KeysFromConfig builds the server's key list from the config's
// serve.users (each user's role and keys) and the authorized_keys file at
// authorizedKeys ("" for none), read through readFile; a line there
// without reltui-role takes its user's role from serve.users. Every
// problem is reported, each naming where it is, and any problem, or no
// key at all, refuses the start.
func KeysFromConfig(users map[string]*config.ServeUser, authorizedKeys string, readFile func(string) ([]byte, error)) (*Keys, error) {
	keys := NewKeys()
	roleOf := func(user string) (incidents.Role, bool) {
		u, ok := users[user]
		if !ok || u == nil {
			return "", false
		}
		r, err := ParseRole(u.Role)
		return r, err == nil
	}
	var errs []error
	for name, u := range users {
		role, err := ParseRole(u.Role)
		if err != nil {
			errs = append(errs, fmt.Errorf("serve.users.%s: %w", name, err))
			continue
		}
		for i, k := range u.Keys {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k))
			if err == nil {
				err = keys.Add(pk, Identity{User: name, Role: role})
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("serve.users.%s.keys[%d]: %w", name, i, err))
			}
		}
	}
	if authorizedKeys != "" {
		data, err := readFile(authorizedKeys)
		if err != nil {
			errs = append(errs, fmt.Errorf("authorized keys: %w", err))
		} else if err := ParseAuthorizedKeys(authorizedKeys, data, keys, roleOf); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if keys.Len() == 0 {
		return nil, errors.New("no authorized keys: give --authorized-keys FILE or serve.users with keys")
	}
	return keys, nil
}
