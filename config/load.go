package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds what Load reads; a config is a few kilobytes.
const MaxFileSize = 1 << 20

// DefaultPath is $XDG_CONFIG_HOME/reltui/config.yaml (or ~/.config/...).
func DefaultPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "reltui", "config.yaml")
}

// Env is what loading needs from the process environment, so tests and
// SSH sessions can supply their own.
type Env struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	Stat     func(string) (fs.FileInfo, error)
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Getenv: os.Getenv, ReadFile: os.ReadFile, Stat: os.Stat}
}

// Load reads the file at path. When explicit is false and the file does not
// exist, the configuration comes from logcli-style environment variables
// instead (LOKI_ADDR and friends).
func Load(path string, explicit bool, env Env) (*File, error) {
	if path == "" && !explicit {
		path = DefaultPath(env.Getenv)
	}
	if path != "" {
		info, err := env.Stat(path)
		switch {
		case err == nil && info.IsDir():
			return nil, fmt.Errorf("config %s is a directory, not a file", path)
		case err == nil && info.Size() > MaxFileSize:
			return nil, fmt.Errorf("config %s is %d bytes; the limit is %d", path, info.Size(), MaxFileSize)
		case err == nil:
			data, err := env.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("read config: %w", err)
			}
			return Parse(data, path, env)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read config: %w", err)
		case explicit:
			return nil, fmt.Errorf("config file %s does not exist", path)
		}
	}
	return FromEnv(env)
}

