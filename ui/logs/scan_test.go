package logs

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/ui/pane/panetest"
)

// bigModel is a 200x50 pane holding n generated rows.
func bigModel(t *testing.T, n int) *Model {
	t.Helper()
	m, _ := newTestModel(t, &fakeSource{}, 200, 50)
	m.editor.SetValue(`{env="prod"}`)
	m.Update(queryAnswer(m, answer{rows: buildRows(benchEntries(n), false)}))
	return m
}

func TestFilterScansInSteps(t *testing.T) {
	n := 3*filterChunk + 100
	m := bigModel(t, n)
	press(m, "/")
	m.input.SetValue("Inventory")
	_, cmd := m.Update(panetest.Key("enter"))
	if !m.scanning() {
		t.Fatal("a filter over several chunks finished inside one Update")
	}
	if got := m.flt.next - m.buf.first(); got != filterChunk {
		t.Fatalf("first Update scanned %d rows, want one chunk of %d", got, filterChunk)
	}
	if s := m.View(); !strings.Contains(s, "% scanned") {
		t.Fatalf("no scan progress in the frame:\n%s", s)
	}
	var step *filterStepMsg
	for _, msg := range panetest.Collect(cmd, 100*time.Millisecond) {
		if s, ok := msg.(filterStepMsg); ok {
			step = &s
		}
	}
	if step == nil || step.pane != m.id || step.gen != m.fltGen {
		t.Fatalf("the enter's Cmd carries no step for this filter: %+v", step)
	}
	updates := 1
	for m.scanning() {
		_, cmd = m.Update(*step)
		updates++
		if m.scanning() && cmd == nil {
			t.Fatal("a step left rows unscanned and scheduled no next step")
		}
	}
	if updates != 4 {
		t.Errorf("scan took %d Updates, want 4", updates)
	}
	// The matches are exactly the rows containing the text, in order.
	var want []int64
	for abs := m.buf.first(); abs < m.buf.end(); abs++ {
		if strings.Contains(strings.ToLower(m.buf.at(abs).text), "inventory") {
			want = append(want, abs)
		}
	}
	if len(want) == 0 || len(m.flt.matches) != len(want) {
		t.Fatalf("%d matches, want %d", len(m.flt.matches), len(want))
	}
	for i := range want {
		if m.flt.matches[i] != want[i] {
			t.Fatalf("match %d is row %d, want %d", i, m.flt.matches[i], want[i])
		}
	}
	// The selection was on the newest row; it ends on the newest match.
	if sel, _ := m.selected(); sel != want[len(want)-1] {
		t.Errorf("selected row %d, want the newest match %d", sel, want[len(want)-1])
	}
	if s := m.View(); strings.Contains(s, "scanned") {
		t.Errorf("progress still shown after the scan:\n%s", s)
	}
	// A stale step (an older filter's) does nothing.
	if _, cmd := m.Update(filterStepMsg{pane: m.id, gen: m.fltGen - 1}); cmd != nil {
		t.Error("a stale step returned a Cmd")
	}
}

func TestFilterScanKeepsWhereTheUserMoved(t *testing.T) {
	m := bigModel(t, 2*filterChunk+10)
	press(m, "/")
	m.input.SetValue("inventory")
	m.Update(panetest.Key("enter"))
	press(m, "g") // to the oldest match found so far
	top, _ := m.selected()
	finishScan(m, nil)
	if sel, _ := m.selected(); sel != top {
		t.Errorf("the scan moved the selection from row %d to %d after the user chose it", top, sel)
	}
}

func TestTailedRowsDuringScanAreScannedOnce(t *testing.T) {
	m := bigModel(t, 2*filterChunk)
	press(m, "/")
	m.input.SetValue("inventory")
	m.Update(panetest.Key("enter"))
	m.appendRows(buildRows(benchEntries(30), false))
	finishScan(m, nil)
	seen := map[int64]bool{}
	for i, abs := range m.flt.matches {
		if seen[abs] || (i > 0 && abs <= m.flt.matches[i-1]) {
			t.Fatalf("match %d (row %d) repeated or out of order", i, abs)
		}
		seen[abs] = true
	}
	if last := m.flt.matches[len(m.flt.matches)-1]; last < m.buf.end()-30 {
		t.Errorf("no match among the tailed rows (newest match %d, buffer end %d)", last, m.buf.end())
	}
}
