package traces

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var shopServices = []string{"checkout", "frontend", "inventory", "orders", "payments"}

func TestFilterNamesPrefixFirstThenSubstring(t *testing.T) {
	names := []string{"checkout", "frontend", "inventory", "orders", "payments", "Order-Audit"}
	cases := []struct {
		text string
		want []string
	}{
		{"", names},
		{"o", []string{"orders", "Order-Audit", "checkout", "frontend", "inventory"}},
		{"ORD", []string{"orders", "Order-Audit"}},
		{"  pay ", []string{"payments"}},
		{"ent", []string{"inventory", "payments"}},
		{"zzz", nil},
	}
	for _, c := range cases {
		got := filterNames(names, c.text)
		// The prefix group keeps name order: "Order-Audit" sorts after
		// "orders" only because the input lists it after.
		if !slices.Equal(got, c.want) {
			t.Errorf("filterNames(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// formWithNames opens the form over a source that knows the shop's five
// services, and lets the service list arrive.
func formWithNames(t *testing.T, w, h int) (*Model, *fakeSource) {
	t.Helper()
	src := shopSource()
	src.services = slices.Clone(shopServices)
	m, _ := newPlain(t, src, w, h)
	cmd := panetest.Press(m, "i")
	if n := src.svcs.Calls(); n != 0 {
		t.Fatalf("opening the form called Services itself (%d calls)", n)
	}
	if !strings.Contains(m.View(), "loading services…") {
		t.Errorf("no loading line while the services are on their way:\n%s", m.View())
	}
	settle(m, cmd)
	if n := src.svcs.Calls(); n != 1 {
		t.Fatalf("%d Services calls, want 1", n)
	}
	return m, src
}

func TestFormSuggestsServicesAndOperations(t *testing.T) {
	m, src := formWithNames(t, 120, 40)
	if !slices.Equal(m.sg.matches, shopServices) || !m.listOpen() {
		t.Fatalf("empty service field: matches %q open=%v", m.sg.matches, m.listOpen())
	}
	settle(m, panetest.Press(m, "o"))
	if want := []string{"orders", "checkout", "frontend", "inventory"}; !slices.Equal(m.sg.matches, want) {
		t.Fatalf("typed o: %q, want %q", m.sg.matches, want)
	}
	v := m.View()
	if !strings.Contains(v, "› orders") || !strings.Contains(v, "  checkout") || strings.Contains(v, "payments") {
		t.Errorf("the list under the field is wrong:\n%s", v)
	}
	// ctrl+n moves the highlight; tab takes it.
	settle(m, panetest.Press(m, "down"))
	_, c := m.Update(tea.KeyMsg{Type: tea.KeyCtrlN})
	settle(m, c)
	_, c = m.Update(tea.KeyMsg{Type: tea.KeyCtrlP})
	settle(m, c)
	if m.sg.sel != 1 {
		t.Fatalf("highlight at %d, want 1", m.sg.sel)
	}
	settle(m, panetest.Press(m, "tab"))
	if got := m.form.value(fieldService); got != "checkout" || m.form.focus != fieldService {
		t.Fatalf("after tab: service %q focus %d", got, m.form.focus)
	}
	if m.listOpen() {
		t.Error("the list stays open after a suggestion was taken")
	}
	if got := src.opsAsked; !slices.Equal(got, []string{"checkout"}) {
		t.Fatalf("operations asked for %q, want only checkout", got)
	}
	// tab again moves on; the operations of checkout are suggested.
	settle(m, panetest.Press(m, "tab", "charge"))
	if m.form.focus != fieldOperation || !slices.Equal(m.sg.matches, []string{"POST /v1/charge"}) {
		t.Fatalf("operation field: focus %d matches %q", m.form.focus, m.sg.matches)
	}
	// enter takes the highlighted operation and searches with it.
	settle(m, panetest.Press(m, "enter"))
	if got := m.form.value(fieldOperation); got != "POST /v1/charge" || m.mode != modeResults {
		t.Fatalf("enter on the list: operation %q mode %v", got, m.mode)
	}
	if len(src.seen) != 1 || src.seen[0].Service != "checkout" || src.seen[0].Operation != "POST /v1/charge" {
		t.Errorf("searched %+v", src.seen)
	}
	if n := src.opss.Calls(); n != 1 {
		t.Errorf("%d Operations calls, want 1", n)
	}
}

func TestOperationsFetchedOncePerService(t *testing.T) {
	m, src := formWithNames(t, 120, 40)
	// Typing letter by letter asks for nothing until the name is known.
	for _, r := range "payment" {
		settle(m, panetest.Press(m, string(r)))
	}
	if n := src.opss.Calls(); n != 0 {
		t.Fatalf("%d Operations calls for a partial name", n)
	}
	settle(m, panetest.Press(m, "s"))
	settle(m, panetest.Press(m, "ctrl+u", "checkout"))
	settle(m, panetest.Press(m, "ctrl+u", "payments", "tab", "shift+tab", "tab"))
	if got := src.opsAsked; !slices.Equal(got, []string{"payments", "checkout"}) {
		t.Errorf("operations asked for %q, want payments then checkout, once each", got)
	}
	if !slices.Equal(m.sg.matches, []string{"POST /v1/charge", "POST /v2/authorize"}) {
		t.Errorf("payments' operations from the cache: %q", m.sg.matches)
	}
	// Closing and opening the form again reuses the service list.
	settle(m, panetest.Press(m, "esc", "esc", "i"))
	if n := src.svcs.Calls(); n != 1 {
		t.Errorf("%d Services calls after reopening, want 1", n)
	}
}

func TestStaleSuggestionAnswersAreDropped(t *testing.T) {
	src := shopSource()
	src.services = slices.Clone(shopServices)
	m, _ := newPlain(t, src, 120, 40)
	settle(m, panetest.Press(m, "i"))
	// Two known names in a row: the first answer comes back after the
	// second was asked for, and is dropped.
	first := panetest.Press(m, "payments")
	second := panetest.Press(m, "ctrl+u", "checkout")
	settle(m, second)
	settle(m, first)
	if _, ok := m.sg.ops["payments"]; ok {
		t.Error("a stale operations answer was stored")
	}
	if _, ok := m.sg.ops["checkout"]; !ok {
		t.Error("the current operations answer was not stored")
	}
	// An older service list, or one for another pane, changes nothing.
	m.Update(servicesMsg{Pane: m.b.ID, Seq: m.sg.svc.Seq() - 1, Value: []string{"old"}})
	m.Update(servicesMsg{Pane: "other", Seq: m.sg.svc.Seq(), Value: []string{"other"}})
	m.Update(opsMsg{Pane: m.b.ID, Seq: m.sg.opsReq.Seq() - 1, Value: opsAnswer{service: "frontend", names: []string{"old"}}})
	if !slices.Equal(m.sg.services, shopServices) || m.sg.ops["frontend"] != nil {
		t.Errorf("stale answers were taken: services %q frontend ops %q", m.sg.services, m.sg.ops["frontend"])
	}
}

func TestSuggestionErrorIsANoteAndTheFormStillWorks(t *testing.T) {
	src := shopSource()
	src.setNamesErr(&sources.Error{Backend: "jaeger", Op: "services", Kind: sources.KindUnreachable,
		Msg: "connection refused \x1b[2J\x1b]0;x\x07 by 127.0.0.1:16685"})
	m, _ := newPlain(t, src, 120, 40)
	settle(m, panetest.Press(m, "i"))
	v := m.View()
	if !strings.Contains(v, "✗ services unreachable: connection refused") || !strings.Contains(v, "type the name") {
		t.Errorf("no error note:\n%s", v)
	}
	panetest.CheckFrame(t, "error note", v, 120)
	src.setNamesErr(nil)
	settle(m, panetest.Press(m, "frontend", "enter"))
	if len(src.seen) != 1 || src.seen[0].Service != "frontend" {
		t.Errorf("free text did not search: %+v", src.seen)
	}
	// The next opening asks again, and the note goes away.
	settle(m, panetest.Press(m, "i"))
	if n := src.svcs.Calls(); n != 2 || m.sg.svc.Err() != nil {
		t.Errorf("%d Services calls, err %v", n, m.sg.svc.Err())
	}
}

func TestEscHidesTheListThenClosesTheForm(t *testing.T) {
	m, _ := formWithNames(t, 120, 40)
	settle(m, panetest.Press(m, "f"))
	if !m.listOpen() {
		t.Fatal("no list for f")
	}
	panetest.Press(m, "esc")
	if m.listOpen() || m.mode != modeForm {
		t.Fatalf("first esc: open=%v mode=%v", m.listOpen(), m.mode)
	}
	// With the list hidden, enter searches what was typed.
	panetest.Press(m, "r")
	if !m.listOpen() {
		t.Error("typing does not show the list again")
	}
	panetest.Press(m, "esc", "esc")
	if m.mode != modeResults {
		t.Errorf("second esc: mode %v", m.mode)
	}
}

func TestReverseSortKeepsTheSelectedTrace(t *testing.T) {
	m := searchShop(t, 120, 40)
	panetest.Press(m, "s", "j") // by duration; the second longest
	ids := func() []string {
		var out []string
		for _, r := range m.rows {
			out = append(out, r.TraceID)
		}
		return out
	}
	before := ids()
	sel := m.rows[m.rsel].TraceID
	panetest.Press(m, "S")
	after := ids()
	slices.Reverse(before)
	if !slices.Equal(after, before) {
		t.Errorf("reversed order %q, want %q", after, before)
	}
	if m.rows[m.rsel].TraceID != sel {
		t.Errorf("cursor on %s, want %s", m.rows[m.rsel].TraceID, sel)
	}
	v := m.View()
	if !strings.Contains(v, "sorted by duration ▲ asc") {
		t.Errorf("header does not say the direction:\n%s", v)
	}
	// The cursor shows without colour, on the same trace's row.
	start := m.rows[m.rsel].Start.Format("15:04:05.000")
	if !strings.Contains(v, "\n> "+start) || strings.Count(v, "\n> ") != 1 {
		t.Errorf("the cursor is not marked on the %s row:\n%s", start, v)
	}
	panetest.Press(m, "G", "S")
	if m.rsel != 0 || m.rows[0].TraceID != after[len(after)-1] || !strings.Contains(m.View(), "▼ desc") {
		t.Errorf("second S: rsel %d rows %q", m.rsel, ids())
	}
	// A new column starts in its natural direction.
	panetest.Press(m, "S", "s")
	if m.sortAsc || !strings.Contains(m.View(), "sorted by spans ▼ desc") {
		t.Error("s does not reset the direction")
	}
}

func TestTabThroughAnEmptyFieldTakesNothing(t *testing.T) {
	m, _ := formWithNames(t, 120, 40)
	if !m.listOpen() || m.sg.sel != -1 {
		t.Fatalf("empty field: open=%v sel=%d; want the list with nothing highlighted", m.listOpen(), m.sg.sel)
	}
	settle(m, panetest.Press(m, "tab"))
	if m.form.focus != fieldOperation || m.form.value(fieldService) != "" {
		t.Fatalf("tab on an empty field: focus %d service %q", m.form.focus, m.form.value(fieldService))
	}
	// ↓ highlights the first name; tab takes it.
	settle(m, panetest.Press(m, "shift+tab", "down", "tab"))
	if got := m.form.value(fieldService); got != shopServices[0] {
		t.Errorf("↓ tab took %q, want %q", got, shopServices[0])
	}
}
