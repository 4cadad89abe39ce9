package ui

import (
	"context"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/ui/incidentpane"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/request"
)

// newIncidentsPane builds the Incidents pane on the session's incident
// store, as the session's user and role, with the config's root-cause
// categories, listing in an incident's timeline the changes from the
// context's change sources.
func newIncidentsPane(env PaneEnv) Pane {
	cfg := incidentpane.Config{
		Basics: pane.Basics{ID: env.ID, Renderer: env.Renderer, Now: env.Now, Parent: env.Parent},
		Store:  env.Session.Incidents,
		Author: env.Session.User,
		Role:   env.Session.Role,
		// The categories the config allows, so the pane's root-cause form
		// takes what `reltui incident set --category` takes.
		Categories: env.Session.Categories,
		Palette:    env.Palette,
	}
	if f := request.ChangeFeeds(env.Ctx.Config, env.Ctx.Prom, env.Ctx.Logs); !f.Empty() {
		cfg.Changes = ChangeLister(f)
	}
	m := incidentpane.New(cfg)
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}

// ChangeLister is the Incidents pane's view of a context's change feeds.
func ChangeLister(f changes.Feeds) incidentpane.ChangeLister { return changeFeeds{f} }

type changeFeeds struct{ f changes.Feeds }

// Changes lists the feeds' changes in [from, to) as the pane's rows; the
// changes of the sources that answered come with the others' errors.
func (c changeFeeds) Changes(ctx context.Context, from, to time.Time, services []string) ([]incidentpane.Change, error) {
	evs, err := changes.InWindow(ctx, c.f, from, to, services)
	out := make([]incidentpane.Change, 0, len(evs))
	for _, e := range evs {
		out = append(out, incidentpane.Change{T: e.T, Service: e.Service, Kind: e.Kind, What: e.What, Text: e.String()})
	}
	return out, err
}
