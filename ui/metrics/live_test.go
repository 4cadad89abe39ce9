package metrics

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestLiveCadenceIsOneStepClamped(t *testing.T) {
	for _, c := range []struct{ step, scrape, want time.Duration }{
		{5 * time.Second, 15 * time.Second, 15 * time.Second}, // never faster than a scrape
		{20 * time.Second, 15 * time.Second, 20 * time.Second},
		{2 * time.Minute, 15 * time.Second, 30 * time.Second}, // never slower than 30s
		{time.Second, 0, DefaultScrapeInterval},
		{10 * time.Second, time.Minute, 30 * time.Second},
	} {
		if got := liveCadence(c.step, c.scrape); got != c.want {
			t.Errorf("liveCadence(%s, %s) = %s, want %s", c.step, c.scrape, got, c.want)
		}
	}
}

// liveModel is a live pane over the fake with a recording ticker.
func liveModel(t *testing.T, src Source, w, h int) (*Model, *panetest.Clock, *tickLog) {
	t.Helper()
	clk := panetest.NewClock(fixedNow)
	log := &tickLog{}
	m := newPane(t, Config{Basics: pane.Basics{Now: clk.Now, Location: time.UTC}, Source: src,
		From: fixedNow.Add(-time.Hour), To: fixedNow, Live: true, Ticker: log.tick}, w, h)
	settle(m, m.Init())
	if len(m.panels) != 4 {
		t.Fatalf("signals not loaded: %d panels", len(m.panels))
	}
	return m, clk, log
}

// fireTick delivers the current timer's tick and settles what it starts.
func (m *Model) fireTick() {
	_, cmd := m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen()})
	settle(m, cmd)
}

func TestLiveTickRefreshesAndKeepsCursorAndExemplar(t *testing.T) {
	src := newFake()
	m, clk, log := liveModel(t, src, 200, 50)
	if log.count() != 1 {
		t.Fatalf("a live pane arms one timer at start, armed %d", log.count())
	}
	if want := m.cadence(); log.periods[0] != want || want < DefaultScrapeInterval || want > maxCadence {
		t.Fatalf("timer period %s, cadence %s", log.periods[0], want)
	}
	panetest.Press(m, "x") // the slowest exemplar, the cursor on it
	sel, ok := m.selectedExemplar()
	if !ok {
		t.Fatal("no exemplar selected")
	}
	cursor := m.cursor
	before := len(src.lastQueries(1000))
	if !strings.Contains(m.View(), "data 0s old") {
		t.Errorf("header does not give the data's age:\n%s", m.View())
	}
	clk.Add(m.cadence())
	if !strings.Contains(m.View(), "data "+fmtDur(m.cadence())+" old") {
		t.Errorf("the age does not grow with the clock:\n%s", strings.SplitN(m.View(), "\n", 2)[0])
	}
	m.fireTick()
	if after := len(src.lastQueries(1000)); after <= before {
		t.Fatal("the tick ran no query")
	}
	if !m.panels[0].to.Equal(clk.Now()) {
		t.Errorf("refreshed window ends %s, want now %s", m.panels[0].to, clk.Now())
	}
	if !m.cursor.Equal(cursor) {
		t.Errorf("cursor moved from %s to %s", cursor, m.cursor)
	}
	if got, ok := m.selectedExemplar(); !ok || got.traceID != sel.traceID {
		t.Errorf("selected exemplar lost: had %s, now %+v (%v)", sel.traceID, got, ok)
	}
	if log.count() != 2 {
		t.Errorf("the tick must re-arm the timer once, armed %d in all", log.count())
	}
	if !strings.Contains(m.View(), "data 0s old") {
		t.Errorf("age not reset by the refresh:\n%s", strings.SplitN(m.View(), "\n", 2)[0])
	}
}

