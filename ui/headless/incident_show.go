package headless

import (
	"fmt"
	"io"
	"time"

	"github.com/reltui/reltui/incidents"
)

// IncidentShow is what `reltui incident show` prints: the incident's
// view and the deploys and config changes to its services in its window
// (an hour before it started until it was resolved, or now), from the
// context's changes: sources.
type IncidentShow struct {
	incidents.View
	// Changes is always an array: empty when the context configures no
	// change source or none was found.
	Changes []ShowChange `json:"changes"`
	// ChangesError says which change sources failed; the changes of the
	// others are still listed.
	ChangesError string `json:"changes_error,omitempty"`
	// ChangesRead is false when no change source is configured: then the
	// text has no changes section.
	ChangesRead bool `json:"-"`
	// WindowFrom and WindowTo are the window the changes were read over;
	// zero when the incident has none (no start).
	WindowFrom, WindowTo time.Time `json:"-"`
}

// ShowChange is one deploy or config change in an incident's window,
// its strings already sanitized.
type ShowChange struct {
	T time.Time `json:"time"`
	// Service is the service changed; "" for a change to every service.
	Service string `json:"service"`
	// Kind is e.g. "deploy" or "config".
	Kind string `json:"kind"`
	// What says what changed, e.g. "version 1 → 2".
	What string `json:"what"`
	// Text is the change in a line: "deploy api: version 1 → 2".
	Text string `json:"text"`
}

// WriteIncidentShow prints the incident, the changes in its window and
// the deploys suggested as its cause.
func WriteIncidentShow(w io.Writer, v IncidentShow) error {
	inc := incidents.Build(v.ID, v.Events)
	if err := WriteIncidentText(w, inc); err != nil {
		return err
	}
	if err := writeIncidentChanges(w, v); err != nil {
		return err
	}
	return WriteSuggestedDeploys(w, inc, v.SuggestedDeploys)
}

// writeIncidentChanges is show's "changes in window" section; nothing
// when no change source is configured. The changes' texts were
// sanitized when they were read.
func writeIncidentChanges(w io.Writer, v IncidentShow) error {
	if !v.ChangesRead {
		return nil
	}
	head := "\nchanges in window"
	if !v.WindowFrom.IsZero() {
		head += fmt.Sprintf(" (%s – %s)", incidents.FormatTime(v.WindowFrom), incidents.FormatTime(v.WindowTo))
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
