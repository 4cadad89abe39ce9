package ui

// newTracesPane builds the Traces pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newTracesPane(env PaneEnv) Pane {
	return newComingSoon("Traces", "Trace search and a virtualized waterfall with the critical path (metrics and traces issue).", env)
}