// Parse decodes and validates a configuration document. name is used in
// error messages.
func Parse(data []byte, name string, env Env) (*File, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, Problems{yamlSyntax(name, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Problems{{File: name, Line: extra.Line, Msg: "more than one YAML document; put everything in one"}}
	}
	f := &File{Path: name}
	d := &decoder{file: name, pos: positions{}}
	if len(root.Content) == 1 {
		d.decode(root.Content[0], reflect.ValueOf(f).Elem(), "")
	}
	f.pos = d.pos
	d.problems = append(d.problems, f.validate(env)...)
	if len(d.problems) > 0 {
		sort.SliceStable(d.problems, func(i, j int) bool { return d.problems[i].Line < d.problems[j].Line })
		return nil, d.problems
	}
	return f, nil
}

func yamlSyntax(name string, data []byte, err error) Problem {
	msg := err.Error()
	line := 0
	// yaml.v3 says "yaml: line 7: mapping values are not allowed ...".
	if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
		if n, after, ok := strings.Cut(rest, ":"); ok {
			fmt.Sscanf(n, "%d", &line)
			msg = strings.TrimSpace(after)
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.Contains(msg, "tab character") {
		// yaml.v3 reports the line of the enclosing block; the tab itself
		// is what the user needs to find.
		for i, l := range strings.Split(string(data), "\n") {
			if indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]; strings.Contains(indent, "\t") {
				line = i + 1
				break
			}
		}
		msg = "a tab is used for indentation; YAML needs spaces"
	}
	return Problem{File: name, Line: line, Msg: "invalid YAML: " + msg}
}

// Names returns the context names in sorted order.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Contexts))
	for n := range f.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Select returns the named context, or the current one when name is "".
// With a single context and no current_context, that context is used.
func (f *File) Select(name string) (string, *Context, error) {
	if name == "" {
		name = f.CurrentContext
	}
	if name == "" && len(f.Contexts) == 1 {
		name = f.Names()[0]
	}
	if name == "" {
		return "", nil, fmt.Errorf("no context selected: set current_context in %s or pass --context (one of: %s)", f.where(), strings.Join(f.Names(), ", "))
	}
	c, ok := f.Contexts[name]
	if !ok {
		return "", nil, fmt.Errorf("context %q is not in %s (have: %s)", name, f.where(), strings.Join(f.Names(), ", "))
	}
	return name, c, nil
}

func (f *File) where() string {
	if f.Path == "" {
		return "the environment"
	}
	return f.Path
}

func (f *File) problem(key, format string, args ...any) Problem {
	line, col := f.pos.at(key)
	return Problem{File: f.where(), Line: line, Column: col, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (f *File) validate(env Env) []Problem {
	var ps []Problem
	if f.Incidents != nil {
		ps = append(ps, f.validateIncidents("incidents", f.Incidents, env)...)
	}
	if f.Serve != nil {
		ps = append(ps, f.validateServe("serve", f.Serve)...)
	}
	if len(f.Contexts) == 0 {
		ps = append(ps, Problem{File: f.where(), Key: "contexts", Msg: "no contexts defined; add at least one under contexts:"})
		return ps
	}
	if f.CurrentContext != "" {
		if _, ok := f.Contexts[f.CurrentContext]; !ok {
			ps = append(ps, f.problem("current_context", "context %q is not defined (have: %s)", f.CurrentContext, strings.Join(f.Names(), ", ")))
		}
	}
	for _, name := range f.Names() {
		c := f.Contexts[name]
		if c == nil {
			ps = append(ps, f.problem("contexts."+name, "context is empty"))
			continue
		}
		base := "contexts." + name
		ps = append(ps, f.validateBackend(base+".loki", c.Loki, []string{"http", "https"}, env)...)
		ps = append(ps, f.validateBackend(base+".victorialogs", c.VictoriaLogs, []string{"http", "https"}, env)...)
		if c.Loki != nil && c.VictoriaLogs != nil {
			ps = append(ps, f.problem(base+".victorialogs", "a context has one log backend: configure loki or victorialogs, not both (make a second context for the other)"))
		}
		ps = append(ps, f.validateBackend(base+".prometheus", c.Prometheus, []string{"http", "https"}, env)...)
		ps = append(ps, f.validateBackend(base+".alertmanager", c.Alertmanager, []string{"http", "https"}, env)...)
		ps = append(ps, f.validateBackend(base+".jaeger", c.Jaeger, []string{"grpc", "grpcs", "http", "https"}, env)...)
		if c.Kafka != nil {
			ps = append(ps, f.validateKafka(base+".kafka", c.Kafka, env)...)
		}
		if c.Grafana != nil {
			if p := f.checkURL(base+".grafana.url", c.Grafana.URL, []string{"http", "https"}); p != nil {
				ps = append(ps, *p)
			}
		}
		if c.Metrics != nil {
			ps = append(ps, f.validateMetrics(base+".metrics", c.Metrics)...)
		}
		ps = append(ps, f.validateChanges(base+".changes", c.Changes)...)
		ps = append(ps, f.validateDrills(base+".drills", c.Drills)...)
		ps = append(ps, f.validateSLOs(base, c)...)
		if c.Lag != nil {
			ps = append(ps, f.validateLag(base+".lag", c.Lag)...)
		}
		if c.Correlate != nil {
			ps = append(ps, f.validateCorrelate(base+".correlate", c.Correlate)...)
		}
		if c.Runbooks != nil {
			ps = append(ps, f.validateRunbooks(base+".runbooks", c.Runbooks)...)
		}
		if c.Loki == nil && c.VictoriaLogs == nil && c.Prometheus == nil && c.Jaeger == nil && c.Alertmanager == nil {
			ps = append(ps, f.problem(base, "context has no backends; configure at least one of loki, victorialogs, prometheus, alertmanager, jaeger"))
		}
	}
	return ps
}

func (f *File) validateBackend(key string, b *Backend, schemes []string, env Env) []Problem {
	if b == nil {
		return nil
	}
	var ps []Problem
	if p := f.checkURL(key+".url", b.URL, schemes); p != nil {
		ps = append(ps, *p)
	}
	if b.TenantHeader != "" && b.Tenant == "" {
		ps = append(ps, f.problem(key+".tenant_header", "tenant_header is set but tenant is empty"))
	}
	if b.BasicAuth != nil {
		if b.BasicAuth.Username == "" {
			ps = append(ps, f.problem(key+".basic_auth.username", "basic_auth needs a username"))
		}
		if b.BasicAuth.Password == nil {
			ps = append(ps, f.problem(key+".basic_auth", "basic_auth needs password: {file: PATH} or password: {env: VAR}"))
		} else {
			ps = append(ps, f.checkSecret(key+".basic_auth.password", b.BasicAuth.Password, env)...)
		}
	}
	if b.BearerToken != nil {
		ps = append(ps, f.checkSecret(key+".bearer_token", b.BearerToken, env)...)
		if b.BasicAuth != nil {
			ps = append(ps, f.problem(key+".bearer_token", "set either basic_auth or bearer_token, not both"))
		}
	}
	ps = append(ps, f.checkTLS(key+".tls", b.TLS, env)...)
	for h := range b.Headers {
		if strings.ContainsAny(h, " :\r\n") {
			ps = append(ps, f.problem(key+".headers."+h, "not a valid HTTP header name"))
		}
		if strings.EqualFold(h, "Authorization") {
			ps = append(ps, f.problem(key+".headers."+h, "Authorization must not be written inline; use bearer_token or basic_auth"))
		}
	}
	if b.AuthHeader != "" {
		if strings.ContainsAny(b.AuthHeader, " :\r\n") || strings.TrimSpace(b.AuthHeader) == "" {
			ps = append(ps, f.problem(key+".auth_header", "not a valid HTTP header name"))
		}
		if b.BearerToken == nil {
			ps = append(ps, f.problem(key+".auth_header", "auth_header names the header for bearer_token, which is not set"))
		}
	}
	if b.ProxyURL != "" {
		if p := f.checkURL(key+".proxy_url", b.ProxyURL, []string{"http", "https", "socks5"}); p != nil {
			ps = append(ps, *p)
		}
	}
	if b.UIURL != "" {
		if p := f.checkURL(key+".ui_url", b.UIURL, []string{"http", "https"}); p != nil {
			ps = append(ps, *p)
		}
	}
	if t := b.Timeout.Std(); t != 0 && (t < 100*time.Millisecond || t > 10*time.Minute) {
		ps = append(ps, f.problem(key+".timeout", "timeout %s is outside 100ms..10m", t))
	}
	return append(ps, f.checkLimits(key, b)...)
}

func (f *File) validateIncidents(key string, in *Incidents, env Env) []Problem {
	var ps []Problem
	switch in.Driver {
	case "", "sqlite":
		if in.DSN != nil {
			ps = append(ps, f.problem(key+".dsn", "dsn is for driver postgres; driver sqlite takes path"))
		}
		switch info, err := env.Stat(in.Path); {
		case in.Path == "":
		case !filepath.IsAbs(in.Path):
			ps = append(ps, f.problem(key+".path", "path %q must be absolute", in.Path))
		case err == nil && info.IsDir():
			ps = append(ps, f.problem(key+".path", "%s is a directory; give the database file, e.g. %s", in.Path, filepath.Join(in.Path, "incidents.db")))
		}
	case "postgres":
		if in.Path != "" {
			ps = append(ps, f.problem(key+".path", "path is for driver sqlite; driver postgres takes dsn"))
		}
		if in.DSN == nil {
			p := f.problem(key+".dsn", "driver postgres needs dsn: {file: PATH} or dsn: {env: VAR}")
			if p.Line == 0 {
				p.Line, p.Column = f.pos.at(key + ".driver")
			}
			ps = append(ps, p)
		} else {
			ps = append(ps, f.checkSecret(key+".dsn", in.DSN, env)...)
		}
	default:
		ps = append(ps, f.problem(key+".driver", "driver %q is not sqlite or postgres", in.Driver))
	}
	for i, c := range in.Categories {
		if c == "" || strings.ContainsAny(c, " ,\t\n") || len(c) > 60 {
			ps = append(ps, f.problem(fmt.Sprintf("%s.categories[%d]", key, i), "category %q must be one word (letters, digits, - or _)", c))
		}
	}
	return ps
}

func (f *File) validateKafka(key string, k *Kafka, env Env) []Problem {
	var ps []Problem
	if len(k.Brokers) == 0 {
		ps = append(ps, f.problem(key+".brokers", "kafka needs at least one broker host:port"))
	}
	for i, b := range k.Brokers {
		if host, port, ok := strings.Cut(b, ":"); !ok || host == "" || port == "" {
			ps = append(ps, f.problem(fmt.Sprintf("%s.brokers[%d]", key, i), "broker %q is not host:port", b))
		}
	}
	ps = append(ps, f.checkTLS(key+".tls", k.TLS, env)...)
	if k.SASL != nil {
		switch k.SASL.Mechanism {
		case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		default:
			ps = append(ps, f.problem(key+".sasl.mechanism", "mechanism %q is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512", k.SASL.Mechanism))
		}
		if k.SASL.Password == nil {
			ps = append(ps, f.problem(key+".sasl", "sasl needs password: {file: PATH} or {env: VAR}"))
		} else {
			ps = append(ps, f.checkSecret(key+".sasl.password", k.SASL.Password, env)...)
		}
	}
	return ps
}

func (f *File) checkURL(key, raw string, schemes []string) *Problem {
	if raw == "" {
		p := f.problem(key, "url is required")
		if p.Line == 0 {
			// The url key is absent; point at its parent block.
			p.Line, p.Column = f.pos.at(strings.TrimSuffix(key, ".url"))
		}
		return &p
	}
	u, err := url.Parse(raw)
	if err != nil {
		p := f.problem(key, "not a valid URL: %q", raw)
		return &p
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok {
		p := f.problem(key, "URL %q must start with %s://", raw, strings.Join(schemes, ":// or "))
		return &p
	}
	if u.Host == "" {
		p := f.problem(key, "URL %q has no host", raw)
		return &p
	}
	if u.User != nil {
		p := f.problem(key, "credentials in the URL are not accepted; use basic_auth with a password file or env var")
		return &p
	}
	return nil
}

func (f *File) checkSecret(key string, s *Secret, env Env) []Problem {
	switch {
	case s.File == "" && s.Env == "":
		return []Problem{f.problem(key, "give file: PATH or env: VAR")}
	case s.File != "" && s.Env != "":
		return []Problem{f.problem(key, "give file or env, not both")}
	case s.File != "":
		return f.checkFile(key+".file", s.File, env)
	default:
		if env.Getenv(s.Env) == "" {
			return []Problem{f.problem(key+".env", "environment variable %s is not set", s.Env)}
		}
	}
	return nil
}

func (f *File) checkTLS(key string, t *TLS, env Env) []Problem {
	if t == nil {
		return nil
	}
	var ps []Problem
	for _, c := range []struct{ k, v string }{{"ca_file", t.CAFile}, {"cert_file", t.CertFile}, {"key_file", t.KeyFile}} {
		if c.v != "" {
			ps = append(ps, f.checkFile(key+"."+c.k, c.v, env)...)
		}
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		ps = append(ps, f.problem(key, "cert_file and key_file must be given together"))
	}
	return ps
}

func (f *File) checkFile(key, path string, env Env) []Problem {
	info, err := env.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return []Problem{f.problem(key, "file %s does not exist", path)}
	case err != nil:
		return []Problem{f.problem(key, "cannot read %s: %v", path, err)}
	case info.IsDir():
		return []Problem{f.problem(key, "%s is a directory, not a file", path)}
	}
	return nil
}
