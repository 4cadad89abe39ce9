package ui

import (
	incidentsui "github.com/reltui/reltui/ui/incidents"
)

// newIncidentsPane builds the Incidents pane on the session's incident
// store, as the session's user and role, with the config's root-cause
// categories.
func newIncidentsPane(env PaneEnv) Pane {
	m := incidentsui.New(incidentsui.Config{
		ID:     env.ID,
		Store:  env.Session.Incidents,
		Author: env.Session.User,
		Role:   env.Session.Role,
		// The categories the config allows, so the pane's root-cause form
		// takes what `reltui incident set --category` takes.
		Categories: env.Session.Categories,
		Renderer:   env.Renderer,
		Palette:    env.Palette,
		Now:        env.Now,
		Parent:     env.Parent,
	})
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
