package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func changesModel(t *testing.T, w, h int) *Model {
	t.Helper()
	m := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }, Location: time.UTC}, Source: newFake(),
		From: fixedNow.Add(-time.Hour), To: fixedNow, Live: true, Service: "payments",
		Ticker:  (&tickLog{}).tick,
		Changes: []changes.Source{{Name: "deploys", Kind: "deploy", Expr: "build_info", ServiceLabel: "service"}}}, w, h)
	settle(m, m.Init())
	return m
}

func TestDeployMarkerOnChartsAndCursor(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		m := changesModel(t, sz[0], sz[1])
		if len(m.changes) != 1 || m.changes[0].What != "version 1.4.2 → 1.4.3" {
			t.Fatalf("changes = %+v", m.changes)
		}
		v := m.View()
		if strings.Count(v, "◇") < 2 {
			t.Errorf("%dx%d: the deploy is not marked on the charts:\n%s", sz[0], sz[1], v)
		}
		panetest.Press(m, "c")
		if !m.cursor.Equal(m.changes[0].T) {
			t.Fatalf("c put the cursor at %s, want the deploy at %s", m.cursor, m.changes[0].T)
		}
		last := strings.Split(m.View(), "\n")[sz[1]-1]
		if !strings.Contains(last, "deploy payments: version 1.4.2 → 1.4.3") {
			t.Errorf("%dx%d: the readout does not say what changed: %q", sz[0], sz[1], last)
		}
		out := settle(m, panetest.Press(m, "L"))
		if len(out) != 1 {
			t.Fatalf("L gave %v", out)
		}
		p, ok := out[0].(pane.PivotMsg)
		at := m.changes[0].T
		if !ok || p.Target != pane.TargetLogs || p.Service != "payments" || p.From.After(at) || p.To.Before(at) {
			t.Fatalf("L on the deploy = %+v", out[0])
		}
		// Off the marker, the readout is the plain cursor again.
		panetest.Press(m, "left", "left", "left")
		if strings.Contains(strings.Split(m.View(), "\n")[sz[1]-1], "deploy payments") {
			t.Error("the readout still names the deploy off its marker")
		}
	}
}

func TestNoChangeSourcesSaysHowToAddOne(t *testing.T) {
	m, _, _ := loaded(t, termenv.Ascii, 120, 40)
	panetest.Press(m, "c")
	if !strings.Contains(m.View(), "add changes: to the context's config") {
		t.Errorf("view:\n%s", m.View())
	}
}

type logChanges struct{ entries []sources.LogEntry }

func (l logChanges) QueryRange(context.Context, sources.LogQuery) (*sources.LogResult, error) {
	return &sources.LogResult{Entries: l.entries}, nil
}

// A log-query source's lines are markers too; one without a log backend
// says why it cannot run.
func TestLogChangeSource(t *testing.T) {
	at := fixedNow.Add(-20 * time.Minute)
	logs := logChanges{[]sources.LogEntry{{Time: at, Labels: map[string]string{"service": "payments"}, Line: "config reloaded: pool 20 -> 40"}}}
	src := []changes.Source{{Name: "config", Kind: "config", Logs: `"config reloaded"`, ServiceLabel: "service"}}
	m := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}, Source: newFake(), Service: "payments",
		Ticker: (&tickLog{}).tick, Changes: src, Logs: logs}, 120, 40)
	settle(m, m.Init())
	if len(m.changes) != 1 || !m.changes[0].T.Equal(at) || m.changes[0].String() != "config payments: config reloaded: pool 20 -> 40" {
		t.Fatalf("changes = %+v (err %v)", m.changes, m.chErr)
	}
	none := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}, Source: newFake(), Service: "payments",
		Ticker: (&tickLog{}).tick, Changes: src}, 120, 40)
	settle(none, none.Init())
	if none.chErr == nil || !strings.Contains(none.chErr.Error(), "needs a log backend") {
		t.Fatalf("err = %v", none.chErr)
	}
}
