package alerts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// selectAlert moves the cursor to the first row named name.
func selectAlert(m *Model, name string) {
	for i, it := range m.rows {
		if it.a.Name == name {
			m.sel = i
			m.clamp()
			return
		}
	}
	panic("no alert " + name)
}

func openRunbook(t *testing.T, f *fixture, name string) {
	t.Helper()
	selectAlert(f.m, name)
	settle(f.m, panetest.Press(f.m, "o"))
	if !f.m.rb.open || f.m.rbDoc.Busy() {
		t.Fatalf("runbook not open/loaded: %+v", f.m.rb)
	}
}

func TestRunbookRendersSanitizedWithSteps(t *testing.T) {
	f := loaded(t, "commander", termenv.Ascii, 80, 24)
	openRunbook(t, f, "PaymentsErrorBurst")
	if f.m.rb.err != nil || len(f.m.rb.doc.Steps) != 8 {
		t.Fatalf("err %v, %d steps: %+v", f.m.rb.err, len(f.m.rb.doc.Steps), f.m.rb.doc.Steps)
	}
	v := f.m.View()
	panetest.CheckFrame(t, "runbook", v, 80)
	if strings.ContainsRune(v, 0x1b) || !strings.Contains(v, "Payments error burst") || !strings.Contains(v, "alert name") {
		t.Fatalf("view:\n%s", v)
	}
	panetest.Press(f.m, "n", "n")
	if v := f.m.View(); !strings.Contains(v, "step 3/8") || !strings.Contains(v, "enter: promql → Metrics") {
		t.Fatalf("step line missing:\n%s", v)
	}
	// Every step's first words are somewhere in the rendered text.
	for i, l := range f.m.rb.stepLine {
		if l < 0 {
			t.Errorf("step %d (%q) not found in the rendered runbook", i+1, f.m.rb.doc.Steps[i].Text)
		}
	}
	if f.m.AtRest() {
		t.Error("AtRest with the runbook open")
	}
	panetest.Press(f.m, "esc")
	if f.m.rb.open {
		t.Error("esc did not close the runbook")
	}
}

func TestRunbookStepQueryPivots(t *testing.T) {
	f := loaded(t, "commander", termenv.Ascii, 120, 30)
	openRunbook(t, f, "PaymentsErrorBurst")
	want := map[int]pane.PivotMsg{
		2: {Target: pane.TargetMetrics},
		3: {Target: pane.TargetLogs, Query: `{service="payments"} error`},
		4: {Target: pane.TargetTraces, Service: "payments"},
	}
	for step, w := range want {
		f.m.rb.step = step
		msgs := settle(f.m, panetest.Press(f.m, "enter"))
		if len(msgs) != 1 {
			t.Fatalf("step %d: %v", step+1, msgs)
		}
		p, ok := msgs[0].(pane.PivotMsg)
		if !ok || p.Target != w.Target || (w.Query != "" && p.Query != w.Query) || p.Service != w.Service {
			t.Errorf("step %d: pivot %+v, want %+v", step+1, msgs[0], w)
		}
		if !p.From.Equal(fixedNow.Add(-7*time.Minute-incidents.AlertWindow)) || !p.To.Equal(fixedNow) {
			t.Errorf("step %d: window %s..%s", step+1, p.From, p.To)
		}
		if w.Target == pane.TargetMetrics && !strings.HasPrefix(p.Query, `sum(rate(http_requests_total{service="payments",code=~"5.."}`) {
			t.Errorf("promql = %q", p.Query)
		}
	}
}

func TestMarkingStepsRecordsNotesOnTheIncident(t *testing.T) {
	f := loaded(t, "commander", termenv.Ascii, 80, 24)
	openRunbook(t, f, "PaymentsErrorBurst")
	panetest.Press(f.m, "n", "n")
	settle(f.m, panetest.Press(f.m, "x"))
	if !strings.Contains(f.m.flash, "no open incident") {
		t.Fatalf("marking with no incident: flash %q", f.m.flash)
	}
	settle(f.m, panetest.Press(f.m, "d"))
	if f.m.rb.incID == 0 || !f.m.rb.open {
		t.Fatalf("declaring from the runbook: incID %d open %v flash %q", f.m.rb.incID, f.m.rb.open, f.m.flash)
	}
	settle(f.m, panetest.Press(f.m, "x"))
	panetest.Press(f.m, "n")
	settle(f.m, panetest.Press(f.m, "x"))
	settle(f.m, panetest.Press(f.m, "x")) // already done: nothing written
	inc, err := f.store.Get(context.Background(), f.m.rb.incID)
	if err != nil {
		t.Fatal(err)
	}
	var notes []incidents.Event
	for _, e := range inc.Events {
		if e.Kind == incidents.KindNote && strings.HasPrefix(e.Text, StepNotePrefix) {
			notes = append(notes, e)
		}
	}
	if len(notes) != 2 || notes[0].Author != "alice" || !strings.Contains(notes[0].Text, "3. Confirm the error ratio") || !strings.Contains(notes[1].Text, "4. Read the failing requests") {
		t.Fatalf("notes: %+v", notes)
	}
	md := incidents.Markdown(inc)
	if strings.Count(md, StepNotePrefix) != 2 || !strings.Contains(md, "10:30") {
		t.Errorf("export:\n%s", md)
	}
	if v := f.m.View(); !strings.Contains(v, "✓") || !strings.Contains(v, "done 10:30:00") {
		t.Errorf("done steps not shown:\n%s", v)
	}

	// Reopened, the runbook reads the done steps back from the timeline,
	// and marking one again writes nothing.
	panetest.Press(f.m, "esc")
	settle(f.m, panetest.Press(f.m, "o"))
	if len(f.m.rb.done) != 2 || f.m.rb.done[3].IsZero() || f.m.rb.done[4].IsZero() {
		t.Fatalf("after reopening, done = %v", f.m.rb.done)
	}
	f.m.rb.step = 3
	settle(f.m, panetest.Press(f.m, "x"))
	if again, _ := f.store.Get(context.Background(), f.m.rb.incID); len(again.Events) != len(inc.Events) {
		t.Errorf("a done step was recorded again: %d events, had %d", len(again.Events), len(inc.Events))
	}
}

