package logs

import "github.com/reltui/reltui/ui/pane"

// Build builds the Logs pane for one context over src, the session's log
// source: unlike the other panes' clients it is not env.Ctx.Logs, because
// `reltui serve` hands every session one whose live tails are shared
// between sessions. The context gives the id rules and link targets.
func Build(env pane.Env, src Source) *Model {
	l := New(Config{
		Basics: env.Basics(), Source: src, Palette: env.Palette,
		IDs: env.Ctx.Extractor(), Links: env.Ctx.LinkTargets(),
	})
	l.SetRange(env.From, env.To, env.Live)
	return l
}
