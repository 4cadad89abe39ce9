package ui

// newIncidentsPane builds the Incidents pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newIncidentsPane(env PaneEnv) Pane {
	return newComingSoon("Incidents", "Incident timelines, milestones, evidence and MTTx (incidents issue). Works today from a shell: reltui incident --help.", env)
}
