// Package transport builds the HTTP round tripper and TLS settings shared by
// every HTTP backend client: tenant header, basic or bearer auth, extra
// headers and TLS. Credentials are resolved by the caller (config) and held
// here only in memory; nothing in this package formats them.
package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Options are the connection settings of one backend.
type Options struct {
	// TenantHeader defaults to X-Scope-OrgID when Tenant is set.
	TenantHeader string
	Tenant       string

	Username string
	Password string
	// BearerToken wins over basic auth when both are set.
	BearerToken string
	// AuthHeader carries the bearer token instead of Authorization, as
	// logcli's --auth-header does for gateways that want another header.
	AuthHeader string
	// ProxyURL sends every request through this HTTP proxy; empty means
	// the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
	ProxyURL string

	CAFile             string
	CertFile           string
	KeyFile            string
	ServerName         string
	InsecureSkipVerify bool

	Headers   map[string]string
	UserAgent string
}

// TLSConfig returns the TLS settings, or nil when none are configured.
func (o Options) TLSConfig() (*tls.Config, error) {
	if o.CAFile == "" && o.CertFile == "" && o.KeyFile == "" && o.ServerName == "" && !o.InsecureSkipVerify {
		return nil, nil
	}
	cfg := &tls.Config{ServerName: o.ServerName, InsecureSkipVerify: o.InsecureSkipVerify, MinVersion: tls.VersionTLS12} //nolint:gosec // opt-in, documented
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", o.CAFile)
		}
		cfg.RootCAs = pool
	}
	if (o.CertFile == "") != (o.KeyFile == "") {
		return nil, errors.New("client certificate and key must be given together")
	}
	if o.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// Check refuses settings that would fail every request or split a header
// line: a header name net/http cannot send, or a line break or NUL in a
// header value, the tenant, the bearer token or the user agent. The error
// names the setting, never its value, which may be a secret.
func (o Options) Check() error {
	for k, v := range o.Headers {
		if !validHeaderName(k) || badHeaderValue(v) {
			return fmt.Errorf("header %q has an invalid name or value", k)
		}
	}
	for _, n := range []struct{ setting, name string }{{"tenant header", o.TenantHeader}, {"auth header", o.AuthHeader}} {
		if n.name != "" && !validHeaderName(n.name) {
			return fmt.Errorf("%s %q is not a valid header name", n.setting, n.name)
		}
	}
	for _, v := range []struct{ setting, value string }{{"tenant", o.Tenant}, {"bearer token", o.BearerToken}, {"user agent", o.UserAgent}} {
		if badHeaderValue(v.value) {
			return fmt.Errorf("the %s must not contain line breaks or NUL", v.setting)
		}
	}
	return nil
}

// validHeaderName reports whether net/http can send k as a header name.
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

func badHeaderValue(v string) bool { return strings.ContainsAny(v, "\r\n\x00") }

// RoundTripper returns a transport that adds the configured headers and auth
// to every request. It fails on settings Check refuses and on TLS files
// that cannot be read.
func (o Options) RoundTripper() (http.RoundTripper, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	tlsCfg, err := o.TLSConfig()
	if err != nil {
		return nil, err
	}
	proxy, err := o.Proxy()
	if err != nil {
		return nil, err
	}
	base := &http.Transport{
		Proxy: proxy,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		TLSClientConfig:       tlsCfg,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return o.Wrap(base), nil
}

// Proxy returns the proxy function for ProxyURL, or the environment's. An
// unparsable ProxyURL is an error that does not repeat it (it may carry a
// password).
func (o Options) Proxy() (func(*http.Request) (*url.URL, error), error) {
	if o.ProxyURL == "" {
		return http.ProxyFromEnvironment, nil
	}
	u, err := url.Parse(o.ProxyURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
		return nil, errors.New("proxy URL must be http://, https:// or socks5:// host[:port]")
	}
	return http.ProxyURL(u), nil
}

// Wrap adds the configured headers and auth around next.
func (o Options) Wrap(next http.RoundTripper) http.RoundTripper {
	return &headerRT{opts: o, next: next}
}

type headerRT struct {
	opts Options
	next http.RoundTripper
}

func (h *headerRT) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	for k, v := range h.opts.Headers {
		r.Header.Set(k, v)
	}
	if h.opts.Tenant != "" {
		name := h.opts.TenantHeader
		if name == "" {
			name = "X-Scope-OrgID"
		}
		r.Header.Set(name, h.opts.Tenant)
	}
	switch {
	case h.opts.BearerToken != "":
		name := h.opts.AuthHeader
		if name == "" {
			name = "Authorization"
		}
		r.Header.Set(name, "Bearer "+h.opts.BearerToken)
	case h.opts.Username != "":
		r.SetBasicAuth(h.opts.Username, h.opts.Password)
	}
	if h.opts.UserAgent != "" {
		r.Header.Set("User-Agent", h.opts.UserAgent)
	}
	return h.next.RoundTrip(r)
}
