// Package config loads reltui's YAML configuration: named contexts, each
// with its backends. Loading is strict: an unknown key, a wrong type, a bad
// URL or a missing file is an error that names the file, the line and the
// key. Secrets are never read from the file itself, only from files or
// environment variables it points to, and are redacted wherever the
// configuration is printed.
package config

import "time"

// File is the whole configuration file.
type File struct {
	CurrentContext string              `yaml:"current_context"`
	Contexts       map[string]*Context `yaml:"contexts"`
	// Incidents is where the incident record is kept; nil means a SQLite
	// file under $XDG_DATA_HOME, so incidents work with no setup.
	Incidents *Incidents `yaml:"incidents"`
	// Serve configures `reltui serve`.
	Serve *Serve `yaml:"serve"`
	// User is who the headless incident commands record as the author
	// when --as is not given (the OS user is only the fallback).
	User string `yaml:"user"`
	// Path is where the file was read from, or "" for the environment.
	Path string `yaml:"-"`

	pos positions
}

// Context is one environment (prod, staging, ...) and its backends.
type Context struct {
	// Loki and VictoriaLogs are the two log backends; a context names at
	// most one of them (LogBackend says which).
	Loki         *Backend `yaml:"loki"`
	VictoriaLogs *Backend `yaml:"victorialogs"`
	Prometheus   *Backend `yaml:"prometheus"`
	Alertmanager *Backend `yaml:"alertmanager"`
	Jaeger       *Backend `yaml:"jaeger"`
	Kafka        *Kafka   `yaml:"kafka"`
	Grafana      *Grafana `yaml:"grafana"`
	// Metrics overrides the golden-signal PromQL templates.
	Metrics *Metrics `yaml:"metrics"`
	// SLOs are inline SLO specs (read by package slo); SLOFiles are Sloth
	// or OpenSLO files.
	SLOs     RawYAML  `yaml:"slos"`
	SLOFiles []string `yaml:"slo_files"`
	// SLOExclude lists periods (maintenance, drills) left out of SLO
	// budgets; see config/slos.go.
	SLOExclude []SLOExclusion `yaml:"slo_exclude"`
	// SLODiscovery turns off finding Sloth and Pyrra SLOs in the
	// Prometheus rules API when set to false (default on).
	SLODiscovery *bool `yaml:"slo_discovery"`
	// Lag overrides the consumer-lag queries.
	Lag *Lag `yaml:"lag"`
	// Correlate configures ID extraction and the request view.
	Correlate *Correlate `yaml:"correlate"`
	// Runbooks says where alert runbooks come from; see config/runbooks.go.
	Runbooks *Runbooks `yaml:"runbooks"`
	// Changes are where deploys and config changes come from; see
	// config/changes.go.
	Changes []ChangeSource `yaml:"changes"`
	// Drills are game-day scenarios; see config/drills.go.
	Drills []Drill `yaml:"drills"`
}

// Backend is how to reach one HTTP or gRPC backend.
type Backend struct {
	URL string `yaml:"url"`
	// Tenant is sent in TenantHeader (default X-Scope-OrgID).
	Tenant       string            `yaml:"tenant"`
	TenantHeader string            `yaml:"tenant_header"`
	BasicAuth    *BasicAuth        `yaml:"basic_auth"`
	BearerToken  *Secret           `yaml:"bearer_token"`
	TLS          *TLS              `yaml:"tls"`
	Headers      map[string]string `yaml:"headers"`
	Timeout      Duration          `yaml:"timeout"`
	// AuthHeader carries the bearer token instead of Authorization
	// (logcli's --auth-header); it needs bearer_token.
	AuthHeader string `yaml:"auth_header"`
	// ProxyURL sends requests through this HTTP proxy instead of the one
	// HTTP_PROXY/HTTPS_PROXY name; it must not hold credentials.
	ProxyURL string `yaml:"proxy_url"`
	// UIURL is the backend's web UI, where links out point (Jaeger UI's
	// address; VictoriaLogs serves its own UI at URL and needs none).
	UIURL string `yaml:"ui_url"`
	// MaxResponseMiB bounds one HTTP answer read from the backend (one page
	// of a paged query); 0 keeps the client's default. See config/limits.go.
	MaxResponseMiB int `yaml:"max_response_mib"`
	// MaxMessageMiB bounds one streamed message: a Loki live-tail frame, a
	// VictoriaLogs row, a Jaeger gRPC message; 0 keeps the client's default.
	MaxMessageMiB int `yaml:"max_message_mib"`
}

// BasicAuth is a user name and a password kept outside the file.
type BasicAuth struct {
	Username string  `yaml:"username"`
	Password *Secret `yaml:"password"`
}

// Secret points at a value kept outside the configuration file: exactly one
// of File and Env is set.
type Secret struct {
	File string `yaml:"file"`
	Env  string `yaml:"env"`
}

// TLS holds client TLS settings.
type TLS struct {
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	ServerName         string `yaml:"server_name"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// Kafka is an optional direct connection to brokers for consumer lag.
type Kafka struct {
	Brokers  []string `yaml:"brokers"`
	ClientID string   `yaml:"client_id"`
	TLS      *TLS     `yaml:"tls"`
	SASL     *SASL    `yaml:"sasl"`
	Timeout  Duration `yaml:"timeout"`
}

// SASL is Kafka SASL authentication.
type SASL struct {
	Mechanism string  `yaml:"mechanism"` // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
	Username  string  `yaml:"username"`
	Password  *Secret `yaml:"password"`
}

// Grafana is used only to build deep links into Explore.
type Grafana struct {
	URL                  string `yaml:"url"`
	OrgID                int    `yaml:"org_id"`
	LokiDatasource       string `yaml:"loki_datasource"`
	PrometheusDatasource string `yaml:"prometheus_datasource"`
	JaegerDatasource     string `yaml:"jaeger_datasource"`
}

// Incidents selects the incident store. It is not per context: an
// incident spans whatever environments it touched.
type Incidents struct {
	// Driver is "sqlite" (the default) or "postgres" (a team's shared record).
	Driver string `yaml:"driver"`
	// Path is the SQLite file (default $XDG_DATA_HOME/reltui/incidents.db).
	Path string `yaml:"path"`
	// DSN is the PostgreSQL connection string; it may hold a password, so
	// it is a Secret like any other.
	DSN *Secret `yaml:"dsn"`
	// Categories are the root-cause categories people may choose from
	// (default: incidents.DefaultCategories).
	Categories []string `yaml:"categories"`
}

// Duration is a time.Duration written as "30s", "5m" or "2d".
type Duration time.Duration

// Std returns the standard library duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// DefaultTimeout applies to a backend with no timeout set.
const DefaultTimeout = 30 * time.Second

// The log backend kinds a context can name.
const (
	LogBackendLoki         = "loki"
	LogBackendVictoriaLogs = "victorialogs"
)

// LogBackend returns the context's log backend and its kind ("loki" or
// "victorialogs"), or "" and nil when it names none. Validation refuses a
// context that names both.
func (c *Context) LogBackend() (string, *Backend) {
	switch {
	case c == nil:
		return "", nil
	case c.Loki != nil:
		return LogBackendLoki, c.Loki
	case c.VictoriaLogs != nil:
		return LogBackendVictoriaLogs, c.VictoriaLogs
	}
	return "", nil
}
