package incidents

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestHostileIncidentTextNeverReachesTheTerminal: titles, services,
// commanders, authors, notes and evidence (query, link, snapshot) are
// typed by other SSH users or pinned from backends and stored in the DB;
// every frame of the list and the timeline stays clean and fits.
// wide is clean (the store refuses controls in titles, services and
// commanders) but wider than any frame.
var wide = "日本語テキスト🚀🔥ｱｲｳ" + strings.Repeat("wide", 60)

func TestHostileIncidentTextNeverReachesTheTerminal(t *testing.T) {
	for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		for _, sz := range [][2]int{{80, 24}, {200, 50}} {
			f := newFixture(t, "", prof, sz[0], sz[1])
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
			check := func(what string) { t.Helper(); panetest.CheckFrame(t, fmt.Sprint(prof, sz, what), m.View(), sz[0]) }
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
}
