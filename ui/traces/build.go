package traces

import "github.com/reltui/reltui/ui/pane"

// Build builds the Traces pane for one context from its Jaeger client.
// Without a Jaeger the pane says how to configure one.
func Build(env pane.Env) *Model {
	cfg := Config{Basics: env.Basics(), Palette: env.Palette, Links: env.Ctx.LinkTargets()}
	if env.Ctx.Jaeger != nil {
		// Only a non-nil client: a nil *jaeger.Client in the interface
		// would look configured.
		cfg.Source = env.Ctx.Jaeger
	}
	if c := env.Ctx.Config; c != nil {
		if c.Jaeger != nil {
			cfg.Timeout = c.Jaeger.TimeoutOr().Std()
		}
		if c.Correlate != nil && c.Correlate.Pad > 0 {
			cfg.Pad = c.Correlate.Pad.Std()
		}
	}
	m := New(cfg)
	m.SetRange(env.From, env.To, env.Live)
	m.SetSize(env.Width, env.Height)
	return m
}
