package incidentpane

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func ago(d time.Duration) time.Time { return fixedNow.Add(-d) }

// populate records three incidents: INC-1 resolved, INC-2 open with a
// note and evidence, INC-3 mitigated.
func populate(t testing.TB, f *fixture) {
	t.Helper()
	i1 := f.declare(t, incidents.Declaration{Title: "Checkout latency over 2s", Severity: "SEV2", Services: []string{"checkout"}, Started: ago(3 * time.Hour), Detected: ago(3*time.Hour - 2*time.Minute)})
	for _, s := range []struct {
		m incidents.Milestone
		d time.Duration
	}{{incidents.Acknowledged, 5 * time.Minute}, {incidents.Mitigated, 30 * time.Minute}, {incidents.Resolved, 50 * time.Minute}} {
		f.write(t, i1.ID, incidents.Write{Kind: incidents.KindMilestone, Milestone: s.m, At: ago(3 * time.Hour).Add(s.d)})
	}
	i2 := f.declare(t, incidents.Declaration{Title: "Payments 5xx burst", Severity: "SEV1", Services: []string{"payments"}, Commander: "carol", Started: ago(20 * time.Minute), Detected: ago(18 * time.Minute)})
	f.write(t, i2.ID, incidents.Write{Kind: incidents.KindNote, Text: "rolled back payments to v41"})
	f.write(t, i2.ID, incidents.Write{Kind: incidents.KindEvidence, Text: "pinned log from loki", Evidence: &incidents.Evidence{
		Kind: incidents.EvidenceLog, Source: "loki", Query: `{service_name="payments"} |= "error"`, From: ago(25 * time.Minute), To: ago(15 * time.Minute),
		Snapshot: "level=error msg=\"charge failed\" status=503\x1b[31m red?\nsecond line", Link: "https://grafana.example.com/explore?x=1",
	}})
	i3 := f.declare(t, incidents.Declaration{Title: "Orders consumer lag", Severity: "SEV3", Services: []string{"orders"}, Started: ago(time.Hour), Detected: ago(50 * time.Minute)})
	f.write(t, i3.ID, incidents.Write{Kind: incidents.KindMilestone, Milestone: incidents.Mitigated, At: ago(10 * time.Minute)})
}

func loadedFixture(t testing.TB, role string, w, h int) *fixture {
	t.Helper()
	f := newFixture(t, role, termenv.Ascii, w, h)
	populate(t, f)
	settle(f, f.m.reload())
	if len(f.m.all) != 3 {
		t.Fatalf("loaded %d incidents, want 3", len(f.m.all))
	}
	return f
}

func rowIDs(m *Model) []int64 {
	var out []int64
	for _, r := range m.rows {
		out = append(out, r.ID)
	}
	return out
}

func TestListFiltersByStatusAndSeverity(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	// Burning first (open, mitigated), then resolved; newest first within.
	if got := rowIDs(m); len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 1 {
		t.Fatalf("rows %v; want [2 3 1]", got)
	}
	panetest.Press(m, "s") // open (not resolved)
	if got := rowIDs(m); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Fatalf("open filter: %v", got)
	}
	panetest.Press(m, "s") // mitigated
	if got := rowIDs(m); len(got) != 1 || got[0] != 3 {
		t.Fatalf("mitigated filter: %v", got)
	}
	panetest.Press(m, "s", "v") // resolved, SEV1: none
	if len(m.rows) != 0 || !strings.Contains(m.View(), "No incident matches the filters") {
		t.Fatalf("resolved+SEV1 should be empty: %v\n%s", rowIDs(m), m.View())
	}
	if m.AtRest() {
		t.Fatal("AtRest with filters set: esc has work to do")
	}
	panetest.Press(m, "esc")
	if len(m.rows) != 3 || !m.AtRest() {
		t.Fatalf("esc did not clear the filters: %v", rowIDs(m))
	}
	panetest.Press(m, "v", "v") // SEV2
	if got := rowIDs(m); len(got) != 1 || got[0] != 1 {
		t.Fatalf("SEV2 filter: %v", got)
	}
}

