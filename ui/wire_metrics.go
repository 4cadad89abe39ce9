package ui

// newMetricsPane builds the Metrics pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newMetricsPane(env PaneEnv) Pane {
	return newComingSoon("Metrics", "Golden signals per service with exemplars, and free PromQL (metrics and traces issue).", env)
}
