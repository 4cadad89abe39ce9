package ui

import (
	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/ui/request"
)

// newRequestPane builds the Request pane for one context: a resolver over
// the context's Loki and Jaeger, with its correlate settings, that lists
// the changes from the context's change sources in the request's window. Without
// either backend the pane says so when asked to search.
func newRequestPane(env PaneEnv) Pane {
	cfg := request.Config{
		Basics:  env.Basics(),
		Palette: env.Palette, Links: linkTargets(env.Ctx),
	}
	if lg := env.Ctx.Logs; lg != nil {
		cfg.LogDialect, cfg.LogBackend = lg.Dialect(), lg.Backend()
	}
	var cc *config.Correlate
	if env.Ctx.Config != nil {
		cc = env.Ctx.Config.Correlate
	}
	// config validation has checked the rules, so err is not expected;
	// with one the pane still opens and says there is nothing to search.
	rc, err := request.ResolverConfig(cc, env.Ctx.Logs, env.Ctx.Jaeger)
	if f := request.ChangeFeeds(env.Ctx.Config, env.Ctx.Prom, env.Ctx.Logs); !f.Empty() {
		rc.Changes = f
	}
	if err == nil && (rc.Logs != nil || rc.Traces != nil) {
		r := correlate.NewResolver(rc)
		cfg.Source = r
		cfg.Pad = r.Pad()
	}
	m := request.New(cfg)
	m.SetRange(env.From, env.To, env.Live)
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
