package config

import (
	"errors"
	"strings"
)

// EnvContext is the context name used when configuration comes from the
// environment.
const EnvContext = "env"

// envKeys maps a config key (below contexts.env.) to the variable it came
// from, so problems name what the user actually set.
var envKeys = map[string]string{
	"loki.url":                 "LOKI_ADDR",
	"loki.tenant":              "LOKI_ORG_ID",
	"loki.basic_auth.username": "LOKI_USERNAME",
	"loki.basic_auth.password": "LOKI_PASSWORD",
	"loki.bearer_token.env":    "LOKI_BEARER_TOKEN",
	"loki.bearer_token.file":   "LOKI_BEARER_TOKEN_FILE",
	"loki.bearer_token":        "LOKI_BEARER_TOKEN",
	"loki.tls.ca_file":         "LOKI_CA_CERT_PATH",
	"loki.tls.cert_file":       "LOKI_CLIENT_CERT_PATH",
	"loki.tls.key_file":        "LOKI_CLIENT_KEY_PATH",
	"loki.tls":                 "LOKI_CLIENT_CERT_PATH",
	"loki.auth_header":         "LOKI_AUTH_HEADER",
	"loki.proxy_url":           "LOKI_HTTP_PROXY_URL",
	"victorialogs.url":         "RELTUI_VICTORIALOGS_URL",
	"victorialogs":             "RELTUI_VICTORIALOGS_URL",
	"prometheus.url":           "RELTUI_PROMETHEUS_URL",
	"alertmanager.url":         "RELTUI_ALERTMANAGER_URL",
	"jaeger.url":               "RELTUI_JAEGER_URL",
}

// FromEnv builds a one-context configuration from logcli's variables
// (LOKI_ADDR, LOKI_ORG_ID, LOKI_USERNAME, LOKI_PASSWORD, LOKI_BEARER_TOKEN,
// LOKI_BEARER_TOKEN_FILE, LOKI_AUTH_HEADER, LOKI_CA_CERT_PATH,
// LOKI_CLIENT_CERT_PATH, LOKI_CLIENT_KEY_PATH, LOKI_TLS_SERVER_NAME,
// LOKI_TLS_SKIP_VERIFY, LOKI_HTTP_PROXY_URL, LOKI_QUERY_TAGS,
// LOKI_NO_CACHE) plus
// RELTUI_VICTORIALOGS_URL, RELTUI_PROMETHEUS_URL, RELTUI_ALERTMANAGER_URL and
// RELTUI_JAEGER_URL. When both LOKI_ADDR and RELTUI_VICTORIALOGS_URL are
// set, the configuration is refused: a context has one log backend.
// Secrets stay in the environment: the configuration only names them.
func FromEnv(env Env) (*File, error) {
	get := env.Getenv
	c := &Context{}
	if addr := get("LOKI_ADDR"); addr != "" {
		b := &Backend{URL: addr, Tenant: get("LOKI_ORG_ID")}
		if u := get("LOKI_USERNAME"); u != "" || get("LOKI_PASSWORD") != "" {
			b.BasicAuth = &BasicAuth{Username: u, Password: &Secret{Env: "LOKI_PASSWORD"}}
		}
		switch {
		case get("LOKI_BEARER_TOKEN") != "":
			b.BearerToken = &Secret{Env: "LOKI_BEARER_TOKEN"}
		case get("LOKI_BEARER_TOKEN_FILE") != "":
			b.BearerToken = &Secret{File: get("LOKI_BEARER_TOKEN_FILE")}
		}
		t := &TLS{
			CAFile:             get("LOKI_CA_CERT_PATH"),
			CertFile:           get("LOKI_CLIENT_CERT_PATH"),
			KeyFile:            get("LOKI_CLIENT_KEY_PATH"),
			ServerName:         get("LOKI_TLS_SERVER_NAME"),
			InsecureSkipVerify: get("LOKI_TLS_SKIP_VERIFY") == "true",
		}
		if *t != (TLS{}) {
			b.TLS = t
		}
		b.AuthHeader = get("LOKI_AUTH_HEADER")
		b.ProxyURL = get("LOKI_HTTP_PROXY_URL")
		// logcli sends these two as headers; so does reltui.
		if tags := get("LOKI_QUERY_TAGS"); tags != "" {
			b.Headers = map[string]string{"X-Query-Tags": tags}
		}
		if get("LOKI_NO_CACHE") == "true" {
			if b.Headers == nil {
				b.Headers = map[string]string{}
			}
			b.Headers["Cache-Control"] = "no-cache"
		}
		c.Loki = b
	}
	if u := get("RELTUI_VICTORIALOGS_URL"); u != "" {
		c.VictoriaLogs = &Backend{URL: u}
	}
	if u := get("RELTUI_PROMETHEUS_URL"); u != "" {
		c.Prometheus = &Backend{URL: u}
	}
	if u := get("RELTUI_ALERTMANAGER_URL"); u != "" {
		c.Alertmanager = &Backend{URL: u}
	}
	if u := get("RELTUI_JAEGER_URL"); u != "" {
		c.Jaeger = &Backend{URL: u}
	}
	if c.Loki == nil && c.VictoriaLogs == nil && c.Prometheus == nil && c.Alertmanager == nil && c.Jaeger == nil {
		return nil, errors.New("no configuration: no config file (see --config / RELTUI_CONFIG) and none of LOKI_ADDR, RELTUI_VICTORIALOGS_URL, RELTUI_PROMETHEUS_URL, RELTUI_ALERTMANAGER_URL, RELTUI_JAEGER_URL is set")
	}
	f := &File{CurrentContext: EnvContext, Contexts: map[string]*Context{EnvContext: c}, pos: positions{}}
	if ps := f.validate(env); len(ps) > 0 {
		for i := range ps {
			k := strings.TrimPrefix(ps[i].Key, "contexts."+EnvContext+".")
			if v, ok := envKeys[k]; ok {
				ps[i].Key = v
			}
		}
		return nil, Problems(ps)
	}
	return f, nil
}
