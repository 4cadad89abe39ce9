package ui

import "github.com/reltui/reltui/ui/logs"

// newLogsPane builds the Logs pane for one context: the session's log
// source (Deps.Logs, which serve shares between sessions), the context's
// id rules and link targets. buildPanes gives it the query and history
// of the pane it replaces.
func (m *Model) newLogsPane(env PaneEnv) Pane {
	l := logs.New(logs.Config{
		Basics: env.Basics(), Source: m.deps.Logs, Palette: env.Palette,
		IDs: extractorFor(env.Ctx), Links: linkTargets(env.Ctx),
	})
	l.SetRange(env.From, env.To, env.Live)
	return adapt(l)
}
