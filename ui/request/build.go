package request

import (
	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/ui/pane"
)

// Build builds the Request pane for one context: a resolver over the
// context's log backend and Jaeger, with its correlate settings, that
// lists the changes from the context's change sources in the request's
// window. Without either backend the pane says so when asked to search.
func Build(env pane.Env) *Model {
	cfg := Config{
		Basics:  env.Basics(),
		Palette: env.Palette, Links: env.Ctx.LinkTargets(),
	}
	if lg := env.Ctx.Logs; lg != nil {
		cfg.LogDialect, cfg.LogBackend = lg.Dialect(), lg.Backend()
	}
	// config validation has checked the rules, so err is not expected;
	// with one the pane still opens and says there is nothing to search.
	rc, err := env.Ctx.Resolver()
	if err == nil && (rc.Logs != nil || rc.Traces != nil) {
		r := correlate.NewResolver(rc)
		cfg.Source = r
		cfg.Pad = r.Pad()
	}
	m := New(cfg)
	m.SetRange(env.From, env.To, env.Live)
	m.SetSize(env.Width, env.Height)
	return m
}
