package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui"
	incidentsui "github.com/reltui/reltui/ui/incidents"
	"github.com/reltui/reltui/ui/request"
)

// changesTimeout bounds reading an incident's changes; a slow change
// source costs the section, never the incident.
const changesTimeout = 20 * time.Second

// incidentShow is what `reltui incident show` prints: the incident's view
// and the deploys and config changes to its services in its window (an
// hour before it started until it was resolved, or now), from the
// context's changes: sources.
type incidentShow struct {
	incidents.View
	// Changes is always an array: empty when the context configures no
	// change source or none was found.
	Changes []incidentsui.Change `json:"changes"`
	// ChangesError says which change sources failed; the changes of the
	// others are still listed.
	ChangesError string `json:"changes_error,omitempty"`
	// changesRead is false when no change source is configured.
	changesRead bool
}

// incidentChanges reads the changes in inc's window from the selected
// context's change sources. read is false when there is no config, no
// context or no change source: then there is nothing to say.
func incidentChanges(ctx context.Context, g *globals, inc incidents.Incident, now time.Time) (cs []incidentsui.Change, errText string, read bool) {
	f, err := incidentConfig(g)
	if err != nil || f == nil {
		return nil, "", false
	}
	name, c, err := f.Select(g.context)
	if err != nil || c == nil || len(c.Changes) == 0 {
		return nil, "", false
	}
	from, to, ok := incidentsui.ChangeWindow(inc, now)
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
	cs, err = ui.ChangeLister(request.ChangeFeeds(c, bs.prom, bs.logs)).Changes(ctx, from, to, inc.Services)
	if err != nil {
		errText = sanitize.Line(err.Error())
	}
	for i := range cs {
		c := &cs[i]
		c.Service, c.Kind, c.What, c.Text = sanitize.Line(c.Service), sanitize.Line(c.Kind), sanitize.Line(c.What), sanitize.Line(c.Text)
	}
	return cs, errText, true
}

// writeIncidentChanges is show's "changes in window" section; nothing
// when no change source is configured.
func writeIncidentChanges(w io.Writer, v incidentShow) error {
	if !v.changesRead {
		return nil
	}
	inc := incidents.Build(v.ID, v.Events)
	head := "\nchanges in window"
	if from, to, ok := incidentsui.ChangeWindow(inc, time.Now()); ok {
		head += fmt.Sprintf(" (%s – %s)", incidents.FormatTime(from), incidents.FormatTime(to))
	}
	if _, err := fmt.Fprintln(w, head); err != nil {
		return err
	}
	if v.ChangesError != "" {
		if _, err := fmt.Fprintf(w, "  ✗ %s\n", v.ChangesError); err != nil {
			return err
		}
	}
	if len(v.Changes) == 0 && v.ChangesError == "" {
		_, err := fmt.Fprintln(w, "  none")
		return err
	}
	for _, c := range v.Changes {
		if _, err := fmt.Fprintf(w, "  %s  %s\n", incidents.FormatTime(c.T), c.Text); err != nil {
			return err
		}
	}
	return nil
}
