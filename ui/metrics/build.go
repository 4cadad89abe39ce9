package metrics

import "github.com/reltui/reltui/ui/pane"

// Build builds the Metrics pane for one context: the context's Prometheus,
// its metrics templates and its change sources. Without a Prometheus the
// pane says how to configure one.
func Build(env pane.Env) *Model {
	cfg := Config{
		Basics:  env.Basics(),
		Palette: env.Palette, From: env.From, To: env.To, Live: env.Live,
		Links: env.Ctx.LinkTargets(),
	}
	if env.Ctx.Prom != nil {
		cfg.Source = env.Ctx.Prom
	}
	if c := env.Ctx.Config; c != nil {
		cfg.Metrics = c.Metrics
		if mc := cfg.Metrics; mc != nil {
			cfg.ScrapeInterval = mc.ScrapeInterval.Std()
		}
		cfg.Changes = env.Ctx.ChangeFeeds().Sources
		if env.Ctx.Logs != nil {
			cfg.Logs = env.Ctx.Logs
		}
		if p := c.Prometheus; p != nil {
			cfg.Timeout = p.TimeoutOr().Std()
		}
	}
	m := New(cfg)
	m.SetSize(env.Width, env.Height)
	return m
}
