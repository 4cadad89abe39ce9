package ui

import "github.com/reltui/reltui/ui/logs"

// newLogsPane builds the Logs pane for one context: the session's log
// source (Deps.Logs, which serve shares between sessions), the context's
// id rules and link targets. buildPanes gives it the query and history
// of the pane it replaces.
func (m *Model) newLogsPane(env PaneEnv) Pane {
	l := logs.New(logs.Config{
		ID: env.ID, Source: m.deps.Logs, Renderer: env.Renderer, Palette: env.Palette, Now: env.Now,
		Parent: env.Parent, IDs: extractorFor(env.Ctx), Links: linkTargets(env.Ctx),
	})
	l.SetRange(env.From, env.To, env.Live)
	return adapt(l)
}
