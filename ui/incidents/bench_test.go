package incidents

import (
	"fmt"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

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
