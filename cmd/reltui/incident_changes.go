package main

import (
	"context"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/headless"
)

// changesTimeout bounds reading an incident's changes; a slow change
// source costs the section, never the incident.
const changesTimeout = 20 * time.Second

// incidentChanges reads the changes in inc's window from the selected
// context's change sources. read is false when there is no config, no
// context or no change source: then there is nothing to say.
func incidentChanges(ctx context.Context, g *globals, inc incidents.Incident, now time.Time) (out []headless.ShowChange, errText string, read bool) {
	f, err := incidentConfig(g)
	if err != nil || f == nil {
		return nil, "", false
	}
	name, c, err := f.Select(g.context)
	if err != nil || c == nil || len(c.Changes) == 0 {
		return nil, "", false
	}
	from, to, ok := incidents.ChangeWindow(inc, now)
	if !ok {
		return nil, "the incident has no start, so it has no window to list changes in", true
	}
	bs, err := contextBackends(name, c)
	if err != nil {
		return nil, sanitize.Line(err.Error()), true
	}
	defer bs.Close()
	ctx, cancel := context.WithTimeout(ctx, changesTimeout)
	defer cancel()
	evs, err := changes.InWindow(ctx, ui.ContextSources{Config: c, Prom: bs.prom, Logs: bs.logSource()}.ChangeFeeds(), from, to, inc.Services)
	if err != nil {
		errText = sanitize.Line(err.Error())
	}
	for _, e := range evs {
		out = append(out, headless.ShowChange{T: e.T, Service: sanitize.Line(e.Service), Kind: sanitize.Line(e.Kind), What: sanitize.Line(e.What), Text: sanitize.Line(e.String())})
	}
	return out, errText, true
}
