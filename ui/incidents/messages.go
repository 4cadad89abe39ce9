package incidents

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

// Every message the pane's Cmds return names the pane (pane.Routed), so
// the root delivers it while another pane is showing, and carries the
// sequence number of the request it answers, so stale answers are dropped.

// listMsg answers a List.
type listMsg struct {
	pane string
	seq  int
	incs []incidents.Incident
	err  error
	// deploys are those of the list's stats window, for its change
	// failure and rollback figures; a failed read only costs those.
	deploys []incidents.Deploy
}

// openMsg answers opening an incident: its state and the live feed of
// events after the last one it holds.
type openMsg struct {
	pane string
	seq  int
	inc  incidents.Incident
	feed <-chan incidents.Event
	err  error
	// deploys are those that may be suggested as the incident's cause
	// (of any service, in the window before it started); a failed read
	// only costs the suggestions.
	deploys []incidents.Deploy
}

// feedMsg carries events read from the live feed; closed means the feed
// ended (its context was cancelled).
type feedMsg struct {
	pane   string
	seq    int
	events []incidents.Event
	closed bool
}

// writeMsg answers a form's write: the event appended, or for a
// declaration the incident created.
type writeMsg struct {
	pane string
	seq  int
	id   int64
	ev   incidents.Event
	inc  incidents.Incident
	err  error
}

// pinMsg answers a pin: which incident took the evidence, or why none did.
type pinMsg struct {
	pane  string
	id    int64
	title string
	none  bool
	err   error
}

// refreshMsg is the list's periodic refresh tick.
type refreshMsg struct {
	pane string
	seq  int
}

func (m listMsg) PaneID() string    { return m.pane }
func (m openMsg) PaneID() string    { return m.pane }
func (m feedMsg) PaneID() string    { return m.pane }
func (m writeMsg) PaneID() string   { return m.pane }
func (m pinMsg) PaneID() string     { return m.pane }
func (m refreshMsg) PaneID() string { return m.pane }

var (
	_ pane.Routed = listMsg{}
)

func listCmd(ctx context.Context, s incidents.Store, id string, seq int, tmo time.Duration, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		incs, err := s.List(ctx, incidents.Filter{})
		var deps []incidents.Deploy
		if err == nil {
			deps, _ = s.Deploys(ctx, incidents.DeployFilter{From: now.Add(-statsWindow)})
		}
		return listMsg{pane: id, seq: seq, incs: incs, err: err, deploys: deps}
	}
}

// openCmd reads the incident, then subscribes to the events after the
// last one read, so nothing written in between is missed. The feed lives
// under feedCtx, which the pane cancels when the incident is closed.
func openCmd(ctx, feedCtx context.Context, s incidents.Store, id string, seq int, inc int64, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		gctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		got, err := s.Get(gctx, inc)
		if err != nil {
			return openMsg{pane: id, seq: seq, err: err}
		}
		var last int64
		if n := len(got.Events); n > 0 {
			last = got.Events[n-1].Seq
		}
		var deps []incidents.Deploy
		if st := got.Milestones.Started; !st.IsZero() {
			deps, _ = s.Deploys(gctx, incidents.DeployFilter{From: st.Add(-2 * incidents.DefaultSuggestWindow), To: st})
		}
		feed, err := s.Watch(feedCtx, inc, last)
		return openMsg{pane: id, seq: seq, inc: got, feed: feed, err: err, deploys: deps}
	}
}

// feedCmd waits for the next events on the feed and drains whatever else
// is already waiting. Update re-issues it after every batch: a stream is
// a Cmd that re-issues itself.
func feedCmd(feed <-chan incidents.Event, id string, seq int) tea.Cmd {
	return func() tea.Msg {
		e, ok := <-feed
		if !ok {
			return feedMsg{pane: id, seq: seq, closed: true}
		}
		evs := []incidents.Event{e}
		for len(evs) < 1000 {
			select {
			case e, ok := <-feed:
				if !ok {
					return feedMsg{pane: id, seq: seq, events: evs}
				}
				evs = append(evs, e)
				continue
			default:
			}
			break
		}
		return feedMsg{pane: id, seq: seq, events: evs}
	}
}

func appendCmd(ctx context.Context, s incidents.Store, id string, seq int, inc int64, w incidents.Write, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		ev, err := s.Append(ctx, inc, w)
		return writeMsg{pane: id, seq: seq, id: inc, ev: ev, err: err}
	}
}

func declareCmd(ctx context.Context, s incidents.Store, id string, seq int, d incidents.Declaration, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		inc, err := s.Declare(ctx, d)
		return writeMsg{pane: id, seq: seq, id: inc.ID, inc: inc, err: err}
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

func refreshCmd(ctx context.Context, every time.Duration, id string, seq int) tea.Cmd {
	return pane.Tick(ctx, every, func(time.Time) tea.Msg { return refreshMsg{pane: id, seq: seq} })
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
