package transport

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ParseBaseURL checks a backend's base URL: absolute http(s), a host, no
// query or fragment; a path prefix is allowed. Errors say what is wrong
// without quoting the address, which may carry a password.
func ParseBaseURL(addr string) (*url.URL, error) {
	if strings.TrimSpace(addr) == "" {
		return nil, errors.New("empty")
	}
	u, err := url.Parse(strings.TrimSpace(addr))
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, errors.New("no host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("must not have a query or fragment")
	}
	return u, nil
}
