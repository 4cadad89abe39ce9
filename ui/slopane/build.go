package slopane

import (
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/ui/pane"
)

// Build builds the SLOs pane for one context: its slos: and slo_files:,
// plus the Sloth and Pyrra SLOs found in its Prometheus's rules, judged
// against that Prometheus.
func Build(env pane.Env) *Model {
	cfg := Config{
		Basics: env.Basics(), Palette: env.Palette,
		To: env.To, Live: env.Live, SLOs: env.Ctx.SLOs,
		SpecErr: env.Ctx.SLOErr,
	}
	if env.Session.Incidents != nil {
		cfg.Incidents = env.Session.Incidents
	}
	if env.Ctx.Prom != nil {
		cfg.Source = env.Ctx.Prom
	}
	if c := env.Ctx.Config; c != nil {
		cfg.Searched = slo.Searched{Context: env.Ctx.Name, ConfigFile: env.Ctx.ConfigFile, Files: c.SLOFiles}
		cfg.Exclusions = c.Exclusions()
		if p := c.Prometheus; p != nil {
			cfg.Timeout = p.TimeoutOr().Std() * 2
			cfg.Searched.Rules = p.URL
			cfg.Searched.DiscoveryOff = !c.DiscoverSLOs()
			if env.Ctx.Prom != nil && c.DiscoverSLOs() {
				cfg.Rules = env.Ctx.Prom
			}
		}
	}
	m := New(cfg)
	m.SetSize(env.Width, env.Height)
	return m
}
