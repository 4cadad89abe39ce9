package incidentpane

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// pin attaches ev to the open incident, or the latest open one. Every pin
// is its own write: a second one does not replace the first.
func (m *Model) pin(ev incidents.Evidence) tea.Cmd {
	if m.store == nil {
		return flashCmd("✗ nothing to pin to: no incident store is configured")
	}
	if err := incidents.Allowed(m.role, incidents.ActionEvidence); err != nil {
		return flashCmd("✗ " + trimSentinel(err))
	}
	var target int64
	if m.hasInc && m.inc.Status() != incidents.StatusResolved {
		target = m.inc.ID
	}
	w := incidents.Write{Key: newKey(), Author: m.author, Kind: incidents.KindEvidence, Evidence: &ev, Text: pinCaption(ev)}
	m.pins++
	return tea.Batch(pinCmd(m.ctx, m.store, m.id, target, w, m.tmo), m.spin.Start())
}

func pinCaption(ev incidents.Evidence) string {
	return fmt.Sprintf("pinned %s from %s", ev.Kind, orDash(ev.Source))
}

func (m *Model) onPin(msg pinMsg) tea.Cmd {
	m.pins = max(0, m.pins-1)
	switch {
	case msg.none:
		return flashCmd("no open incident to pin to: press 8 for Incidents, then d to declare one (or d on an alert in Alerts)")
	case msg.err != nil:
		return flashCmd("✗ pin failed: " + sanitize.Line(errText(msg.err)))
	}
	text := "pinned to " + incidents.Ref(msg.id)
	if msg.title != "" {
		text += " (" + sanitize.Line(msg.title) + ")"
	}
	// The open incident's feed brings the event itself; the list needs a
	// re-read to count it.
	return tea.Batch(flashCmd(text), m.reload())
}
