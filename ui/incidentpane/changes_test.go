package incidentpane

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/ui/pane/panetest"
)

// fakeLister answers every call with its changes and the error its
// Backend fails calls with (changes and an error together, as when some
// sources failed), and records what it was asked.
type fakeLister struct {
	panetest.Backend
	changes []Change
	asked   []listCall
}

type listCall struct {
	from, to time.Time
	services []string
}

func (l *fakeLister) Changes(ctx context.Context, from, to time.Time, services []string) (out []Change, err error) {
	err = l.Call(ctx)
	l.Locked(func() {
		l.asked = append(l.asked, listCall{from, to, services})
		out = append([]Change(nil), l.changes...)
	})
	return out, err
}

func (l *fakeLister) calls() (out []listCall) {
	l.Locked(func() { out = append([]listCall(nil), l.asked...) })
	return out
}

// demoChanges are a deploy of payments before INC-2 began and a config
// change to every service during it.
func demoChanges() []Change {
	return []Change{
		{T: ago(25 * time.Minute), Service: "payments", Kind: "deploy", What: "version 41 → 42", Text: "deploy payments: version 41 → 42"},
		{T: ago(12 * time.Minute), Kind: "config", What: "flag fast-path on", Text: "config all services: flag \x1b[31mfast-path\x1b[0m on"},
	}
}

func TestIncidentTimelineListsChangesInItsWindow(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	l := &fakeLister{changes: demoChanges()}
	f.m.lister = l
	// INC-2 (payments, open, started 20m ago) is the first row.
	settle(f, panetest.Press(f.m, "enter"))
	if f.m.inc.ID != 2 {
		t.Fatalf("opened INC-%d, want INC-2", f.m.inc.ID)
	}
	calls := l.calls()
	if len(calls) != 1 {
		t.Fatalf("lister asked %d times, want 1", len(calls))
	}
	c := calls[0]
	if want := ago(20 * time.Minute).Add(-time.Hour); !c.from.Equal(want) || !c.to.Equal(fixedNow) {
		t.Errorf("window %s – %s, want %s – %s", c.from, c.to, want, fixedNow)
	}
	if len(c.services) != 1 || c.services[0] != "payments" {
		t.Errorf("services %q, want [payments]", c.services)
	}
	v := f.m.View()
	for _, want := range []string{"2 changes", "⚑    10:05:00  change     deploy payments: version 41 → 42", "config all services: flag fast-path on"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Errorf("an escape from a change reached the view:\n%q", v)
	}
	// The changes lead the events recorded after them.
	if strings.Index(v, "deploy payments") > strings.Index(v, "#1 ") {
		t.Errorf("the change is drawn after an event recorded later:\n%s", v)
	}
	// Leaving the incident forgets its changes.
	panetest.Press(f.m, "esc")
	if len(f.m.changes) != 0 {
		t.Errorf("%d changes kept after closing the incident", len(f.m.changes))
	}
}

func TestIncidentResolvedWindowEndsAtResolution(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	l := &fakeLister{}
	f.m.lister = l
	settle(f, panetest.Press(f.m, "G", "enter")) // INC-1, resolved
	calls := l.calls()
	if len(calls) != 1 {
		t.Fatalf("lister asked %d times, want 1", len(calls))
	}
	st := ago(3 * time.Hour)
	if c := calls[0]; !c.from.Equal(st.Add(-time.Hour)) || !c.to.Equal(st.Add(50*time.Minute)) {
		t.Errorf("window %s – %s, want an hour before the start to the resolution", c.from, c.to)
	}
	if v := f.m.View(); strings.Contains(v, "change") {
		t.Errorf("a window without changes still mentions them:\n%s", v)
	}
}

func TestIncidentChangeSourceFailureIsOneLine(t *testing.T) {
	for _, tc := range []struct {
		name    string
		changes []Change
		want    string
	}{
		{"partial", demoChanges()[:1], "⚑ changes: some sources failed: changes ci: prometheus: 503"},
		{"all", nil, "⚑ changes could not be read: changes ci: prometheus: 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := loadedFixture(t, "", 80, 24)
			l := &fakeLister{changes: tc.changes}
			l.Fail(errors.New("changes ci: prometheus: 503\nsecond line"))
			f.m.lister = l
			settle(f, panetest.Press(f.m, "enter"))
			v := f.m.View()
			n := 0
			for _, line := range strings.Split(v, "\n") {
				if strings.Contains(line, "⚑ changes") {
					n++
					if !strings.HasPrefix(line, tc.want) {
						t.Errorf("error line %q, want it to start %q", line, tc.want)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d error lines, want 1:\n%s", n, v)
			}
			if got := strings.Contains(v, "deploy payments: version 41 → 42"); got != (len(tc.changes) > 0) {
				t.Errorf("change shown = %v with %d changes found:\n%s", got, len(tc.changes), v)
			}
			if !strings.Contains(v, "#5 ") {
				t.Errorf("the events are gone:\n%s", v)
			}
		})
	}
}

func TestIncidentChangesStaleAnswerDropped(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	l := &fakeLister{changes: demoChanges()}
	f.m.lister = l
	settle(f, panetest.Press(f.m, "enter"))
	inc := f.m.inc
	// A run started, then replaced by another before its answer came.
	stale := f.m.changesFor(inc)
	l.Locked(func() { l.changes = demoChanges()[1:] })
	fresh := f.m.changesFor(inc)
	staleMsg, freshMsg := stale(), fresh()
	f.m.Update(staleMsg)
	if len(f.m.changes) != 0 || !f.m.changeReq.Busy() {
		t.Fatalf("the stale answer was taken: %d changes, busy %v", len(f.m.changes), f.m.changeReq.Busy())
	}
	f.m.Update(freshMsg)
	if len(f.m.changes) != 1 || f.m.changes[0].Kind != "config" {
		t.Fatalf("the fresh answer was not taken: %+v", f.m.changes)
	}
	// An answer arriving after the incident was closed is dropped too.
	late := f.m.changesFor(inc)
	panetest.Press(f.m, "esc")
	f.m.Update(late())
	if len(f.m.changes) != 0 {
		t.Errorf("an answer for a closed incident was taken: %+v", f.m.changes)
	}
}
