package ui

// newSLOsPane builds the SLOs pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newSLOsPane(env PaneEnv) Pane {
	return newComingSoon("SLOs", "Multi-window, multi-burn-rate error-budget burn (SLO and lag issue). Works today from a shell: reltui slo.", env)
}
