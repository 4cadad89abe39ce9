package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/resilience"
	"github.com/reltui/reltui/sources/transport"
	"github.com/reltui/reltui/sources/victorialogs"
	"github.com/reltui/reltui/ui"
)

// backends are the clients of one context. A nil field is a backend the
// context does not configure.
type backends struct {
	// logs is the context's log backend, Loki or VictoriaLogs; logName
	// names it ("loki", "victorialogs").
	logs    sources.LogBackend
	logName string
	prom    *prom.Client
	am      *alertmanager.Client
	jaeger  *jaeger.Client
	addrs   map[string]string
	name    string
	cfg     *config.Context
}

func guardFor(name string, b *config.Backend) *resilience.Guard {
	p := resilience.DefaultPolicy()
	p.Timeout = b.TimeoutOr().Std()
	return resilience.New(name, p)
}

// buildBackends creates a client for every backend the context names. It
// resolves secrets but contacts nothing.
func buildBackends(c *config.Context, env config.Env) (*backends, error) {
	bs := &backends{addrs: map[string]string{}, cfg: c}
	var errs []error
	// add builds one backend's client when the context names it; a failure
	// is reported under the backend's name.
	add := func(name string, b *config.Backend, build func(b *config.Backend, o transport.Options, g *resilience.Guard) error) {
		if b == nil {
			return
		}
		bs.addrs[name] = b.URL
		o, err := b.Transport(env)
		if err == nil {
			err = build(b, o, guardFor(name, b))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	add(config.LogBackendLoki, c.Loki, func(b *config.Backend, o transport.Options, g *resilience.Guard) error {
		lc, err := loki.New(loki.Config{Address: b.URL, Transport: o, Guard: g,
			MaxResponseBytes: b.MaxResponseBytes(), MaxTailFrameBytes: b.MaxMessageBytes()})
		if err == nil {
			bs.logs, bs.logName = lc, config.LogBackendLoki
		}
		return err
	})
	add(config.LogBackendVictoriaLogs, c.VictoriaLogs, func(b *config.Backend, o transport.Options, g *resilience.Guard) error {
		vc, err := victorialogs.New(victorialogs.Config{Address: b.URL, Transport: o, Guard: g,
			MaxResponseBytes: b.MaxResponseBytes(), MaxLineBytes: int(b.MaxMessageBytes())})
		if err == nil {
			bs.logs, bs.logName = vc, config.LogBackendVictoriaLogs
		}
		return err
	})
	add("prometheus", c.Prometheus, func(b *config.Backend, o transport.Options, g *resilience.Guard) (err error) {
		bs.prom, err = prom.New(prom.Config{Address: b.URL, Transport: o, Guard: g, MaxResponseBytes: b.MaxResponseBytes()})
		return err
	})
	add("alertmanager", c.Alertmanager, func(b *config.Backend, o transport.Options, g *resilience.Guard) (err error) {
		bs.am, err = alertmanager.New(alertmanager.Config{Address: b.URL, Transport: o, Guard: g, MaxResponseBytes: b.MaxResponseBytes()})
		return err
	})
	add("jaeger", c.Jaeger, func(b *config.Backend, o transport.Options, g *resilience.Guard) error {
		addr, secure, err := b.GRPCTarget()
		if err != nil {
			return err
		}
		bs.jaeger, err = jaeger.New(jaeger.Config{Address: addr, TLS: secure, Transport: o, Guard: g, MaxMessageBytes: int(b.MaxMessageBytes())})
		return err
	})
	if err := errors.Join(errs...); err != nil {
		bs.Close()
		return nil, err
	}
	return bs, nil
}

// Close releases connections.
func (bs *backends) Close() {
	if bs != nil && bs.jaeger != nil {
		_ = bs.jaeger.Close()
	}
}

// probes lists the configured backends with their readiness probes, in a
// fixed order.
func (bs *backends) probes() []ui.Backend {
	var out []ui.Backend
	add := func(name string, ok bool, ping func(context.Context) error) {
		if ok {
			out = append(out, ui.Backend{Name: name, Addr: bs.addrs[name], Ping: ping})
		}
	}
	add(bs.logName, bs.logs != nil, func(ctx context.Context) error { return bs.logs.Ping(ctx) })
	add("prometheus", bs.prom != nil, func(ctx context.Context) error { return bs.prom.Ping(ctx) })
	add("alertmanager", bs.am != nil, func(ctx context.Context) error { return bs.am.Ping(ctx) })
	add("jaeger", bs.jaeger != nil, func(ctx context.Context) error { return bs.jaeger.Ping(ctx) })
	return out
}

// logSource is the log backend for the Logs pane; nil without one (a
// nil interface, never a nil client inside one).
func (bs *backends) logSource() sources.LogBackend {
	if bs.logs == nil {
		return nil
	}
	return bs.logs
}

// sources hands the clients and the context's settings to the console's
// panes. It reads the context's SLO files, so it runs where I/O may: at
// startup, or inside the Cmd that opens another context.
func (bs *backends) sources(name, file string) ui.ContextSources {
	cs := ui.ContextSources{Name: name, Config: bs.cfg, Logs: bs.logs, Prom: bs.prom, Alertmanager: bs.am, Jaeger: bs.jaeger}
	if bs.cfg != nil {
		if file == "" {
			file = "config"
		}
		cs.ConfigFile = file
		cs.SLOs, cs.SLOsConfigured, cs.SLOErr = bs.cfg.SLOSpecs(file)
	}
	return cs
}

// logHistoryKey names the Logs pane's history file by the backend's
// language, so a LogQL query is never offered to VictoriaLogs or the
// reverse. Loki's keeps the name it always had.
func (bs *backends) logHistoryKey() string {
	if bs.logName == config.LogBackendVictoriaLogs {
		return "logsql_history"
	}
	return "logql_history"
}
