//go:build integration

package incidentpane

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/postgres"
	"github.com/reltui/reltui/incidents/storetest"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// console is one Incidents pane on its own PostgreSQL connection pool, as
// a second person's console (or `reltui serve` session) would have.
func console(t *testing.T, dsn, author string) *fixture {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := &countingStore{Store: s}
	clk := panetest.NewClock(time.Now())
	m := newPane(t, cs, author, "commander", termenv.Ascii, clk, 120, 40)
	return &fixture{m: m, store: cs, clk: clk, run: panetest.NewRunner(256).Run}
}

// TestTwoConsolesOnPostgres: an event written in one console shows in the
// other, which has the incident open, within a second (LISTEN/NOTIFY).
func TestTwoConsolesOnPostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	a, b := console(t, dsn, "alice"), console(t, dsn, "bob")
	inc, err := a.store.Declare(context.Background(), incidents.Declaration{Key: "k1", Author: "alice", Title: "Payments 5xx"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []*fixture{a, b} {
		settle(f, f.m.Pivot(paneQuery(inc.ID)))
		if !f.m.live() {
			t.Fatalf("%s is not following the incident", f.m.author)
		}
	}
	// Bob adds a note through his form; Alice's pane shows it.
	panetest.Press(b.m, "a", "rolled back to v41")
	b.save(t, "bob's note")
	start := time.Now()
	if !a.until(func() bool { return strings.Contains(a.m.View(), "note: rolled back to v41") }, time.Second) {
		t.Fatalf("alice did not see bob's note within 1s:\n%s", a.m.View())
	}
	t.Logf("seen after %v", time.Since(start))
	// Alice marks mitigated; Bob's milestone bar and MTTM follow.
	panetest.Press(a.m, "m", "ctrl+u", "mitigated")
	settle(a, panetest.Press(a.m, "enter"))
	if !b.until(func() bool {
		return b.m.inc.Status() == incidents.StatusMitigated && strings.Contains(b.m.View(), "MTTM ")
	}, time.Second) {
		t.Fatalf("bob did not see the mitigation within 1s:\n%s", b.m.View())
	}
}

func paneQuery(id int64) pane.PivotMsg {
	return pane.PivotMsg{Target: pane.TargetIncidents, Query: PivotQuery(id)}
}
