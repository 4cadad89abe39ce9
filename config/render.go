package config

import (
	"fmt"
	"sort"
	"strings"
)

// sensitiveHeader reports whether a header's value may be a credential and
// must not be printed.
func sensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "cookie", "password", "session"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Redacted renders the resolved configuration for people: every secret is
// shown only by where it comes from.
func (f *File) Redacted(env Env) string {
	var b strings.Builder
	src := f.Path
	if src == "" {
		src = "environment (logcli variables)"
	}
	fmt.Fprintf(&b, "source: %s\n", src)
	fmt.Fprintf(&b, "current_context: %s\n", f.CurrentContext)
	switch inc := f.Incidents; {
	case inc == nil:
		b.WriteString("incidents: sqlite at the default path ($XDG_DATA_HOME/reltui/incidents.db)\n")
	case inc.Driver == "postgres":
		fmt.Fprintf(&b, "incidents: postgres, dsn %s\n", inc.DSN.Describe(env))
	default:
		path := inc.Path
		if path == "" {
			path = "the default path ($XDG_DATA_HOME/reltui/incidents.db)"
		}
		fmt.Fprintf(&b, "incidents: sqlite at %s\n", path)
	}
	b.WriteString("contexts:\n")
	for _, name := range f.Names() {
		c := f.Contexts[name]
		fmt.Fprintf(&b, "  %s:\n", name)
		for _, nb := range []struct {
			name string
			b    *Backend
		}{{"loki", c.Loki}, {"victorialogs", c.VictoriaLogs}, {"prometheus", c.Prometheus}, {"alertmanager", c.Alertmanager}, {"jaeger", c.Jaeger}} {
			if nb.b != nil {
				writeBackend(&b, nb.name, nb.b, env)
			}
		}
		if k := c.Kafka; k != nil {
			fmt.Fprintf(&b, "    kafka:\n      brokers: [%s]\n", strings.Join(k.Brokers, ", "))
			if k.SASL != nil {
				fmt.Fprintf(&b, "      sasl: %s user %s, password %s\n", k.SASL.Mechanism, k.SASL.Username, k.SASL.Password.Describe(env))
			}
			writeTLS(&b, k.TLS)
		}
		if g := c.Grafana; g != nil {
			fmt.Fprintf(&b, "    grafana:\n      url: %s\n", g.URL)
		}
	}
	return b.String()
}

func writeBackend(b *strings.Builder, name string, be *Backend, env Env) {
	fmt.Fprintf(b, "    %s:\n      url: %s\n      timeout: %s\n", name, be.URL, be.TimeoutOr().Std())
	if be.Tenant != "" {
		h := be.TenantHeader
		if h == "" {
			h = "X-Scope-OrgID"
		}
		fmt.Fprintf(b, "      tenant: %s (header %s)\n", be.Tenant, h)
	}
	if be.BasicAuth != nil {
		fmt.Fprintf(b, "      basic_auth: user %s, password %s\n", be.BasicAuth.Username, be.BasicAuth.Password.Describe(env))
	}
	if be.BearerToken != nil {
		fmt.Fprintf(b, "      bearer_token: %s\n", be.BearerToken.Describe(env))
	}
	writeTLS(b, be.TLS)
	if len(be.Headers) > 0 {
		keys := make([]string, 0, len(be.Headers))
		for k := range be.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("      headers:\n")
		for _, k := range keys {
			v := be.Headers[k]
			if sensitiveHeader(k) {
				v = "(redacted)"
			}
			fmt.Fprintf(b, "        %s: %s\n", k, v)
		}
	}
}

func writeTLS(b *strings.Builder, t *TLS) {
	if t == nil {
		return
	}
	var parts []string
	if t.CAFile != "" {
		parts = append(parts, "ca "+t.CAFile)
	}
	if t.CertFile != "" {
		parts = append(parts, "client cert "+t.CertFile)
	}
	if t.ServerName != "" {
		parts = append(parts, "server name "+t.ServerName)
	}
	if t.InsecureSkipVerify {
		parts = append(parts, "INSECURE: certificate not verified")
	}
	fmt.Fprintf(b, "      tls: %s\n", strings.Join(parts, ", "))
}
