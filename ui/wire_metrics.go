package ui

import (
	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/ui/metrics"
)

// newMetricsPane builds the Metrics pane for one context: the context's
// Prometheus and its metrics templates. Without a Prometheus the pane
// says how to configure one.
func newMetricsPane(env PaneEnv) Pane {
	cfg := metrics.Config{
		Basics:  env.Basics(),
		Palette: env.Palette, From: env.From, To: env.To, Live: env.Live,
		Links: linkTargets(env.Ctx),
	}
	if env.Ctx.Prom != nil {
		cfg.Source = env.Ctx.Prom
	}
	if env.Ctx.Config != nil {
		cfg.Metrics = env.Ctx.Config.Metrics
		if mc := cfg.Metrics; mc != nil {
			cfg.ScrapeInterval = mc.ScrapeInterval.Std()
		}
		for _, c := range env.Ctx.Config.Changes {
			cfg.Changes = append(cfg.Changes, changes.Source{Name: c.Name, Kind: c.KindOr(), Expr: c.PromQL, Logs: c.Logs,
				ServiceLabel: c.LabelOr(cfg.Metrics.Label())})
		}
		if env.Ctx.Logs != nil {
			cfg.Logs = env.Ctx.Logs
		}
		if p := env.Ctx.Config.Prometheus; p != nil {
			cfg.Timeout = p.TimeoutOr().Std()
		}
	}
	m := metrics.New(cfg)
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
