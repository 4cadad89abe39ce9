package traces

import (
	"fmt"

	"github.com/reltui/reltui/ui/pane/panetest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
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

// TestHostileSpanTextNeverReachesTheTerminal feeds escape sequences in
// every string a trace has (ids, service, operation, tags, events,
// process, warnings) and checks no frame carries them, with or without
// colour.
func TestHostileSpanTextNeverReachesTheTerminal(t *testing.T) {
	id := "aaaa00000000000000000000000000ee"
	var tags []sources.KV
	for _, h := range hostile {
		tags = append(tags, sources.KV{Key: "k " + h, Value: "v " + h + "\nsecond line " + h})
	}
	tr := &sources.Trace{TraceID: id, Warnings: []string{"warn " + hostile[0]}}
	for i, h := range hostile {
		parent := ""
		if i > 0 {
			parent = "s0"
		}
		tr.Spans = append(tr.Spans, sources.Span{
			TraceID: id, SpanID: "s" + string(rune('0'+i)), ParentSpanID: parent,
			Service: "svc " + h, Operation: "op " + h,
			Start: fixedNow.Add(time.Duration(i) * time.Millisecond), Duration: 10 * time.Millisecond,
			Tags: tags, Process: tags, Error: i%2 == 0,
			Events: []sources.SpanEvent{{Time: fixedNow, Fields: tags}},
		})
	}
	for _, prof := range []struct {
		p   termenv.Profile
		pal themes.Palette
	}{{termenv.Ascii, themes.NoColor()}, {termenv.ANSI256, themes.Dark()}} {
		src := newFakeSource(tr)
		m, _ := newTestModel(t, prof.p, prof.pal, src, 200, 50)
		var frames []string
		search(m, "svc")
		frames = append(frames, m.View())
		settle(m, panetest.Press(m, "enter"))
		frames = append(frames, m.View())
		panetest.Press(m, "/", "osc52", "enter")
		frames = append(frames, m.View())
		panetest.Press(m, "enter")
		frames = append(frames, m.View())
		ev, ok := m.Selection()
		if !ok {
			t.Fatal("no selection in the detail view")
		}
		frames = append(frames, ev.Snapshot)
		for i, f := range frames[:len(frames)-1] {
			panetest.CheckFrame(t, fmt.Sprint(prof.p, " frame ", i), f, 200)
		}
		for i, f := range frames {
			for _, bad := range []string{"\x1b]", "\x1b[2J", "\x1b[H", "\u202e", "\u009b"} {
				if strings.Contains(f, bad) {
					t.Errorf("profile %v frame %d contains %q", prof.p, i, bad)
				}
			}
			if prof.p == termenv.Ascii && strings.ContainsRune(f, 0x1b) {
				t.Errorf("ASCII frame %d contains ESC", i)
			}
		}
		if !strings.Contains(frames[1], "warn osc52") {
			t.Error("the warning text was dropped instead of cleaned")
		}
	}
}

// TestHostileNamesInTheFormSuggestions gives the form service and
// operation names, and a backend error, full of escape sequences: the
// list, the taken value and the note must all come out clean.
func TestHostileNamesInTheFormSuggestions(t *testing.T) {
	for _, prof := range []struct {
		p   termenv.Profile
		pal themes.Palette
	}{{termenv.Ascii, themes.NoColor()}, {termenv.ANSI256, themes.Dark()}} {
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
		for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
			m, _ := newTestModel(t, prof.p, prof.pal, src, sz.w, sz.h)
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
			src.namesErr = &sources.Error{Backend: "jaeger", Kind: sources.KindServerError, Msg: "boom " + hostile[0] + hostile[1]}
			m.sg.svc.Reset() // ask again on the next opening
			settle(m, panetest.Press(m, "esc", "esc", "i"))
			frames = append(frames, m.View())
			src.namesErr = nil
			for i, f := range frames {
				panetest.CheckFrame(t, fmt.Sprint(prof.p, " ", sz.w, " form frame ", i), f, sz.w)
				if prof.p == termenv.Ascii && strings.ContainsRune(f, 0x1b) {
					t.Errorf("ASCII form frame %d contains ESC", i)
				}
			}
			if !strings.Contains(ansi.Strip(frames[3]), "✗ services server error: boom") {
				t.Errorf("no error note:\n%s", frames[3])
			}
		}
	}
}

// TestHostileNamesInTheDiff diffs two traces whose names carry escape
// sequences: the rows, the header (the baseline's reason repeats the
// root's names) and the jump must all come out clean.
func TestHostileNamesInTheDiff(t *testing.T) {
	mk := func(id string, start time.Time, extra time.Duration) *sources.Trace {
		tr := &sources.Trace{TraceID: id}
		for i, h := range hostile {
			parent := ""
			if i > 0 {
				parent = "s0"
			}
			d := 10 * time.Millisecond
			if i == 0 {
				d = 20*time.Millisecond + extra
			}
			tr.Spans = append(tr.Spans, sources.Span{TraceID: id, SpanID: "s" + string(rune('0'+i)), ParentSpanID: parent,
				Service: "svc " + h, Operation: "op " + h, Start: start.Add(time.Duration(i) * time.Millisecond), Duration: d})
		}
		return tr
	}
	slow := mk("eeee0000000000000000000000000001", fixedNow.Add(-10*time.Minute), time.Second)
	base := mk("eeee0000000000000000000000000002", fixedNow.Add(-12*time.Minute), 0)
	for _, prof := range []struct {
		p   termenv.Profile
		pal themes.Palette
	}{{termenv.Ascii, themes.NoColor()}, {termenv.ANSI256, themes.Dark()}} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {200, 50}} {
			src := newFakeSource()
			useDiffTraces(src, slow, base)
			m, _ := newTestModel(t, prof.p, prof.pal, src, sz.w, sz.h)
			settle(m, m.Pivot(paneTrace(slow.TraceID)))
			settle(m, panetest.Press(m, "D"))
			if m.mode != modeDiff {
				t.Fatalf("no diff: %v", m.dv.req.Err())
			}
			frames := []string{m.View()}
			panetest.Press(m, "G", "enter")
			frames = append(frames, m.View())
			for i, f := range frames {
				panetest.CheckFrame(t, fmt.Sprint(prof.p, " ", sz.w, " diff frame ", i), f, sz.w)
				for _, bad := range []string{"\x1b]", "\x1b[2J", "\x1b[H", "\u202e", "\u009b"} {
					if strings.Contains(f, bad) {
						t.Errorf("profile %v frame %d contains %q", prof.p, i, bad)
					}
				}
				if prof.p == termenv.Ascii && strings.ContainsRune(f, 0x1b) {
					t.Errorf("ASCII diff frame %d contains ESC", i)
				}
			}
			if m.mode != modeTrace || m.selSpan() < 0 {
				t.Errorf("enter on a hostile row did not jump: mode %v flash %q", m.mode, m.flash)
			}
		}
	}
}
