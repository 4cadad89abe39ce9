package traces

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// hostile strings a span can carry: clipboard writes, screen clears,
// title changes, bidi overrides and C1 controls.
var hostile = append([]string{
	"osc52 \x1b]52;c;ZXZpbA==\x07 clipboard",
	"clear \x1b[2J\x1b[H screen",
	"title \x1b]0;pwned\x1b\\ end",
	"bidi \u202e gnp.exe",
	"c1 \u009b31m red",
}, panetest.Hostile()...)

// checkClean fails t when a frame drawn in shot s carries a control
// character or sequence other than colour, or does not fit the shot
// (Shot.Fits: its size, and no escape at all without colour).
func checkClean(t *testing.T, s panetest.Shot, frames ...string) {
	t.Helper()
	for i, f := range frames {
		panetest.CheckFrame(t, fmt.Sprintf("frame %d", i), f, s.W)
		s.Fits(t, f)
	}
}

// hostileTrace has a span for each hostile string, named with it: the
// first, lasting root, is the parent of the others, which start a
// millisecond apart and last 10 ms.
func hostileTrace(id string, start time.Time, root time.Duration) *sources.Trace {
	tr := &sources.Trace{TraceID: id}
	for i, h := range hostile {
		sp := sources.Span{TraceID: id, SpanID: "s" + string(rune('0'+i)), ParentSpanID: "s0",
			Service: "svc " + h, Operation: "op " + h, Start: start.Add(time.Duration(i) * time.Millisecond), Duration: 10 * time.Millisecond}
		if i == 0 {
			sp.ParentSpanID, sp.Duration = "", root
		}
		tr.Spans = append(tr.Spans, sp)
	}
	return tr
}

// TestHostileSpanTextNeverReachesTheTerminal feeds escape sequences in
// every string a trace has (ids, service, operation, tags, events,
// process, warnings) and checks no frame carries them, with or without
// colour.
func TestHostileSpanTextNeverReachesTheTerminal(t *testing.T) {
	var tags []sources.KV
	for _, h := range hostile {
		tags = append(tags, sources.KV{Key: "k " + h, Value: "v " + h + "\nsecond line " + h})
	}
	tr := hostileTrace("aaaa00000000000000000000000000ee", fixedNow, 10*time.Millisecond)
	tr.Warnings = []string{"warn " + hostile[0]}
	for i := range tr.Spans {
		sp := &tr.Spans[i]
		sp.Tags, sp.Process, sp.Error = tags, tags, i%2 == 0
		sp.Events = []sources.SpanEvent{{Time: fixedNow, Fields: tags}}
	}
	panetest.EachShot(t, "hostile_spans", func(t *testing.T, s panetest.Shot) {
		m, _ := newTestModel(t, s, newFakeSource(tr))
		var frames []string
		search(m, "svc")
		frames = append(frames, m.View())
		settle(m, panetest.Press(m, "enter"))
		frames = append(frames, m.View())
		panetest.Press(m, "/", "osc52", "enter")
		frames = append(frames, m.View())
		panetest.Press(m, "enter")
		frames = append(frames, m.View())
		checkClean(t, s, frames...)
		ev, ok := m.Selection()
		if !ok {
			t.Fatal("no selection in the detail view")
		}
		// The snapshot is evidence text, not a frame: tabs and newlines
		// stay, sequences do not.
		for _, bad := range []string{"\x1b", "\u202e", "\u009b"} {
			if strings.Contains(ev.Snapshot, bad) {
				t.Errorf("the selection's snapshot contains %q", bad)
			}
		}
		if !strings.Contains(frames[1], "warn osc52") {
			t.Error("the warning text was dropped instead of cleaned")
		}
	})
}

// TestHostileNamesInTheFormSuggestions gives the form service and
// operation names, and a backend error, full of escape sequences: the
// list, the taken value and the note must all come out clean.
func TestHostileNamesInTheFormSuggestions(t *testing.T) {
	panetest.EachShot(t, "hostile_form", func(t *testing.T, s panetest.Shot) {
		src := newFakeSource()
		for _, h := range hostile {
			src.services = append(src.services, "svc "+h)
		}
		// The list is sorted: tab takes the smallest name, cleaned.
		var clean []string
		for _, n := range src.services {
			clean = append(clean, sanitize.Line(n))
		}
		first := slices.Min(clean)
		src.ops[first] = []string{"op " + hostile[0], "op " + hostile[1]}
		m, _ := newTestModel(t, s, src)
		var frames []string
		settle(m, panetest.Press(m, "i"))
		frames = append(frames, m.View())
		settle(m, panetest.Press(m, "svc", "tab"))
		if got := m.form.value(fieldService); got != first {
			t.Fatalf("took %q, want the first name sanitized, %q", got, first)
		}
		frames = append(frames, m.View())
		settle(m, panetest.Press(m, "tab"))
		if len(m.sg.matches) != 2 {
			t.Fatalf("operations of the hostile service: %q", m.sg.matches)
		}
		frames = append(frames, m.View())
		src.setNamesErr(&sources.Error{Backend: "jaeger", Kind: sources.KindServerError, Msg: "boom " + hostile[0] + hostile[1]})
		m.sg.svc.Reset() // ask again on the next opening
		settle(m, panetest.Press(m, "esc", "esc", "i"))
		frames = append(frames, m.View())
		checkClean(t, s, frames...)
		if !strings.Contains(ansi.Strip(frames[3]), "✗ services server error: boom") {
			t.Errorf("no error note:\n%s", frames[3])
		}
	})
}

// TestHostileNamesInTheDiff diffs two traces whose names carry escape
// sequences: the rows, the header (the baseline's reason repeats the
// root's names) and the jump must all come out clean.
func TestHostileNamesInTheDiff(t *testing.T) {
	slow := hostileTrace("eeee0000000000000000000000000001", fixedNow.Add(-10*time.Minute), 20*time.Millisecond+time.Second)
	base := hostileTrace("eeee0000000000000000000000000002", fixedNow.Add(-12*time.Minute), 20*time.Millisecond)
	panetest.EachShot(t, "hostile_diff", func(t *testing.T, s panetest.Shot) {
		src := newFakeSource()
		useDiffTraces(src, slow, base)
		m, _ := newTestModel(t, s, src)
		settle(m, m.Pivot(paneTrace(slow.TraceID)))
		settle(m, panetest.Press(m, "D"))
		if m.mode != modeDiff {
			t.Fatalf("no diff: %v", m.dv.req.Err())
		}
		frames := []string{m.View()}
		panetest.Press(m, "G", "enter")
		frames = append(frames, m.View())
		checkClean(t, s, frames...)
		if m.mode != modeTrace || m.selSpan() < 0 {
			t.Errorf("enter on a hostile row did not jump: mode %v flash %q", m.mode, m.flash)
		}
	})
}
