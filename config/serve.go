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
	// StallTimeout disconnects a session whose terminal has taken none of
	// its output for this long (default 30s).
	StallTimeout Duration `yaml:"stall_timeout"`
	// OutputBufferBytes is how much output waits for a slow terminal before
	// it is replaced by one fresh frame (default 262144, 256 KiB).
	OutputBufferBytes int `yaml:"output_buffer_bytes"`
	// MaxSessions caps concurrent sessions (default 64).
	MaxSessions int `yaml:"max_sessions"`
	// MaxSessionsPerUser caps one user's concurrent sessions (default 4).
	MaxSessionsPerUser int `yaml:"max_sessions_per_user"`
	// MaxSessionsPerRole caps each role's concurrent sessions (default:
	// viewer 3/4 of max_sessions, responder 7/8, commander all).
	MaxSessionsPerRole map[string]int `yaml:"max_sessions_per_role"`
	// ConnectionsPerMinute and ConnectionBurst limit new connections per
	// client address (default 30 a minute, bursts of 10).
	ConnectionsPerMinute int `yaml:"connections_per_minute"`
	ConnectionBurst      int `yaml:"connection_burst"`
	// IPv6Prefix is the prefix length that counts as one client for the
	// connection limit (default 64).
	IPv6Prefix int `yaml:"ipv6_prefix"`
	// LimiterAddresses is how many client addresses the connection limit
	// remembers; the least recently seen is forgotten past it (default
	// 65536).
	LimiterAddresses int `yaml:"limiter_addresses"`
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

// ServeRoles returns the role names serve accepts, a fresh slice each call.
func ServeRoles() []string { return []string{"viewer", "responder", "commander"} }

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
	}{{"idle_timeout", s.IdleTimeout}, {"handshake_timeout", s.HandshakeTimeout}, {"stall_timeout", s.StallTimeout}} {
		if d.v < 0 {
			ps = append(ps, f.problem(key+"."+d.name, "must not be negative"))
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"max_sessions", s.MaxSessions}, {"max_sessions_per_user", s.MaxSessionsPerUser}, {"connections_per_minute", s.ConnectionsPerMinute},
		{"connection_burst", s.ConnectionBurst}, {"output_buffer_bytes", s.OutputBufferBytes}, {"limiter_addresses", s.LimiterAddresses}} {
		if n.v < 0 {
			ps = append(ps, f.problem(key+"."+n.name, "must not be negative"))
		}
	}
	if s.IPv6Prefix < 0 || s.IPv6Prefix > 128 {
		ps = append(ps, f.problem(key+".ipv6_prefix", "want a prefix length from 1 to 128 (64 counts one /64 as one client), got %d", s.IPv6Prefix))
	}
	for role, n := range s.MaxSessionsPerRole {
		switch {
		case !validRole(role):
			ps = append(ps, f.problem(key+".max_sessions_per_role."+role, "unknown role %q; use one of %s", role, strings.Join(ServeRoles(), ", ")))
		case n < 0:
			ps = append(ps, f.problem(key+".max_sessions_per_role."+role, "must not be negative"))
		}
	}
	for name, u := range s.Users {
		uk := key + ".users." + name
		if u == nil {
			ps = append(ps, f.problem(uk, "give a role"))
			continue
		}
		if !validRole(u.Role) {
			ps = append(ps, f.problem(uk+".role", "unknown role %q; use one of %s", u.Role, strings.Join(ServeRoles(), ", ")))
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
	for _, v := range ServeRoles() {
		if r == v {
			return true
		}
	}
	return false
}
