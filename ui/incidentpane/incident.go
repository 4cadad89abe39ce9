package incidentpane

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
)

// The incident view: opening an incident reads it (the open request) and
// follows it live (the follow request's run is the feed); closing it
// stops both.

// openIncident shows incident id and follows it live.
func (m *Model) openIncident(id int64) tea.Cmd {
	if m.store == nil {
		return nil
	}
	m.closeIncident()
	m.mode = modeIncident
	m.textFilter.Cancel() // a pivot can open an incident mid-edit
	m.wantID = id
	var feedCtx context.Context
	var follow pane.Stamp
	m.follow.StartWith(m.ctx, func(ctx context.Context, s pane.Stamp) tea.Cmd {
		feedCtx, follow = ctx, s
		return nil // the feed's reads start once the incident is read
	})
	return tea.Batch(m.open.Start(m.ctx, openIncidentFn(feedCtx, m.store, id, follow)), m.spin.Start())
}

// closeIncident stops following the open incident and forgets it.
func (m *Model) closeIncident() {
	m.open.Reset()
	m.follow.Reset()
	m.hasInc, m.feed = false, nil
	m.inc, m.entries = incidents.Incident{}, nil
	m.tsel, m.ttop = 0, 0
	m.changeReq.Reset()
	m.changes = nil
}

// onOpen shows the incident read and starts reading its feed. Without a
// feed the follow run ends with the reason, which the view shows.
func (m *Model) onOpen(msg pane.Result[opened]) tea.Cmd {
	if msg.Err != nil {
		m.follow.Stop() // nothing to follow; m.open.Err says why
		return nil
	}
	o := msg.Value
	m.inc, m.hasInc, m.deploys = o.inc, true, o.deploys
	m.entries = incidents.Timeline(m.inc)
	m.tsel = max(0, len(m.inc.Events)-1)
	changes := m.changesFor(m.inc)
	if o.watchErr != nil || o.feed == nil {
		m.follow.Accept(pane.NewResult(o.follow, struct{}{}, fmt.Errorf("live updates are off: %w", o.watchErr)))
		return changes
	}
	m.feed = o.feed
	return tea.Batch(feedCmd(m.feed, o.follow), changes)
}

// onFeed applies events from the live feed and reads on; a closed feed
// ends the follow run.
func (m *Model) onFeed(msg feedMsg) tea.Cmd {
	if msg.closed {
		m.follow.Accept(pane.NewResult(msg.stamp, struct{}{}, nil))
		return nil
	}
	m.applyEvents(msg.events)
	return feedCmd(m.feed, msg.stamp)
}

// live reports whether the open incident is followed live.
func (m *Model) live() bool { return m.follow.Busy() }

// openErr is why the incident could not be read, or why it is not
// followed live; nil when neither failed.
func (m *Model) openErr() error {
	if err := m.open.Err(); err != nil {
		return err
	}
	return m.follow.Err()
}

// applyEvents adds events the incident does not have yet (a write's own
// event arrives twice: from the write and from the feed).
func (m *Model) applyEvents(evs []incidents.Event) {
	if !m.hasInc {
		return
	}
	follow := m.tsel >= len(m.inc.Events)-1
	changed := false
	for _, e := range evs {
		if e.IncidentID != m.inc.ID {
			continue
		}
		last := int64(0)
		if n := len(m.inc.Events); n > 0 {
			last = m.inc.Events[n-1].Seq
		}
		if e.Seq > last {
			m.inc.Events = append(m.inc.Events, e)
			changed = true
		}
	}
	if !changed {
		return
	}
	m.inc = incidents.Build(m.inc.ID, m.inc.Events)
	// Timeline describes each event against the ones before it, so new
	// events never change the old entries' words: only the tail is new.
	m.entries = incidents.Timeline(m.inc)
	if follow {
		m.tsel = len(m.inc.Events) - 1
	}
	// Keep the list's copy in step, so going back shows the new state.
	for i := range m.all {
		if m.all[i].ID == m.inc.ID {
			m.all[i] = m.inc
		}
	}
	m.filter(m.selectedID())
}

