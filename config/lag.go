package config

import (
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/sources/transport"
)

// Lag configures consumer lag for one context.
type Lag struct {
	// Source is where lag is read: "prometheus" (kafka_exporter series) or
	// "kafka" (the brokers under kafka:, directly). Empty means prometheus
	// when the context has one, else kafka.
	Source string `yaml:"source"`
	// Window is the offset history Burrow's rules judge (default 30m).
	Window Duration `yaml:"window"`
	// Queries overrides the kafka_exporter series by role: lag, committed,
	// produced. Each is PromQL giving series labelled consumergroup (not
	// for produced), topic and partition.
	Queries map[string]string `yaml:"queries"`
}

// DefaultLagWindow is the offset history judged when lag.window is unset.
const DefaultLagWindow = 30 * time.Minute

// WindowOr returns the window, or DefaultLagWindow when unset.
func (l *Lag) WindowOr() time.Duration {
	if l == nil || l.Window == 0 {
		return DefaultLagWindow
	}
	return l.Window.Std()
}

// LagSource says where the context's consumer lag comes from: "prometheus",
// "kafka", or "" when it has neither.
func (c *Context) LagSource() string {
	if c.Lag != nil && c.Lag.Source != "" {
		return c.Lag.Source
	}
	switch {
	case c.Prometheus != nil:
		return "prometheus"
	case c.Kafka != nil:
		return "kafka"
	}
	return ""
}

// LagQueries are the context's lag queries: kafka_exporter's names with
// the configured overrides.
func (c *Context) LagQueries() lag.Queries {
	q := lag.DefaultQueries()
	if c.Lag != nil {
		q = q.WithOverrides(c.Lag.Queries)
	}
	return q
}

func (f *File) validateLag(key string, l *Lag) []Problem {
	var ps []Problem
	switch l.Source {
	case "", "prometheus", "kafka":
	default:
		ps = append(ps, f.problem(key+".source", "source %q is not prometheus or kafka", l.Source))
	}
	if w := l.Window.Std(); w != 0 && (w < time.Minute || w > 7*24*time.Hour) {
		ps = append(ps, f.problem(key+".window", "window %s is outside 1m..7d", w))
	}
	for role, q := range l.Queries {
		k := key + ".queries." + role
		if !slices.Contains(lag.QueryRoles(), role) {
			ps = append(ps, f.problem(k, "unknown query role %q; the roles are %s", role, strings.Join(lag.QueryRoles(), ", ")))
			continue
		}
		if err := lag.CheckQuery(q); err != nil {
			ps = append(ps, f.problem(k, "%v", err))
		}
	}
	return ps
}

// ClientConfig resolves the kafka: block (TLS files, the SASL password)
// into the Kafka client's configuration. It contacts nothing.
func (k *Kafka) ClientConfig(env Env) (kafka.Config, error) {
	cfg := kafka.Config{Brokers: k.Brokers, ClientID: k.ClientID, Timeout: k.Timeout.Std()}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if t := k.TLS; t != nil {
		o := transport.Options{CAFile: t.CAFile, CertFile: t.CertFile, KeyFile: t.KeyFile, ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify}
		tc, err := o.TLSConfig()
		if err != nil {
			return kafka.Config{}, fmt.Errorf("kafka tls: %w", err)
		}
		if tc == nil {
			// tls: {} asks for TLS with the system's roots.
			tc = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		cfg.TLS = tc
	}
	if s := k.SASL; s != nil {
		pw, err := s.Password.Value(env)
		if err != nil {
			return kafka.Config{}, fmt.Errorf("kafka sasl password: %w", err)
		}
		switch s.Mechanism {
		case "PLAIN":
			cfg.SASL = plain.Auth{User: s.Username, Pass: pw}.AsMechanism()
		case "SCRAM-SHA-256":
			cfg.SASL = scram.Auth{User: s.Username, Pass: pw}.AsSha256Mechanism()
		case "SCRAM-SHA-512":
			cfg.SASL = scram.Auth{User: s.Username, Pass: pw}.AsSha512Mechanism()
		default:
			return kafka.Config{}, fmt.Errorf("kafka sasl: mechanism %q is not supported", s.Mechanism)
		}
	}
	return cfg, nil
}
