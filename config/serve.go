package config

import (
	"net"
	"strconv"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Serve configures `reltui serve`, the SSH console for a team. Flags
// override these.
type Serve struct {
	// Listen is host:port (default 127.0.0.1:2222).
	Listen string `yaml:"listen"`
	// HostKey is the server's private key, created (ed25519, 0600) on
	// first start.
	HostKey string `yaml:"host_key"`
	// AuthorizedKeys is an OpenSSH authorized_keys file whose options name
	// each key's user and role: reltui-user="alice",reltui-role="commander".
	AuthorizedKeys string `yaml:"authorized_keys"`
	// IdleTimeout closes a session without input for this long (default 10m).
	IdleTimeout Duration `yaml:"idle_timeout"`
	// HandshakeTimeout closes a connection that has not opened a session
	// this long after connecting (default 10s).
	HandshakeTimeout Duration `yaml:"handshake_timeout"`
	// MaxSessions caps concurrent sessions (default 64).
	MaxSessions int `yaml:"max_sessions"`
	// ConnectionsPerMinute and ConnectionBurst limit new connections per
	// client address (default 30 a minute, bursts of 10).
	ConnectionsPerMinute int `yaml:"connections_per_minute"`
	ConnectionBurst      int `yaml:"connection_burst"`
	// Users maps a user name to a role and, optionally, keys. A key listed
	// here needs no authorized_keys line; an authorized_keys line without
	// reltui-role takes its user's role from here.
	Users map[string]*ServeUser `yaml:"users"`
}

// ServeUser is one person allowed in over SSH.
type ServeUser struct {
	// Role is viewer, responder or commander.
	Role string `yaml:"role"`
	// Keys are public keys in authorized_keys format (no options).
	Keys []string `yaml:"keys"`
}

// ServeRoles are the role names serve accepts.
var ServeRoles = []string{"viewer", "responder", "commander"}

func (f *File) validateServe(key string, s *Serve) []Problem {
	var ps []Problem
	if s.Listen != "" {
		host, port, err := net.SplitHostPort(s.Listen)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			ps = append(ps, f.problem(key+".listen", "want host:port, e.g. 127.0.0.1:2222, got %q", s.Listen))
		} else if host == "" {
			ps = append(ps, f.problem(key+".listen", "give the address to listen on (0.0.0.0:%s for every interface); an empty host is easy to publish by accident", port))
		}
	}
	for _, d := range []struct {
		name string
		v    Duration
	}{{"idle_timeout", s.IdleTimeout}, {"handshake_timeout", s.HandshakeTimeout}} {
		if d.v < 0 {
			ps = append(ps, f.problem(key+"."+d.name, "must not be negative"))
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"max_sessions", s.MaxSessions}, {"connections_per_minute", s.ConnectionsPerMinute}, {"connection_burst", s.ConnectionBurst}} {
		if n.v < 0 {
			ps = append(ps, f.problem(key+"."+n.name, "must not be negative"))
		}
	}
	for name, u := range s.Users {
		uk := key + ".users." + name
		if u == nil {
			ps = append(ps, f.problem(uk, "give a role"))
			continue
		}
		if !validRole(u.Role) {
			ps = append(ps, f.problem(uk+".role", "unknown role %q; use one of %s", u.Role, strings.Join(ServeRoles, ", ")))
		}
		for i, k := range u.Keys {
			pk, _, opts, rest, err := gossh.ParseAuthorizedKey([]byte(k))
			switch {
			case err != nil:
				ps = append(ps, f.problem(uk+".keys", "key %d is not a public key (want e.g. \"ssh-ed25519 AAAA... alice@laptop\")", i+1))
			case len(opts) > 0 || len(strings.TrimSpace(string(rest))) > 0:
				ps = append(ps, f.problem(uk+".keys", "key %d: write the key alone, without options", i+1))
			default:
				if _, cert := pk.(*gossh.Certificate); cert {
					ps = append(ps, f.problem(uk+".keys", "key %d is a certificate; list the plain public key", i+1))
				}
			}
		}
	}
	return ps
}

func validRole(r string) bool {
	for _, v := range ServeRoles {
		if r == v {
			return true
		}
	}
	return false
}