func TestListScrolls(t *testing.T) {
	f := newFixture(t, "", termenv.Ascii, 80, 12)
	for i := 0; i < 40; i++ {
		f.declare(t, incidents.Declaration{Title: "incident " + string(rune('A'+i%26)), Started: ago(time.Duration(i) * time.Minute)})
	}
	m := f.m
	settle(f, m.reload())
	h := m.listHeight()
	panetest.Press(m, "pgdown")
	if m.sel != h || m.top == 0 {
		t.Fatalf("pgdown: sel=%d top=%d (height %d)", m.sel, m.top, h)
	}
	panetest.Press(m, "G")
	if m.sel != 39 || m.top != 40-h {
		t.Fatalf("G: sel=%d top=%d", m.sel, m.top)
	}
	if v := m.View(); !strings.Contains(v, "INC-1 ") || strings.Contains(v, "INC-40") {
		t.Fatalf("bottom of the list not shown:\n%s", v)
	}
	panetest.Press(m, "g")
	if m.sel != 0 || m.top != 0 || !strings.Contains(m.View(), "INC-40") {
		t.Fatalf("g: sel=%d top=%d", m.sel, m.top)
	}
}

func TestIncidentViewShowsMilestonesAndMTTx(t *testing.T) {
	f := loadedFixture(t, "", 200, 50)
	m := f.m
	panetest.Press(m, "G") // INC-1, resolved
	settle(f, panetest.Press(m, "enter"))
	if !m.hasInc || m.inc.ID != 1 {
		t.Fatalf("INC-1 not open: %+v", m.inc.ID)
	}
	v := m.View()
	// Hand-computed: detected 2m after started, ack 3m after detected,
	// mitigated 30m and resolved 50m after started.
	for _, want := range []string{"MTTD 2m00s", "MTTA 3m00s", "MTTM 30m00s", "MTTR 50m00s",
		"started 07:30:00", "─2m00s─▶ detected 07:32:00", "─3m00s─▶ acknowledged 07:35:00", "identified – ──▶ mitigated 08:00:00", "─20m00s─▶ resolved 08:20:00", "MTTI n/a"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(v)
	}
}

