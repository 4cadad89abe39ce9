package incidents

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
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
	settle(f, panetest.Press(m, "enter"))
	if m.Editing() {
		t.Fatalf("follow-up form still open: %s", m.form.err)
	}
	panetest.Press(m, "c")
	panetest.Press(m, "weather")
	settle(f, panetest.Press(m, "enter"))
	if !m.Editing() || !strings.Contains(m.form.err, "not one of deployment") {
		t.Fatalf("bad category accepted or not explained: %+v", m.form)
	}
	for range "weather" {
		panetest.Press(m, "backspace")
	}
	panetest.Press(m, "capacity", "tab", "ctrl+u", "drill")
	settle(f, panetest.Press(m, "enter"))
	if m.Editing() {
		t.Fatalf("cause form still open: %s", m.form.err)
	}
	inc, err := f.store.Get(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Category != "capacity" || inc.Kind != incidents.KindDrill || len(inc.FollowUps) != 1 || inc.FollowUps[0].Owner != "erin" {
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