func TestLiveOverlappingRefreshIsDropped(t *testing.T) {
	src := newFake()
	m, clk, log := liveModel(t, src, 120, 40)
	clk.Add(time.Minute)
	_, pending := m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen()}) // out, not answered yet
	seq := m.sigReq.Seq()
	if !m.sigReq.Busy() || pending == nil {
		t.Fatal("the tick started no refresh")
	}
	armed := log.count()
	_, _ = m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen()})
	if m.sigReq.Seq() != seq {
		t.Errorf("a second refresh was started while one was out (seq %d → %d)", seq, m.sigReq.Seq())
	}
	if log.count() != armed+1 {
		t.Error("the dropped tick must still re-arm the timer")
	}
	// The first refresh's answer still lands.
	settle(m, pending)
	if m.sigReq.Busy() || !m.panels[0].to.Equal(clk.Now()) {
		t.Errorf("the running refresh was lost: loading=%v to=%s", m.sigReq.Busy(), m.panels[0].to)
	}
	// A stale timer (an older generation) does nothing.
	_, cmd := m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen() - 1})
	if cmd != nil || m.sigReq.Seq() != seq {
		t.Error("a stale tick acted")
	}
}

func TestHiddenPaneRefreshesWhenShown(t *testing.T) {
	src := newFake()
	m, clk, log := liveModel(t, src, 120, 40)
	m.Update(pane.VisibleMsg{Visible: false})
	clk.Add(time.Minute)
	seq, armed := m.sigReq.Seq(), log.count()
	_, cmd := m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen()})
	if cmd != nil || m.sigReq.Seq() != seq || log.count() != armed {
		t.Fatal("a hidden pane refreshed or kept its timer running")
	}
	_, cmd = m.Update(pane.VisibleMsg{Visible: true})
	if m.sigReq.Seq() != seq+1 || log.count() != armed+1 {
		t.Fatalf("shown again, the pane did not refresh and re-arm (seq %d→%d, timers %d→%d)", seq, m.sigReq.Seq(), armed, log.count())
	}
	settle(m, cmd)
	if !m.panels[0].to.Equal(clk.Now()) {
		t.Errorf("data not fresh after showing: ends %s", m.panels[0].to)
	}
	// Shown again soon after, with fresh data: no refresh needed.
	m.Update(pane.VisibleMsg{Visible: false})
	m.Update(pane.VisibleMsg{Visible: true})
	if m.sigReq.Seq() != seq+1 {
		t.Error("showing a pane with fresh data refreshed it again")
	}
	// Shown while already shown: nothing.
	if _, cmd := m.Update(pane.VisibleMsg{Visible: true}); cmd != nil {
		t.Error("a show of a shown pane did something")
	}
}

func TestFixedRangeNeverRefreshes(t *testing.T) {
	src := newFake()
	m, clk, log := liveModel(t, src, 120, 40)
	settle(m, func() tea.Msg { return pane.RangeMsg{From: fixedNow.Add(-2 * time.Hour), To: fixedNow.Add(-time.Hour)} })
	armed := log.count()
	clk.Add(10 * time.Minute)
	seq := m.sigReq.Seq()
	_, cmd := m.Update(tickMsg{pane: m.base.ID, gen: m.shown.Gen()})
	if cmd != nil || m.sigReq.Seq() != seq || log.count() != armed {
		t.Fatal("a fixed range refreshed or armed a timer")
	}
	m.Update(pane.VisibleMsg{Visible: false})
	if _, cmd := m.Update(pane.VisibleMsg{Visible: true}); cmd != nil || m.sigReq.Seq() != seq {
		t.Error("showing a pane on a fixed range refreshed it")
	}
	if strings.Contains(strings.SplitN(m.View(), "\n", 2)[0], " old") {
		t.Error("a fixed range has no age to show")
	}
	// Back to live: the timer is armed again.
	settle(m, func() tea.Msg { return pane.RangeMsg{From: clk.Now().Add(-time.Hour), To: clk.Now(), Live: true} })
	if log.count() != armed+1 {
		t.Error("going live did not arm the timer")
	}
}

func TestLiveQueryModeRefreshesTheQuery(t *testing.T) {
	src := newFake()
	m, clk, _ := liveModel(t, src, 120, 40)
	settle(m, m.Run(`sum by (code) (rate(http_requests_total[5m]))`))
	panetest.Press(m, "left")
	cursor := m.cursor
	clk.Add(time.Minute)
	m.fireTick()
	if q := src.lastQueries(1); len(q) != 1 || !strings.Contains(q[0], "by (code)") {
		t.Fatalf("last query %v, want the free query again", q)
	}
	if !m.result.to.Equal(clk.Now()) || !m.cursor.Equal(cursor) {
		t.Errorf("query result ends %s, cursor %s (was %s)", m.result.to, m.cursor, cursor)
	}
}