func TestTimelineShowsEvidenceSanitized(t *testing.T) {
	f := loadedFixture(t, "", 200, 50)
	m := f.m
	settle(f, panetest.Press(m, "enter")) // INC-2 is first
	v := m.View()
	for _, want := range []string{"MTTD 2m00s", "MTTA n/a", "(ongoing 20m00s)", "note: rolled back payments to v41",
		"evidence: log from loki: pinned log from loki", `query {service_name="payments"} |= "error"`,
		"link  https://grafana.example.com/explore?x=1", `│ level=error msg="charge failed" status=503 red?`, "│ second line", "● live"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	if strings.ContainsRune(v, 0x1b) {
		t.Error("an escape from the snapshot reached the view")
	}
	if t.Failed() {
		t.Log(v)
	}
	// Only the selected event shows its evidence.
	panetest.Press(m, "k")
	if strings.Contains(m.View(), "second line") {
		t.Error("evidence detail shown for an unselected event")
	}
}

func TestNoteIsWrittenAndFormClosed(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter"))
	panetest.Press(m, "a")
	if !m.Editing() {
		t.Fatal("a did not open the note form")
	}
	panetest.Press(m, "q", "p", "1") // keys the root reserves are text in a form
	panetest.Press(m, " checked the dashboards")
	f.save(t, "the note")
	inc := f.get(t, 2)
	last := inc.Events[len(inc.Events)-1]
	if last.Kind != incidents.KindNote || last.Text != "qp1 checked the dashboards" || last.Author != "alice" || last.Key == "" {
		t.Fatalf("stored %+v", last)
	}
	if !strings.Contains(m.View(), "note: qp1 checked the dashboards") {
		t.Fatalf("note not in the timeline:\n%s", m.View())
	}
}

func TestMilestoneOutOfOrderKeepsTheForm(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter")) // INC-2: started 10:10, detected 10:12
	before := len(m.inc.Events)
	panetest.Press(m, "m")
	if got := m.form.inputs[0].Value(); got != "acknowledged" {
		t.Fatalf("milestone prefilled %q; want the next one, acknowledged", got)
	}
	panetest.Press(m, "ctrl+u", "mitigated", "tab", "10:05") // before started
	f.refused(t, "would be before")
	if m.form.inputs[1].Value() != "10:05" || m.form.inputs[0].Value() != "mitigated" {
		t.Fatalf("form lost input or reason: err=%q values=%q,%q", m.form.err, m.form.inputs[0].Value(), m.form.inputs[1].Value())
	}
	if !strings.Contains(m.View(), "nothing was written") {
		t.Fatalf("the error is not shown:\n%s", m.View())
	}
	if inc := f.get(t, 2); len(inc.Events) != before {
		t.Fatalf("a refused write wrote %d events", len(inc.Events)-before)
	}
	// Fix the time: saved.
	panetest.Press(m, "ctrl+u", "10:25")
	f.save(t, "mitigated at 10:25")
	if got := m.inc.Milestones.Mitigated; !got.Equal(time.Date(2026, 11, 22, 10, 25, 0, 0, time.UTC)) {
		t.Fatalf("mitigated = %v", got)
	}
	// Moving it needs a reason; the store says so.
	panetest.Press(m, "m", "ctrl+u", "mitigated", "tab", "10:26")
	f.refused(t, "needs a reason")
	panetest.Press(m, "tab", "rollback finished at 10:26 per deploy log")
	f.save(t, "the move with a reason")
	if !m.inc.Milestones.Mitigated.Equal(time.Date(2026, 11, 22, 10, 26, 0, 0, time.UTC)) {
		t.Fatalf("move with reason: mitigated=%v", m.inc.Milestones.Mitigated)
	}
}

func TestResolveAndDeclare(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter"))
	settle(f, panetest.Press(m, "r", "enter"))
	if m.inc.Status() != incidents.StatusResolved || !m.inc.Milestones.Resolved.Equal(fixedNow) {
		t.Fatalf("resolve now: %v %v", m.inc.Status(), m.inc.Milestones.Resolved)
	}
	panetest.Press(m, "r")
	f.refused(t, "already resolved")
	panetest.Press(m, "esc", "esc") // close form, back to the list
	settle(f, nil)
	panetest.Press(m, "d", "DB failover", "tab", "sev2", "tab", "db, api", "tab", "15m ago")
	f.save(t, "the declaration")
	if !m.hasInc || m.inc.Title != "DB failover" || m.inc.Severity != "SEV2" || len(m.inc.Services) != 2 ||
		!m.inc.Milestones.Started.Equal(ago(15*time.Minute)) || m.inc.DeclaredBy != "alice" {
		t.Fatalf("declared %+v", m.inc)
	}
}

func TestRetryAfterUnavailableWritesOnce(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter"))
	before := len(m.inc.Events)
	f.store.failAfter.Store(true)
	panetest.Press(m, "a", "paged the DB team")
	f.refused(t, "safe to retry")
	f.store.failAfter.Store(false)
	f.save(t, "the retry") // the same request, the same key
	inc := f.get(t, 2)
	notes := 0
	for _, e := range inc.Events[before:] {
		if e.Text == "paged the DB team" {
			notes++
		}
	}
	if notes != 1 {
		t.Fatalf("retry recorded the note %d times", notes)
	}
}

func TestLiveUpdateFromAnotherWriter(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter"))
	if !m.live() {
		t.Fatal("not following the incident")
	}
	// The feed read is blocked in the background, as in the runtime.
	f.write(t, 2, incidents.Write{Kind: incidents.KindNote, Text: "written by another console"})
	msgs := f.run(nil, time.Second) // the spec: shows within 1 s
	if len(msgs) != 1 {
		t.Fatalf("no event within 1s: %v", msgs)
	}
	_, next := m.Update(msgs[0])
	if next == nil || !strings.Contains(m.View(), "written by another console") {
		t.Fatalf("event not shown or feed not re-issued:\n%s", m.View())
	}
	// Leaving the incident ends the feed; its last answer is stale.
	panetest.Press(m, "esc")
	if m.hasInc || m.live() {
		t.Fatal("still following after esc")
	}
}

func TestRoles(t *testing.T) {
	v := loadedFixture(t, "viewer", 80, 24)
	settle(v, panetest.Press(v.m, "enter"))
	for _, k := range []string{"a", "m", "r"} {
		panetest.Press(v.m, k)
		if v.m.Editing() || !strings.Contains(v.m.flash, "viewer cannot") {
			t.Fatalf("viewer %s: editing=%v flash=%q", k, v.m.Editing(), v.m.flash)
		}
	}
	panetest.Press(v.m, "esc")
	panetest.Press(v.m, "d")
	if v.m.Editing() {
		t.Fatal("viewer may not declare")
	}
	msgs := v.run(v.m.pin(incidents.Evidence{Kind: incidents.EvidenceLog}), time.Second)
	if fl := flashes(msgs); len(fl) != 1 || !strings.Contains(fl[0], "viewer cannot attach evidence") {
		t.Fatalf("viewer pin: %v", msgs)
	}

	r := loadedFixture(t, "responder", 80, 24)
	settle(r, panetest.Press(r.m, "enter"))
	panetest.Press(r.m, "m")
	if r.m.Editing() || !strings.Contains(r.m.flash, "responder cannot set or move a milestone") {
		t.Fatalf("responder m: %q", r.m.flash)
	}
	panetest.Press(r.m, "r")
	if r.m.Editing() {
		t.Fatal("responder may not resolve")
	}
	panetest.Press(r.m, "a", "responder note")
	r.save(t, "the responder's note")
	panetest.Press(r.m, "k")
	if !strings.Contains(r.m.View(), "role: responder") {
		t.Error("the role is not shown")
	}
	// The guard stops what the key handlers would not: a forged write.
	if _, err := r.m.store.Append(context.Background(), 2, incidents.Write{Key: "x", Author: "a", Kind: incidents.KindMilestone, Milestone: incidents.Resolved}); !errors.Is(err, incidents.ErrForbidden) {
		t.Fatalf("guarded store let a responder resolve: %v", err)
	}
}

func flashes(msgs []tea.Msg) []string {
	var out []string
	for _, msg := range msgs {
		if f, ok := msg.(pane.FlashMsg); ok {
			out = append(out, f.Text)
		}
	}
	return out
}

func pinVia(m *Model, ev incidents.Evidence) tea.Cmd {
	_, c := m.Update(pane.PinMsg{Evidence: ev})
	return c
}

func TestPin(t *testing.T) {
	ev := incidents.Evidence{Kind: incidents.EvidenceSpan, Source: "jaeger", Query: "4bf92f3577b34da6a3ce929d0e0e4736", Snapshot: "payments POST /charge 1.2s error"}

	// No open incident: say how to declare one.
	f := newFixture(t, "", termenv.Ascii, 80, 24)
	msgs := settle(f, pinVia(f.m, ev))
	if fl := flashes(msgs); len(fl) != 1 || !strings.Contains(fl[0], "d to declare") {
		t.Fatalf("pin with no incident: %v", fl)
	}

	// Nothing open in the pane: the latest open incident takes it.
	f = loadedFixture(t, "", 80, 24)
	msgs = settle(f, pinVia(f.m, ev))
	if fl := flashes(msgs); len(fl) != 1 || fl[0] != "pinned to INC-3 (Orders consumer lag)" {
		t.Fatalf("pin to the latest open: %v", fl)
	}
	inc3 := f.get(t, 3)
	last := inc3.Events[len(inc3.Events)-1]
	if last.Evidence == nil || last.Evidence.Query != ev.Query || last.Author != "alice" {
		t.Fatalf("INC-3 got %+v", last)
	}

	// The open incident takes it, and its timeline shows it live.
	settle(f, panetest.Press(f.m, "enter")) // INC-2
	msgs = settle(f, pinVia(f.m, ev))
	if fl := flashes(msgs); len(fl) != 1 || fl[0] != "pinned to INC-2" {
		t.Fatalf("pin to the open incident: %v", fl)
	}
	if !f.until(func() bool { return strings.Contains(f.m.View(), "evidence: span from jaeger") }, 2*time.Second) {
		t.Fatalf("pinned span not in the timeline:\n%s", f.m.View())
	}
}

func TestPivotOpensIncident(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	settle(f, f.m.Pivot(pane.PivotMsg{Target: pane.TargetIncidents, Query: PivotQuery(3)}))
	if !f.m.hasInc || f.m.inc.ID != 3 || f.m.AtRest() {
		t.Fatalf("pivot did not open INC-3: %+v", f.m.inc.ID)
	}
	if cmd := f.m.Pivot(pane.PivotMsg{Target: pane.TargetIncidents, Query: "incident:zz"}); cmd != nil || !strings.Contains(f.m.flash, "not an incident id") {
		t.Fatalf("bad pivot: %q", f.m.flash)
	}
	settle(f, f.m.Pivot(pane.PivotMsg{Query: PivotQuery(99)}))
	if f.m.hasInc || !strings.Contains(f.m.View(), "not found") {
		t.Fatalf("unknown incident:\n%s", f.m.View())
	}
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter"))
	base := f.store.Calls()
	cmds := panetest.Steps(m, "j", "k", "a", "note", "enter", "m", "enter", "esc", "r", "enter", "esc", "y", "esc", "s", "v", "esc", "G", "enter", "esc", "d", "t", "enter", "esc",
		pane.PinMsg{Evidence: incidents.Evidence{Kind: incidents.EvidenceLog}}, pane.PivotMsg{Query: PivotQuery(1)}, m.refresh.Current())
	panetest.OnlyCmdsCall(t, func() int32 { return f.store.Calls() - base }, cmds, time.Second)
}

func TestListTextFilter(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	filter := func(text string) []int64 {
		t.Helper()
		panetest.Press(m, "/", "ctrl+u", text, "enter")
		if m.Editing() {
			t.Fatalf("still editing after enter")
		}
		return rowIDs(m)
	}
	panetest.Press(m, "/")
	if !m.Editing() || m.AtRest() {
		t.Fatal("/ did not give the filter input the keyboard")
	}
	// Keys are text while typing: s does not cycle the status filter, d
	// does not open the declare form, j does not move.
	panetest.Press(m, "s", "d", "j")
	if m.statusIdx != 0 || m.form != nil || m.sel != 0 || m.textFilter.Value() != "" || !strings.Contains(m.View(), "/sdj") || len(m.rows) != 3 {
		t.Fatalf("typing acted on the list: status %d, form %v, sel %d, filter %q", m.statusIdx, m.form != nil, m.sel, m.textFilter.Value())
	}
	panetest.Press(m, "esc") // abandons the edit
	if m.Editing() || m.textFilter.Value() != "" || !m.AtRest() {
		t.Fatalf("esc while editing: editing %v, text %q", m.Editing(), m.textFilter.Value())
	}
	// Case-insensitive over id, title, services and commander.
	for _, c := range []struct {
		text string
		want []int64
	}{
		{"CAROL", []int64{2}},        // commander
		{"checkout", []int64{1}},     // title and service
		{"orders", []int64{3}},       // service
		{"inc-3", []int64{3}},        // id
		{"s", []int64{2, 3, 1}},      // every title has an s
		{"nothing", []int64(nil)},    // none
		{"payments 5XX", []int64{2}}, // across the title's words
	} {
		if got := filter(c.text); !slices.Equal(got, c.want) {
			t.Errorf("filter %q: %v, want %v", c.text, got, c.want)
		}
	}
	if v := m.View(); !strings.Contains(v, "filter: payments 5XX  (1 of 3 shown; esc clears the filters)") || strings.Contains(v, "Orders consumer lag") {
		t.Errorf("filtered view:\n%s", v)
	}
	// The text filter combines with the status filter.
	filter("o")
	panetest.Press(m, "s", "s") // mitigated
	if got := rowIDs(m); !slices.Equal(got, []int64{3}) {
		t.Errorf("o + mitigated: %v", got)
	}
	filter("zzz")
	if v := m.View(); !strings.Contains(v, `No incident matches "zzz"`) {
		t.Errorf("no match:\n%s", v)
	}
	// esc clears every filter, the text one included.
	panetest.Press(m, "esc")
	if len(m.rows) != 3 || m.textFilter.Value() != "" || !m.AtRest() {
		t.Errorf("esc left %v, text %q", rowIDs(m), m.textFilter.Value())
	}
}

// TestCopyEvidence: y on the selected event copies its evidence's link
// (OSC 52) and says how much; on a note, the note's text.
func TestCopyEvidence(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	settle(f, panetest.Press(m, "enter")) // INC-2: the evidence is its last event
	copied := func() string {
		t.Helper()
		for _, msg := range panetest.Collect(panetest.Press(m, "y"), time.Second) {
			if c, ok := msg.(pane.CopyMsg); ok {
				if !strings.Contains(c.Sequence, "\x1b]52;") {
					t.Errorf("no OSC 52 sequence in %q", c.Sequence)
				}
				return c.Text
			}
		}
		t.Fatalf("y copied nothing; flash %q", m.flash)
		return ""
	}
	link := "https://grafana.example.com/explore?x=1"
	if got := copied(); got != link || m.flash != fmt.Sprintf("copied %d bytes (OSC 52)", len(link)) {
		t.Errorf("copied %q, flash %q", got, m.flash)
	}
	panetest.Press(m, "k") // the note before it
	if got := copied(); got != "rolled back payments to v41" {
		t.Errorf("copied %q from the note", got)
	}
}

// TestShortHelpFollowsFocus: the footer names the keys of what has the
// keyboard: the list, its filter input, the incident view, a form.
func TestShortHelpFollowsFocus(t *testing.T) {
	f := loadedFixture(t, "", 80, 24)
	m := f.m
	first := func() string { t.Helper(); return m.ShortHelp()[0].Help().Desc }
	for _, step := range []struct {
		keys []string
		want string
	}{
		{nil, "open"},
		{[]string{"/"}, "apply"},
		{[]string{"esc"}, "open"},
		{[]string{"enter"}, "add note"},
		{[]string{"a"}, "save"},
		{[]string{"esc"}, "add note"},
	} {
		settle(f, panetest.Press(m, step.keys...))
		if got := first(); got != step.want {
			t.Errorf("after %v the footer starts with %q, want %q", step.keys, got, step.want)
		}
	}
}
