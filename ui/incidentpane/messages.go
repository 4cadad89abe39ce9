package incidentpane

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
)

// The pane's store reads and writes are pane.Requests (list, open,
// write, and changes in changes.go): their answers are pane.Results
// carrying the pane's id, the request's name and its run, so the root
// delivers them while another pane is showing and stale ones are
// dropped. The live feed is the run of the follow request; each read
// carries its stamp.

// listed answers a List.
type listed struct {
	incs []incidents.Incident
	// deploys are those of the list's stats window, for its change
	// failure and rollback figures; a failed read only costs those.
	deploys []incidents.Deploy
}

// opened answers opening an incident: its state and the live feed of
// events after the last one it holds. The answer's error is the read's;
// watchErr says why there is no feed.
type opened struct {
	inc      incidents.Incident
	feed     <-chan incidents.Event
	watchErr error
	// follow is the stamp of the follow run the feed belongs to.
	follow pane.Stamp
	// deploys are those that may be suggested as the incident's cause
	// (of any service, in the window before it started); a failed read
	// only costs the suggestions.
	deploys []incidents.Deploy
}

// written answers a form's write: the event appended, or for a
// declaration the incident created.
type written struct {
	ev  incidents.Event
	inc incidents.Incident
}

// feedMsg carries events read from the live feed of the follow run
// stamp; closed means the feed ended (its context was cancelled).
type feedMsg struct {
	stamp  pane.Stamp
	events []incidents.Event
	closed bool
}

// pinMsg answers a pin: which incident took the evidence, or why none did.
type pinMsg struct {
	pane  string
	id    int64
	title string
	none  bool
	err   error
}

func (m feedMsg) PaneID() string { return m.stamp.Pane }
func (m pinMsg) PaneID() string  { return m.pane }

var _ = []pane.Routed{feedMsg{}, pinMsg{}}

// listIncidents reads the list and the deploys of its stats window,
// which begins statsWindow before now.
func listIncidents(s incidents.Store, now time.Time) func(context.Context) (listed, error) {
	return func(ctx context.Context) (listed, error) {
		incs, err := s.List(ctx, incidents.Filter{})
		var deps []incidents.Deploy
		if err == nil {
			deps, _ = s.Deploys(ctx, incidents.DeployFilter{From: now.Add(-statsWindow)})
		}
		return listed{incs: incs, deploys: deps}, err
	}
}

// openIncidentFn reads incident inc, then subscribes to the events after
// the last one read, so nothing written in between is missed. The feed
// lives under feedCtx, the follow run's context, which closing the
// incident cancels.
func openIncidentFn(feedCtx context.Context, s incidents.Store, inc int64, follow pane.Stamp) func(context.Context) (opened, error) {
	return func(ctx context.Context) (opened, error) {
		got, err := s.Get(ctx, inc)
		if err != nil {
			return opened{}, err
		}
		var last int64
		if n := len(got.Events); n > 0 {
			last = got.Events[n-1].Seq
		}
		var deps []incidents.Deploy
		if st := got.Milestones.Started; !st.IsZero() {
			deps, _ = s.Deploys(ctx, incidents.DeployFilter{From: st.Add(-2 * incidents.DefaultSuggestWindow), To: st})
		}
		feed, werr := s.Watch(feedCtx, inc, last)
		return opened{inc: got, feed: feed, watchErr: werr, follow: follow, deploys: deps}, nil
	}
}

// feedCmd waits for the next events on the feed and drains whatever else
// is already waiting. Update re-issues it after every batch: a stream is
// a Cmd that re-issues itself.
func feedCmd(feed <-chan incidents.Event, stamp pane.Stamp) tea.Cmd {
	return func() tea.Msg {
		e, ok := <-feed
		if !ok {
			return feedMsg{stamp: stamp, closed: true}
		}
		evs := []incidents.Event{e}
		for len(evs) < 1000 {
			select {
			case e, ok := <-feed:
				if !ok {
					return feedMsg{stamp: stamp, events: evs}
				}
				evs = append(evs, e)
				continue
			default:
			}
			break
		}
		return feedMsg{stamp: stamp, events: evs}
	}
}

// pinCmd attaches ev to incident target, or, when target is 0, to the
// most recently declared incident that is not resolved.
func pinCmd(ctx context.Context, s incidents.Store, id string, target int64, w incidents.Write, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		title := ""
		if target == 0 {
			open, err := s.List(ctx, incidents.Filter{Status: incidents.StatusOpen})
			if err != nil {
				return pinMsg{pane: id, err: fmt.Errorf("find the open incident: %w", err)}
			}
			if len(open) == 0 {
				return pinMsg{pane: id, none: true}
			}
			latest := open[0]
			for _, inc := range open[1:] {
				if inc.DeclaredAt.After(latest.DeclaredAt) || (inc.DeclaredAt.Equal(latest.DeclaredAt) && inc.ID > latest.ID) {
					latest = inc
				}
			}
			target, title = latest.ID, latest.Title
		}
		_, err := s.Append(ctx, target, w)
		return pinMsg{pane: id, id: target, title: title, err: err}
	}
}

func flashCmd(text string) tea.Cmd {
	return func() tea.Msg { return pane.FlashMsg{Text: text} }
}

// errText is an error as people should read it: the store's reason,
// without the sentinel's prefix where the reason says it better.
func errText(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "the incident store did not answer in time; try again (the write is safe to retry)"
	case errors.Is(err, incidents.ErrUnavailable):
		return "the incident store is unavailable: " + err.Error() + " (safe to retry: enter again)"
	}
	// The sentinel's word ("invalid:", "conflict:") adds nothing to a
	// reason that already says what is wrong.
	return strings.NewReplacer("invalid: ", "", "conflict: ", "", "not allowed: ", "").Replace(err.Error())
}
