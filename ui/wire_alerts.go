package ui

// newAlertsPane builds the Alerts pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newAlertsPane(env PaneEnv) Pane {
	return newComingSoon("Alerts", "Firing alerts from Prometheus and Alertmanager. Works today from a shell: reltui alerts.", env)
}
