package incidentpane

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane"
)

// What changed around an incident: when an incident is opened, the
// deploys and config changes to its services over its window
// (incidents.ChangeWindow) are read in a Cmd and drawn in
// its timeline, each before the first event recorded after it, marked ⚑
// so they do not read as events. A source that fails is said in one line
// under the timeline's rule; the changes the others found still show.

// Change is one deploy or config change, as the pane lists it.
type Change struct {
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

// ChangeLister lists the changes to services (all when empty) in
// [from, to), oldest first. It may return some changes and an error
// together when only some of its sources failed.
type ChangeLister interface {
	Changes(ctx context.Context, from, to time.Time, services []string) ([]Change, error)
}

// changesFor starts reading the open incident's changes; nil without a
// lister or a window.
func (m *Model) changesFor(inc incidents.Incident) tea.Cmd {
	m.changeReq.Reset()
	m.changes = nil
	if m.lister == nil {
		return nil
	}
	from, to, ok := incidents.ChangeWindow(inc, m.now())
	if !ok {
		return nil
	}
	l, svcs := m.lister, append([]string(nil), inc.Services...)
	return m.changeReq.Start(m.ctx, func(ctx context.Context) ([]Change, error) {
		return l.Changes(ctx, from, to, svcs)
	})
}

// onChanges takes the latest answer to changesFor: the changes found are
// kept even when some source failed.
func (m *Model) onChanges(msg pane.Result[[]Change]) tea.Cmd {
	if m.hasInc {
		m.changes = msg.Value
	}
	return nil
}

// changeErrLine is the one line saying a change source failed; "" when
// none did.
func (m *Model) changeErrLine() string {
	err := m.changeReq.Err()
	if err == nil {
		return ""
	}
	what := "changes: some sources failed"
	if len(m.changes) == 0 {
		what = "changes could not be read"
	}
	return m.fit(m.st.WarnMsg.Render("⚑ "+what+": ") + m.st.Muted.Render(sanitize.Line(err.Error())))
}

// changeLine is one change in the timeline:
// "  ⚑     10:18:02  change     deploy api: version 1 → 2".
func (m *Model) changeLine(c Change) string {
	head := fmt.Sprintf("  ⚑    %s  %-10s ", m.when(c.T), "change")
	return m.fit(m.st.WarnMsg.Render(head) + m.st.Plain.Render(sanitize.Line(c.Text)))
}

// changesBefore splits the changes among the timeline's entries by the
// time each entry was recorded: out[i] are the lines of the changes to
// draw before entry i, and out[len(entries)] those after the last one.
func (m *Model) changesBefore(entries []incidents.Entry) [][]string {
	out := make([][]string, len(entries)+1)
	i := 0
	for _, c := range m.changes {
		for i < len(entries) && !entries[i].Time.After(c.T) {
			i++
		}
		out[i] = append(out[i], m.changeLine(c))
	}
	return out
}

// changesRule is the timeline rule's count of changes: ", 2 changes".
func (m *Model) changesRule() string {
	switch {
	case m.changeReq.Busy():
		return ", reading changes…"
	case len(m.changes) == 1:
		return ", 1 change"
	case len(m.changes) > 1:
		return fmt.Sprintf(", %d changes", len(m.changes))
	}
	return ""
}
