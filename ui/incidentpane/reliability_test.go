package incidentpane

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestFollowUpAndCauseForms: f adds a follow-up, c sets the root cause,
// kind and services; both show on the incident view, and a category
// outside the list keeps the form open with the reason.
func TestFollowUpAndCauseForms(t *testing.T) {
	f := loadedFixture(t, "", 120, 40)
	m := f.m
	settle(f, panetest.Press(m, "enter")) // INC-2
	panetest.Press(m, "f")
	if !m.Editing() {
		t.Fatal("f did not open the follow-up form")
	}
	panetest.Press(m, "alert on queue depth", "tab", "erin")
	f.save(t, "the follow-up")
	panetest.Press(m, "c")
	panetest.Press(m, "weather")
	f.refused(t, "not one of deployment")
	for range "weather" {
		panetest.Press(m, "backspace")
	}
	panetest.Press(m, "capacity", "tab", "ctrl+u", "drill")
	f.save(t, "the cause")
	if inc := f.get(t, 2); inc.Category != "capacity" || inc.Kind != incidents.KindDrill || len(inc.FollowUps) != 1 || inc.FollowUps[0].Owner != "erin" {
		t.Fatalf("stored: category %q kind %q follow-ups %+v", inc.Category, inc.Kind, inc.FollowUps)
	}
	f.until(func() bool { return strings.Contains(m.View(), "cause capacity") }, 5*time.Second)
	v := m.View()
	for _, want := range []string{"drill (left out of MTTx)", "cause capacity", "follow-ups 1 of 1 open: alert on queue depth (erin)", "follow-up #"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

// TestNoteShowsBothClocks: a note written up later shows when it
// happened beside when it was recorded.
func TestNoteShowsBothClocks(t *testing.T) {
	f := loadedFixture(t, "", 120, 40)
	m := f.m
	settle(f, panetest.Press(m, "enter")) // INC-2
	happened := m.now().Add(-40 * time.Minute)
	f.write(t, 2, incidents.Write{Kind: incidents.KindNote, Text: "paged the DBA", Occurred: happened})
	want := "(happened " + m.when(happened) + ") note: paged the DBA"
	if !f.until(func() bool { return strings.Contains(m.View(), want) }, 5*time.Second) {
		t.Fatalf("view lacks %q:\n%s", want, m.View())
	}
}

// TestDeploySuggestionAndLink: a deploy of payments 10 minutes before
// INC-2 started is suggested on the incident view; L links it (the
// suggestion prefilled), after which it shows as linked, not suggested.
func TestDeploySuggestionAndLink(t *testing.T) {
	f := loadedFixture(t, "", 160, 40)
	m := f.m
	inc := f.get(t, 2)
	d, err := f.store.RecordDeploy(context.Background(), incidents.DeployWrite{Key: newKey(), Author: "ci", Service: "payments", Version: "v42", At: inc.Milestones.Started.Add(-10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	settle(f, panetest.Press(m, "enter")) // INC-2
	if v := m.View(); !strings.Contains(v, "suggested deploy #1 payments v42, 10m00s before (L links)") {
		t.Fatalf("no deploy suggestion:\n%s", v)
	}
	panetest.Press(m, "L")
	if !m.Editing() || m.form.inputs[0].Value() != "1" {
		t.Fatalf("link form not prefilled with the suggestion: %+v", m.form)
	}
	f.save(t, "the link")
	if got := f.get(t, 2); len(got.Deploys) != 1 || got.Deploys[0].DeployID != d.ID {
		t.Fatalf("stored links %+v", got.Deploys)
	}
	f.until(func() bool { return strings.Contains(m.View(), "deploy #1 payments v42") }, 5*time.Second)
	if v := m.View(); strings.Contains(v, "suggested deploy") || !strings.Contains(v, "linked deploy #1") {
		t.Fatalf("after linking:\n%s", v)
	}
}

// TestListShowsChangeFailureAndRollbacks: the list's summary line puts
// the rollbacks recorded in its 90 days beside the change failure rate.
func TestListShowsChangeFailureAndRollbacks(t *testing.T) {
	f := loadedFixture(t, "", 160, 40)
	m := f.m
	inc := f.get(t, 2)
	for i, rb := range []bool{false, true, false, false} {
		w := incidents.DeployWrite{Key: newKey(), Author: "ci", Service: "payments", Version: "v" + string(rune('1'+i)), At: inc.Milestones.Started.Add(-time.Duration(10+i) * time.Minute), Rollback: rb}
		if _, err := f.store.RecordDeploy(context.Background(), w); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.store.Append(context.Background(), 2, incidents.Write{Key: newKey(), Author: "bob", Kind: incidents.KindDeployLink, Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: 1}}}); err != nil {
		t.Fatal(err)
	}
	settle(f, m.reload())
	if v := m.View(); !strings.Contains(v, "CFR 25% · rollbacks 1") {
		t.Fatalf("the list does not show 1 of 4 deploys failed and 1 rollback:\n%s", v)
	}
}

// TestRunbookKeyAsksForTheAlertsRunbook: o on an incident declared from
// an alert asks the root (a pivot, not an import) for that alert's
// runbook in the Alerts pane, naming this incident; without an alert it
// says why not.
func TestRunbookKeyAsksForTheAlertsRunbook(t *testing.T) {
	f := loadedFixture(t, "", 120, 40)
	m := f.m
	a := sources.Alert{Name: "PaymentsErrorBurst", State: "firing", Source: "prometheus", ActiveAt: m.now().Add(-5 * time.Minute),
		Labels: map[string]string{"alertname": "PaymentsErrorBurst", "service": "payments", "severity": "page"}}
	d := incidents.FromAlert(a, m.now())
	d.Key, d.Author = newKey(), "alice"
	inc, err := f.store.Declare(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	settle(f, m.reload())
	settle(f, m.Pivot(pane.PivotMsg{Target: pane.TargetIncidents, Query: PivotQuery(inc.ID)}))
	if !m.hasInc || m.inc.ID != inc.ID {
		t.Fatalf("incident %d not open", inc.ID)
	}
	out := panetest.Collect(panetest.Press(m, "o"), time.Second)
	var got *pane.PivotMsg
	for _, msg := range out {
		if p, ok := msg.(pane.PivotMsg); ok {
			got = &p
		}
	}
	if got == nil {
		t.Fatalf("o sent no pivot: %v", out)
	}
	name, svc, id, ok := got.Runbook()
	if !ok || name != "PaymentsErrorBurst" || svc != "payments" || id != inc.ID {
		t.Fatalf("pivot %+v reads %q %q %d %v", got, name, svc, id, ok)
	}
	settle(f, panetest.Press(m, "esc"))
	settle(f, panetest.Press(m, "enter")) // a seeded incident with no alert
	if !m.hasInc {
		t.Fatal("no incident open")
	}
	if cmd := panetest.Press(m, "o"); cmd != nil || !strings.Contains(m.View(), "no alert is evidence on") {
		t.Fatalf("o without an alert: cmd %v, view:\n%s", cmd != nil, m.View())
	}
}