func TestViewerCannotMarkSteps(t *testing.T) {
	f := loaded(t, "viewer", termenv.Ascii, 80, 24)
	openRunbook(t, f, "PaymentsErrorBurst")
	if cmd := panetest.Press(f.m, "x"); cmd != nil || !strings.HasPrefix(f.m.flash, "✗") {
		t.Fatalf("viewer marked a step: flash %q", f.m.flash)
	}
}

func TestRunbookURLNotAllowedIsRefusedAndCopied(t *testing.T) {
	f, v := openAtURL(t, "ConsumerLagHigh", "https://wiki.example.com/lag.md\x1b[2J")
	if !strings.Contains(v, "refused to fetch the runbook") || !strings.Contains(v, "wiki.example.com is not in runbooks.allowed_hosts") {
		t.Fatalf("no refusal shown:\n%s", v)
	}
	msgs := settle(f.m, panetest.Press(f.m, "y"))
	c, ok := msgs[0].(pane.CopyMsg)
	if len(msgs) != 1 || !ok || c.Text != "https://wiki.example.com/lag.md" || !strings.HasPrefix(c.Sequence, "\x1b]52;c;") {
		t.Fatalf("copy: %+v", msgs)
	}
}

func TestNoRunbookSaysWhy(t *testing.T) {
	f := loaded(t, "commander", termenv.Ascii, 80, 24)
	openRunbook(t, f, "Watchdog")
	if v := f.m.View(); !strings.Contains(v, "No runbook for Watchdog") {
		t.Fatalf("view:\n%s", v)
	}
}

func TestRefusedURLFallsBackToTheDirectory(t *testing.T) {
	f, v := openAtURL(t, "PaymentsErrorBurst", "https://wiki.example.com/pay.md")
	for _, want := range []string{"URL https://wiki.example.com/pay.md", "wiki.example.com is not in runbooks.allowed_hosts", "showing the local", "Payments error burst"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, f.m.View())
		}
	}
}

// openAtURL gives alert name a runbook_url, opens its runbook and returns
// the view with its whitespace folded, so wrapped text still matches.
func openAtURL(t *testing.T, name, url string) (*fixture, string) {
	t.Helper()
	f := loaded(t, "commander", termenv.Ascii, 80, 24)
	selectAlert(f.m, name)
	f.m.rows[f.m.sel].a.Annotations = map[string]string{"runbook_url": url}
	settle(f.m, panetest.Press(f.m, "o"))
	return f, strings.Join(strings.Fields(f.m.View()), " ")
}

// TestRunbookPivotMarksStepsOnTheNamedIncident: the Incidents pane's
// runbook pivot opens the alert's runbook (the live alert, so its
// annotations count), and a step marked done goes on that incident.
func TestRunbookPivotMarksStepsOnTheNamedIncident(t *testing.T) {
	f := loaded(t, "commander", termenv.Ascii, 80, 24)
	inc, err := f.store.Declare(context.Background(), incidents.Declaration{Key: "k-pivot", Author: "bob", Title: "payments down", Started: fixedNow.Add(-10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	settle(f.m, f.m.Pivot(pane.RunbookPivot("PaymentsErrorBurst", "payments", inc.ID)))
	if !f.m.rb.open || f.m.rb.incID != inc.ID || f.m.rb.alert.Fingerprint != "aa01" || len(f.m.rb.doc.Steps) != 8 {
		t.Fatalf("runbook state after the pivot: open %v inc %d alert %q steps %d", f.m.rb.open, f.m.rb.incID, f.m.rb.alert.Fingerprint, len(f.m.rb.doc.Steps))
	}
	settle(f.m, panetest.Press(f.m, "x"))
	got, err := f.store.Get(context.Background(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := got.Events[len(got.Events)-1]; last.Kind != incidents.KindNote || !strings.HasPrefix(last.Text, StepNotePrefix+"1. ") {
		t.Fatalf("the step was not recorded on %s: %+v", incidents.Ref(inc.ID), last)
	}
	if cmd := f.m.Pivot(pane.PivotMsg{Target: pane.TargetAlerts, Query: "something else"}); cmd != nil {
		t.Fatal("a pivot that is not a runbook pivot did something")
	}
}
