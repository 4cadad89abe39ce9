package ui

import (
	incidentsui "github.com/reltui/reltui/ui/incidents"
)

// newIncidentsPane builds the Incidents pane on the session's incident
// store, as the session's user and role.
func newIncidentsPane(env PaneEnv) Pane {
	m := incidentsui.New(incidentsui.Config{
		ID:       env.ID,
		Store:    env.Session.Incidents,
		Author:   env.Session.User,
		Role:     env.Session.Role,
		Renderer: env.Renderer,
		Palette:  env.Palette,
		Now:      env.Now,
		Parent:   env.Parent,
	})
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
