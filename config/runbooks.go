package config

import (
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/reltui/reltui/incidents/runbook"
)

// Runbooks says where one context's alert runbooks come from.
type Runbooks struct {
	// Dir is a directory (or Git checkout) of Markdown runbooks named
	// <AlertName>.md or <service>.md; relative to the config file.
	Dir string `yaml:"dir"`
	// AllowedHosts are the hosts (host or host:port) a runbook_url may be
	// fetched from as plain Markdown; any other URL is only shown and
	// copied.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// MaxKiB caps a runbook's size (default 256).
	MaxKiB int `yaml:"max_kib"`
	// Timeout bounds one fetch (default 10s).
	Timeout Duration `yaml:"timeout"`
}

// RunbookOptions resolves the context's runbooks: block for package
// runbook, with dir made absolute against the config file's directory. A
// context without the block gets options that find no local runbook and
// fetch nothing.
func (c *Context) RunbookOptions(configPath string) runbook.Options {
	r := c.Runbooks
	if r == nil {
		return runbook.Options{}
	}
	opt := runbook.Options{AllowedHosts: r.AllowedHosts, MaxBytes: int64(r.MaxKiB) << 10, Timeout: r.Timeout.Std()}
	if d := r.Dir; d != "" {
		if !filepath.IsAbs(d) && configPath != "" {
			d = filepath.Join(filepath.Dir(configPath), d)
		}
		opt.Dir = filepath.Clean(d)
	}
	return opt
}

func (f *File) validateRunbooks(key string, r *Runbooks) []Problem {
	var ps []Problem
	if r.MaxKiB < 0 || r.MaxKiB > 8192 {
		ps = append(ps, f.problem(key+".max_kib", "max_kib %d is outside 1..8192", r.MaxKiB))
	}
	if t := r.Timeout.Std(); t < 0 || t > 2*time.Minute {
		ps = append(ps, f.problem(key+".timeout", "timeout %s is outside 0..2m", t))
	}
	for _, h := range r.AllowedHosts {
		if !validHost(h) {
			ps = append(ps, f.problem(key+".allowed_hosts", "%q is not a host or host:port (no scheme, path or wildcard)", h))
		}
	}
	return ps
}

func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, "/*?#@ \t") {
		return false
	}
	if host, port, err := net.SplitHostPort(h); err == nil {
		return host != "" && port != ""
	}
	return !strings.Contains(h, ":") || net.ParseIP(h) != nil
}