// timelinePage is how far a page key moves the timeline's selection.
const timelinePage = 10

func (m *Model) incidentKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	n := len(m.inc.Events)
	if sel, ok := k.Move(msg, m.tsel, n, timelinePage); ok {
		m.tsel = min(max(0, sel), max(0, n-1))
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		m.closeIncident()
		m.mode = modeList
		return m.reload()
	case key.Matches(msg, k.Note):
		return m.writeForm(incidents.ActionNote, func() {
			m.openForm(formNote, "Add a note to "+incidents.Ref(m.inc.ID), [3]string{"note", "what happened, what you did, what you saw", ""})
		})
	case key.Matches(msg, k.Milestone):
		return m.writeForm(incidents.ActionMilestone, func() {
			next := nextMilestone(m.inc.Milestones)
			m.openForm(formMilestone, "Set or move a milestone of "+incidents.Ref(m.inc.ID),
				[3]string{"milestone", "started, detected, acknowledged, identified, mitigated, resolved", string(next)},
				[3]string{"at", "now, 10:04, 5m ago, 2026-11-22T10:04:00Z", ""},
				[3]string{"reason", "required when moving a milestone that is set", ""})
		})
	case key.Matches(msg, k.Resolve):
		return m.writeForm(incidents.ActionResolve, func() {
			m.openForm(formResolve, "Resolve "+incidents.Ref(m.inc.ID),
				[3]string{"resolved at", "now, 10:04, 5m ago", ""},
				[3]string{"reason", "only when moving an earlier resolution", ""})
		})
	case key.Matches(msg, k.Copy):
		return m.copyEvidence()
	case key.Matches(msg, k.FollowUp):
		return m.writeForm(incidents.ActionFollowUp, m.openFollowUpForm)
	case key.Matches(msg, k.Cause):
		return m.writeForm(incidents.ActionUpdate, m.openCauseForm)
	case key.Matches(msg, k.Link):
		return m.writeForm(incidents.ActionUpdate, m.openLinkForm)
	case key.Matches(msg, k.Runbook):
		return m.openRunbook()
	}
	m.tsel = min(max(0, m.tsel), max(0, n-1))
	return nil
}

// writeForm opens a form when the role allows the write and an incident
// is loaded; otherwise it says why not.
func (m *Model) writeForm(a incidents.Action, open func()) tea.Cmd {
	if !m.hasInc {
		return nil
	}
	if err := incidents.Allowed(m.role, a); err != nil {
		m.flash = "✗ " + trimSentinel(err)
		return nil
	}
	open()
	return nil
}

// nextMilestone is the first milestone after the last one set: what the
// commander most likely marks next.
func nextMilestone(ms incidents.Milestones) incidents.Milestone {
	next := incidents.Acknowledged
	all := incidents.AllMilestones()
	for i, x := range all {
		if !ms.Get(x).IsZero() && i+1 < len(all) {
			next = all[i+1]
		}
	}
	return next
}

// copyEvidence copies the selected event's evidence (link, else query,
// else snapshot) or text via OSC 52.
func (m *Model) copyEvidence() tea.Cmd {
	if !m.hasInc || m.tsel >= len(m.inc.Events) {
		return nil
	}
	e := m.inc.Events[m.tsel]
	text := e.Text
	if ev := e.Evidence; ev != nil {
		switch {
		case ev.Link != "":
			text = ev.Link
		case ev.Snapshot != "":
			text = ev.Snapshot
		default:
			text = ev.Query
		}
	}
	copied, cmd := pane.CopyTextCmd(text)
	m.flash, cmd = pane.Copied(copied, cmd, "nothing to copy on this event", "copied %d bytes (OSC 52)")
	return cmd
}
