package ui

import "github.com/reltui/reltui/ui/traces"

// newTracesPane builds the Traces pane for one context from its Jaeger
// client. Without a Jaeger the pane says how to configure one.
func newTracesPane(env PaneEnv) Pane {
	cfg := traces.Config{Basics: env.Basics(), Palette: env.Palette, Links: linkTargets(env.Ctx)}
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
	m := traces.New(cfg)
	m.SetRange(env.From, env.To, env.Live)
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
