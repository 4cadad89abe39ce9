package incidentpane

// What the pane draws: its golden frames, frames of hostile text, and
// the cost of a frame.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	open := func(_ *testing.T, f *fixture) { settle(f, panetest.Press(f.m, "enter")) }
	withChanges := func(l *fakeLister) func(*testing.T, *fixture) {
		return func(t *testing.T, f *fixture) {
			f.m.lister = l
			open(t, f)
		}
	}
	partial := &fakeLister{changes: demoChanges()[:1]}
	partial.Fail(errors.New("changes config-reloads: prometheus: 503 Service Unavailable"))
	scenes := []panetest.Scene[*fixture]{
		{Name: "list", Run: func(*testing.T, *fixture) {}},
		{Name: "filtering", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "/", "Pay") }},
		{Name: "filtered", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "/", "CHECKOUT", "enter") }},
		{Name: "incident", Run: open},
		{Name: "milestone_error", Run: func(t *testing.T, f *fixture) {
			open(t, f)
			panetest.Press(f.m, "m", "ctrl+u", "mitigated", "tab", "10:05")
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{Name: "declare_form", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "d", "Checkout 502s", "tab", "sev2") }},
		{Name: "resolved", Run: func(_ *testing.T, f *fixture) { settle(f, panetest.Press(f.m, "G", "enter")) }},
		{Name: "changes", Run: withChanges(&fakeLister{changes: demoChanges()})},
		{Name: "changes_partial", Run: withChanges(partial)},
	}
	panetest.Goldens(t, panetest.Update(), func(t *testing.T, s panetest.Shot) *fixture {
		f := newFixture(t, "", s.Profile, s.W, s.H)
		populate(t, f)
		settle(f, f.m.reload())
		return f
	}, func(f *fixture) string { return f.m.View() }, scenes...)
}

// TestHostileIncidentTextNeverReachesTheTerminal: titles, services,
// commanders, authors, notes and evidence (query, link, snapshot) are
// typed by other SSH users or pinned from backends and stored in the DB;
// every frame of the list and the timeline stays clean and fits.
// wide is clean (the store refuses controls in titles, services and
// commanders) but wider than any frame.
var wide = "日本語テキスト🚀🔥ｱｲｳ" + strings.Repeat("wide", 60)

func TestHostileIncidentTextNeverReachesTheTerminal(t *testing.T) {
	for _, s := range panetest.Shots() {
		f := newFixture(t, "", s.Profile, s.W, s.H)
		m := f.m
		inc := f.declare(t, incidents.Declaration{Title: wide[:190], Severity: "SEV1",
			Services: []string{wide[:60], wide[:70]}, Commander: wide[:40], Started: ago(20 * 60e9)})
		for _, h := range panetest.Hostile() {
			f.write(t, inc.ID, incidents.Write{Kind: incidents.KindNote, Text: "note " + h})
		}
		f.write(t, inc.ID, incidents.Write{Kind: incidents.KindEvidence, Text: "caption " + panetest.HostileLine(), Evidence: &incidents.Evidence{
			Kind: incidents.EvidenceLog, Source: "loki " + panetest.Hostile()[0], Query: "q " + panetest.HostileLine(),
			Link: "https://x/" + strings.Repeat("l", 300), Snapshot: "\tindented\tby tabs " + strings.Repeat("\t", 40) + "end\n" + strings.Join(panetest.Hostile(), "\n"),
		}})
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, s.Name(what), m.View(), s.W) }
		settle(f, m.reload())
		check("list")
		panetest.Press(m, "/", "c", "s", "i")
		check("filtering")
		panetest.Press(m, "esc")
		settle(f, panetest.Press(m, "enter"))
		check("timeline")
		for range len(panetest.Hostile()) + 2 {
			panetest.Press(m, "j")
			check("timeline, next event")
		}
		panetest.Press(m, "G")
		check("timeline, evidence selected")
		if v := m.View(); !strings.Contains(v, "indented") {
			t.Fatalf("the evidence snapshot is not on screen:\n%s", v)
		}
	}
}

// idleStore is a store the benchmarks never call: frames and events are
// fed to the model directly.
type idleStore struct{ incidents.Store }

// bigIncident is an incident with n events, every tenth one evidence,
// loaded into a pane without a store round trip.
func bigIncident(b *testing.B, n int) *Model {
	m := newPane(b, idleStore{}, "", "", termenv.ANSI256, panetest.NewClock(fixedNow), 200, 50)
	evs := []incidents.Event{
		{IncidentID: 1, Seq: 1, Kind: incidents.KindDeclared, Time: fixedNow, Author: "a", Attrs: &incidents.Attributes{Title: "big", Severity: "SEV2"}},
		{IncidentID: 1, Seq: 2, Kind: incidents.KindMilestone, Milestone: incidents.Started, At: fixedNow.Add(-time.Hour), Time: fixedNow, Author: "a"},
	}
	for i := 3; i <= n; i++ {
		e := incidents.Event{IncidentID: 1, Seq: int64(i), Kind: incidents.KindNote, Time: fixedNow, Author: "bob", Text: fmt.Sprintf("note %d: checked the dashboards again", i)}
		if i%10 == 0 {
			e.Kind, e.Text = incidents.KindEvidence, "pinned"
			e.Evidence = &incidents.Evidence{Kind: incidents.EvidenceLog, Source: "loki", Query: `{app="x"}`, Snapshot: "level=error msg=boom\nline two"}
		}
		evs = append(evs, e)
	}
	m.mode = modeIncident
	m.onOpen(pane.Result[opened]{Value: opened{inc: incidents.Build(1, evs), feed: make(chan incidents.Event)}})
	return m
}

// BenchmarkIncidentFrame is one 200x50 frame of an incident with 10,000
// events, selection in the middle of the timeline.
func BenchmarkIncidentFrame(b *testing.B) {
	m := bigIncident(b, 10_000)
	m.tsel = 5_000
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkLiveEvent is one event arriving on the feed of an incident
// with 10,000 events, plus the frame that shows it.
func BenchmarkLiveEvent(b *testing.B) {
	m := bigIncident(b, 10_000)
	seq := int64(10_000)
	b.ReportAllocs()
	for b.Loop() {
		seq++
		m.applyEvents([]incidents.Event{{IncidentID: 1, Seq: seq, Kind: incidents.KindNote, Time: fixedNow, Author: "c", Text: "live"}})
		_ = m.View()
	}
}
