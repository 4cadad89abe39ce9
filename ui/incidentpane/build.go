package incidentpane

import (
	"context"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/ui/pane"
)

// Build builds the Incidents pane on the session's incident store, as the
// session's user and role, with the config's root-cause categories,
// listing in an incident's timeline the changes from the context's change
// sources.
func Build(env pane.Env) *Model {
	cfg := Config{
		Basics: env.Basics(),
		Store:  env.Session.Incidents,
		Author: env.Session.User,
		Role:   env.Session.Role,
		// The categories the config allows, so the pane's root-cause form
		// takes what `reltui incident set --category` takes.
		Categories: env.Session.Categories,
		Palette:    env.Palette,
	}
	if f := env.Ctx.ChangeFeeds(); !f.Empty() {
		cfg.Changes = FeedLister(f)
	}
	m := New(cfg)
	m.SetSize(env.Width, env.Height)
	return m
}

// FeedLister is the pane's (and `incident show`'s) view of a context's
// change feeds.
func FeedLister(f changes.Feeds) ChangeLister { return feedLister{f} }

type feedLister struct{ f changes.Feeds }

// Changes lists the feeds' changes in [from, to) as the pane's rows; the
// changes of the sources that answered come with the others' errors.
func (c feedLister) Changes(ctx context.Context, from, to time.Time, services []string) ([]Change, error) {
	evs, err := changes.InWindow(ctx, c.f, from, to, services)
	out := make([]Change, 0, len(evs))
	for _, e := range evs {
		out = append(out, Change{T: e.T, Service: e.Service, Kind: e.Kind, What: e.What, Text: e.String()})
	}
	return out, err
}
