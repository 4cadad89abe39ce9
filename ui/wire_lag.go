package ui

// newLagPane builds the Lag pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newLagPane(env PaneEnv) Pane {
	return newComingSoon("Lag", "Kafka consumer lag in messages and seconds, with Burrow-style status (SLO and lag issue). Works today from a shell: reltui lag.", env)
}
