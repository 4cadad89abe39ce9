package ui

// newRequestPane builds the Request pane for one context. This file belongs to the
// pane's owner; until the pane lands it is a placeholder.
func newRequestPane(env PaneEnv) Pane {
	return newComingSoon("Request", "Everything that happened to one request ID across logs and traces (correlate issue).", env)
}
