package ui

import (
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/ui/slos"
)

// newSLOsPane builds the SLOs pane for one context: its slos: and
// slo_files: (or the built-in defaults when it configures none), judged
// against its Prometheus.
func newSLOsPane(env PaneEnv) Pane {
	cfg := slos.Config{
		ID: env.ID, Renderer: env.Renderer, Palette: env.Palette, Now: env.Now,
		Parent: env.Parent, To: env.To, Live: env.Live, SLOs: slo.Defaults(),
	}
	if env.Ctx.Prom != nil {
		cfg.Source = env.Ctx.Prom
	}
	switch {
	case env.Ctx.SLOErr != nil:
		cfg.SLOs, cfg.SpecErr = nil, env.Ctx.SLOErr
	case env.Ctx.SLOsConfigured:
		cfg.SLOs = env.Ctx.SLOs
	}
	if c := env.Ctx.Config; c != nil {
		if p := c.Prometheus; p != nil {
			cfg.Timeout = p.TimeoutOr().Std() * 2
		}
	}
	m := slos.New(cfg)
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
