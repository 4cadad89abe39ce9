package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/reltui/reltui/sources/transport"
)

// Value reads the secret from its file or environment variable. Trailing
// newlines of a file are trimmed, as editors add them.
func (s *Secret) Value(env Env) (string, error) {
	if s == nil {
		return "", nil
	}
	if s.File != "" {
		b, err := env.ReadFile(s.File)
		if err != nil {
			return "", fmt.Errorf("read secret file %s: %w", s.File, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	v := env.Getenv(s.Env)
	if v == "" {
		return "", fmt.Errorf("environment variable %s is not set", s.Env)
	}
	return v, nil
}

// Describe says where the secret comes from, never what it is.
func (s *Secret) Describe(env Env) string {
	switch {
	case s == nil:
		return "none"
	case s.File != "":
		if _, err := env.Stat(s.File); err != nil {
			return "from file " + s.File + " (missing)"
		}
		return "from file " + s.File + " (redacted)"
	default:
		if env.Getenv(s.Env) == "" {
			return "from env " + s.Env + " (unset)"
		}
		return "from env " + s.Env + " (redacted)"
	}
}

// Transport resolves the backend's secrets into transport options.
func (b *Backend) Transport(env Env) (transport.Options, error) {
	o := transport.Options{Tenant: b.Tenant, TenantHeader: b.TenantHeader, Headers: b.Headers, UserAgent: "reltui",
		AuthHeader: b.AuthHeader, ProxyURL: b.ProxyURL}
	if b.BasicAuth != nil {
		pw, err := b.BasicAuth.Password.Value(env)
		if err != nil {
			return o, err
		}
		o.Username, o.Password = b.BasicAuth.Username, pw
	}
	if b.BearerToken != nil {
		tok, err := b.BearerToken.Value(env)
		if err != nil {
			return o, err
		}
		o.BearerToken = tok
	}
	if b.TLS != nil {
		o.CAFile, o.CertFile, o.KeyFile = b.TLS.CAFile, b.TLS.CertFile, b.TLS.KeyFile
		o.ServerName, o.InsecureSkipVerify = b.TLS.ServerName, b.TLS.InsecureSkipVerify
	}
	return o, nil
}

// TimeoutOr returns the configured timeout or DefaultTimeout.
func (b *Backend) TimeoutOr() Duration {
	if b.Timeout == 0 {
		return Duration(DefaultTimeout)
	}
	return b.Timeout
}

// GRPCTarget returns host:port and whether TLS is wanted, for a backend
// whose URL is grpc://, grpcs://, http:// or https://.
func (b *Backend) GRPCTarget() (string, bool, error) {
	u, err := url.Parse(b.URL)
	if err != nil {
		return "", false, fmt.Errorf("jaeger url: %w", err)
	}
	secure := u.Scheme == "grpcs" || u.Scheme == "https"
	host := u.Host
	if u.Port() == "" {
		host += ":16685"
	}
	return host, secure || (b.TLS != nil && b.TLS.CAFile != ""), nil
}
