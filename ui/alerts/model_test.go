package alerts

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

var fixedNow = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

type fakeSource struct {
	name   string
	calls  atomic.Int32
	alerts []sources.Alert
	err    error
}

func (f *fakeSource) Name() string { return f.name }
func (f *fakeSource) Alerts(context.Context) ([]sources.Alert, error) {
	f.calls.Add(1)
	return f.alerts, f.err
}

func alert(name, sev, state, fp string, active time.Duration, labels map[string]string, source string) sources.Alert {
	l := map[string]string{"alertname": name, "severity": sev}
	for k, v := range labels {
		l[k] = v
	}
	return sources.Alert{Name: name, State: state, Labels: l, Annotations: map[string]string{"summary": name + " is happening"},
		ActiveAt: fixedNow.Add(-active), Fingerprint: fp, Source: source, Value: "1.5e+00"}
}

func sample() (*fakeSource, *fakeSource) {
	prom := &fakeSource{name: "prometheus", alerts: []sources.Alert{
		alert("PaymentsErrorBurst", "critical", "firing", "aa01", 7*time.Minute, map[string]string{"service": "payments"}, "prometheus"),
		alert("CheckoutLatencyHigh", "warning", "pending", "aa02", time.Minute, map[string]string{"service": "checkout"}, "prometheus"),
		alert("ConsumerLagHigh", "warning", "firing", "aa03", 40*time.Minute, map[string]string{"consumergroup": "orders-consumer"}, "prometheus"),
		alert("Watchdog", "none", "firing", "aa04", 72*time.Hour, nil, "prometheus"),
		alert("Evil\x1b]52;c;aGk=\x07Alert", "critical", "firing", "aa05", 2*time.Hour, map[string]string{"note": "\x1b[2Jwipe"}, "prometheus"),
	}}
	am := &fakeSource{name: "alertmanager", alerts: []sources.Alert{
		alert("PaymentsErrorBurst", "critical", "active", "aa01", 6*time.Minute, map[string]string{"service": "payments"}, "alertmanager"),
		alert("DiskFull", "critical", "suppressed", "bb01", 3*time.Hour, map[string]string{"instance": "db-1"}, "alertmanager"),
	}}
	return prom, am
}

type fixture struct {
	m     *Model
	store incidents.Store
	prom  *fakeSource
	am    *fakeSource
}

func newFixture(t testing.TB, role string, profile termenv.Profile, w, h int) *fixture {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "i.db"), sqlite.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	prom, am := sample()
	b, pal := panetest.Setup(profile, panetest.NewClock(fixedNow))
	b.Location = time.UTC
	m := panetest.Open(t, New(Config{Basics: b, Sources: []Source{prom, am}, Store: s, Author: "alice", Role: role, Palette: pal,
		Grafana:  incidents.Grafana{URL: "https://grafana.example.com", Datasource: "prom"},
		Runbooks: runbook.Options{Dir: filepath.Join("testdata", "runbooks"), AllowedHosts: []string{"runbooks.internal"}},
		Noise:    NewNoiseSource(fakeNoiseProm{}, s)}), w, h)
	return &fixture{m: m, store: s, prom: prom, am: am}
}

// settle runs cmd, feeds the pane's own answers back and returns the
// rest (flashes, pivots, copies) as the root would receive them.
func settle(m *Model, cmd tea.Cmd) []tea.Msg {
	return panetest.Settle(m, cmd, 500*time.Millisecond, func(msg tea.Msg) bool {
		r, ok := msg.(pane.Routed)
		return ok && r.PaneID() == m.b.ID
	})
}

func loaded(t testing.TB, role string, profile termenv.Profile, w, h int) *fixture {
	t.Helper()
	f := newFixture(t, role, profile, w, h)
	settle(f.m, f.m.fetch())
	return f
}

func names(m *Model) []string {
	var out []string
	for _, it := range m.rows {
		out = append(out, it.a.Name)
	}
	return out
}

func TestMergeSortsAndSanitizes(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	got := strings.Join(names(f.m), ",")
	// critical firing oldest first (Evil 2h, Payments 7m), then suppressed;
	// warning firing before pending; unknown severities last.
	want := "EvilAlert,PaymentsErrorBurst,DiskFull,ConsumerLagHigh,CheckoutLatencyHigh,Watchdog"
	if got != want {
		t.Fatalf("order %s\nwant  %s", got, want)
	}
	p := f.m.rows[1]
	if strings.Join(p.from, "+") != "prometheus+alertmanager" || p.a.Source != "prometheus" || p.state != "firing" {
		t.Fatalf("PaymentsErrorBurst not joined: %+v", p)
	}
	if f.m.rows[2].state != "suppressed" {
		t.Fatalf("DiskFull state %q", f.m.rows[2].state)
	}
	v := f.m.View()
	if strings.ContainsRune(v, 0x1b) || strings.ContainsRune(v, 0x07) {
		t.Fatalf("control characters from labels reached the view: %q", v)
	}
	if !strings.Contains(v, "4 firing, 1 pending") {
		t.Fatalf("counts:\n%s", v)
	}
}

func TestFilterAndStateFilter(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	m := f.m
	panetest.Press(m, "/")
	if !m.Editing() {
		t.Fatal("/ did not open the filter")
	}
	panetest.Press(m, "Service=PAY", "enter")
	if got := names(m); len(got) != 1 || got[0] != "PaymentsErrorBurst" {
		t.Fatalf("label filter (case-insensitive, key=value): %v", got)
	}
	if v := m.View(); !strings.Contains(v, "/Service=PAY: 1 shown") {
		t.Fatalf("the header does not show the filter:\n%s", v)
	}
	// esc while editing abandons the edit and keeps the applied filter.
	panetest.Press(m, "/", "zz", "esc")
	if got := names(m); m.Editing() || len(got) != 1 {
		t.Fatalf("esc while editing: editing %v, %v", m.Editing(), got)
	}
	panetest.Press(m, "esc")
	panetest.Press(m, "s", "s") // pending
	if got := names(m); len(got) != 1 || got[0] != "CheckoutLatencyHigh" {
		t.Fatalf("pending filter: %v", got)
	}
	if m.AtRest() {
		t.Fatal("AtRest with a filter set")
	}
	panetest.Press(m, "esc")
	if len(m.rows) != 6 || !m.AtRest() {
		t.Fatalf("esc did not clear: %v", names(m))
	}
}

func TestOneFailingSourceKeepsTheOther(t *testing.T) {
	f := newFixture(t, "", termenv.Ascii, 120, 30)
	f.am.err = &sources.Error{Backend: "alertmanager", Kind: sources.KindUnreachable, Msg: "connection refused"}
	settle(f.m, f.m.fetch())
	if len(f.m.rows) != 5 {
		t.Fatalf("prometheus alerts lost: %v", names(f.m))
	}
	if v := f.m.View(); !strings.Contains(v, "alertmanager") || !strings.Contains(v, "connection refused") {
		t.Fatalf("the failure is not named:\n%s", v)
	}
	// Both fail: the previous list stays.
	f.prom.err = errors.New("boom")
	settle(f.m, f.m.fetch())
	if len(f.m.rows) != 5 {
		t.Fatal("a failed refresh emptied the list")
	}
}

func TestDeclareFromAlertPivotsToIncident(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	m := f.m
	panetest.Press(m, "j") // PaymentsErrorBurst
	out := settle(m, panetest.Press(m, "d"))
	var pivot *pane.PivotMsg
	var flash string
	for _, msg := range out {
		switch msg := msg.(type) {
		case pane.PivotMsg:
			pivot = &msg
		case pane.FlashMsg:
			flash = msg.Text
		}
	}
	if pivot == nil || pivot.Target != pane.TargetIncidents || pivot.Query != "incident:1" {
		t.Fatalf("no pivot to the incident: %v", out)
	}
	if !strings.HasPrefix(flash, "declared INC-1: PaymentsErrorBurst: PaymentsErrorBurst is happening") {
		t.Fatalf("flash %q", flash)
	}
	inc, err := f.store.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	active := fixedNow.Add(-7 * time.Minute)
	if !inc.Milestones.Started.Equal(active) || !inc.Milestones.Detected.Equal(active) || inc.Severity != "SEV2" ||
		len(inc.Services) != 1 || inc.Services[0] != "payments" || inc.DeclaredBy != "alice" {
		t.Fatalf("declared %+v", inc)
	}
	var ev *incidents.Evidence
	for _, e := range inc.Events {
		if e.Evidence != nil {
			ev = e.Evidence
		}
	}
	if ev == nil || ev.Source != "prometheus" || !strings.Contains(ev.Query, `ALERTS{alertname="PaymentsErrorBurst"`) ||
		!strings.HasPrefix(ev.Link, "https://grafana.example.com/explore?") || !strings.Contains(ev.Snapshot, "fingerprint aa01") {
		t.Fatalf("alert evidence %+v", ev)
	}
	// d again on the same firing opens the same incident.
	out = settle(m, panetest.Press(m, "d"))
	incs, _ := f.store.List(context.Background(), incidents.Filter{})
	if len(incs) != 1 {
		t.Fatalf("second d declared again: %d incidents", len(incs))
	}
	found := false
	for _, msg := range out {
		if p, ok := msg.(pane.PivotMsg); ok && p.Query == "incident:1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("second d did not open INC-1: %v", out)
	}
}

func TestViewerCannotDeclare(t *testing.T) {
	f := loaded(t, "viewer", termenv.Ascii, 120, 30)
	if cmd := panetest.Press(f.m, "d"); settle(f.m, cmd) != nil {
		t.Fatal("viewer declared")
	}
	if !strings.Contains(f.m.View(), "viewer cannot declare an incident") {
		t.Fatalf("no reason shown:\n%s", f.m.View())
	}
	incs, _ := f.store.List(context.Background(), incidents.Filter{})
	if len(incs) != 0 {
		t.Fatal("a viewer's declaration was written")
	}
}

func TestSelectionIsAlertEvidence(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	panetest.Press(f.m, "j")
	ev, ok := f.m.Selection()
	if !ok || ev.Kind != incidents.EvidenceChart || !strings.Contains(ev.Snapshot, "alert PaymentsErrorBurst") || ev.Link == "" {
		t.Fatalf("Selection = %+v, %v", ev, ok)
	}
}

func TestUpdateAndViewDoNoIO(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 80, 24)
	f.prom.calls.Store(0)
	f.am.calls.Store(0)
	cmds := panetest.Steps(f.m, "j", "enter", "esc", "/", "x", "enter", "esc", "s", "R", "G", f.m.refresh.Current())
	panetest.OnlyCmdsCall(t, func() int32 { return f.prom.calls.Load() + f.am.calls.Load() }, cmds, 500*time.Millisecond)
}

func TestGoldenViews(t *testing.T) {
	type scene = panetest.Scene[*Model]
	build := func(t *testing.T, s panetest.Shot) *Model { return loaded(t, "", s.Profile, s.W, s.H).m }
	panetest.Goldens(t, update(), build, (*Model).View,
		scene{Name: "list", Run: func(_ *testing.T, m *Model) { panetest.Press(m, "j") }},
		scene{Name: "detail", Run: func(_ *testing.T, m *Model) { panetest.Press(m, "j", "enter") }},
		scene{Name: "filtered", Run: func(_ *testing.T, m *Model) { panetest.Press(m, "/", "lag", "enter") }},
		scene{Name: "noise", Run: func(_ *testing.T, m *Model) { settle(m, panetest.Press(m, "S")) }},
		scene{Name: "runbook", Run: func(_ *testing.T, m *Model) {
			selectAlert(m, "PaymentsErrorBurst")
			settle(m, panetest.Press(m, "o"))
			panetest.Press(m, "n", "n")
		}},
	)
}

// fakeNoiseProm answers like Prometheus would for a rule that fired four
// times for 30s, two minutes apart, and one that never fired.
type fakeNoiseProm struct{}

func (fakeNoiseProm) Query(_ context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	var samples []sources.Sample
	for f := range 4 {
		start := at.Add(-time.Hour + time.Duration(f)*2*time.Minute)
		samples = append(samples, sources.Sample{Time: start, Value: 1}, sources.Sample{Time: start.Add(15 * time.Second), Value: 1})
	}
	return []sources.Series{{Labels: map[string]string{"alertname": "FlappyProbe", "alertstate": "firing"}, Samples: samples}}, nil, nil
}

func (fakeNoiseProm) Rules(context.Context) ([]prom.Rule, error) {
	return []prom.Rule{
		{Type: "alerting", Name: "QuietRule", Group: "g", Interval: 15 * time.Second},
		{Type: "alerting", Name: "FlappyProbe", Group: "g", Interval: 15 * time.Second},
		{Type: "recording", Name: "job:up:sum", Group: "g"},
	}, nil
}

func TestNoiseViewRanksTheFlappingRuleFirst(t *testing.T) {
	f := loaded(t, "viewer", termenv.Ascii, 80, 24)
	settle(f.m, panetest.Press(f.m, "S"))
	v := f.m.View()
	panetest.CheckFrame(t, "noise", v, 80)
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "Alert noise") || !strings.HasPrefix(strings.TrimSpace(lines[2]), "FlappyProbe") || !strings.Contains(lines[3], "QuietRule") {
		t.Fatalf("view:\n%s", v)
	}
	// 4 firings, 3 of them within the flap window of the previous one,
	// none actionable (the store is empty but was read).
	if fs := strings.Fields(lines[2]); fs[1] != "4" || fs[3] != "3" || fs[6] != "0" || fs[7] != "(0%)" {
		t.Errorf("row %q", lines[2])
	}
	if strings.Contains(v, "job:up:sum") {
		t.Error("a recording rule is listed")
	}
	panetest.Press(f.m, "esc")
	if f.m.noise.open || !f.m.AtRest() {
		t.Error("esc did not close the noise view")
	}
}

// fakeRuleProm is a Prometheus whose PaymentsErrorBurst rule (for 1m)
// held from three minutes before the alert became active.
type fakeRuleProm struct{ calls atomic.Int32 }

func (f *fakeRuleProm) Rules(context.Context) ([]prom.Rule, error) {
	f.calls.Add(1)
	return []prom.Rule{{Type: "alerting", Name: "PaymentsErrorBurst", Query: "errs > 0.05", For: time.Minute, Interval: 15 * time.Second}}, nil
}

func (f *fakeRuleProm) QueryRange(_ context.Context, _ string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	f.calls.Add(1)
	held := fixedNow.Add(-7*time.Minute - 3*time.Minute)
	var s sources.Series
	for t := from; !t.After(to); t = t.Add(step) {
		if !t.Before(held) {
			s.Samples = append(s.Samples, sources.Sample{Time: t, Value: 0.3})
		}
	}
	return []sources.Series{s}, nil, nil
}

// TestDeclareUsesHonestMilestones: d in the pane declares with started
// where the rule began to hold and detected when the alert fired
// (activeAt + for), as `incident declare --from-alert` does; the rule is
// read in a Cmd with a spinner, never in Update.
func TestDeclareUsesHonestMilestones(t *testing.T) {
	f := loaded(t, "", termenv.Ascii, 120, 30)
	q := &fakeRuleProm{}
	f.m.prom = q
	panetest.Press(f.m, "j") // PaymentsErrorBurst, active 7 minutes ago
	cmd := panetest.Press(f.m, "d")
	if q.calls.Load() != 0 || !f.m.prefill.Busy() || !f.m.waiting() || cmd == nil {
		t.Fatalf("d read Prometheus in Update (%d calls) or started no Cmd (prefilling %v)", q.calls.Load(), f.m.prefill.Busy())
	}
	settle(f.m, cmd)
	inc, err := f.store.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	active := fixedNow.Add(-7 * time.Minute)
	if !inc.Milestones.Detected.Equal(active.Add(time.Minute)) || !inc.Milestones.Started.Equal(active.Add(-3*time.Minute)) {
		t.Fatalf("started %s detected %s; want %s and %s", inc.Milestones.Started, inc.Milestones.Detected, active.Add(-3*time.Minute), active.Add(time.Minute))
	}
	if d, ok := inc.Duration(incidents.MTTD); !ok || d != 4*time.Minute {
		t.Fatalf("MTTD %v %v; want 4m", d, ok)
	}
}

// TestHostileAlertTextNeverReachesTheTerminal: alert names, labels,
// annotations, values and backend errors are outside text; every frame
// (list, detail, filter, failed refresh, declare flash) stays clean and
// fits.
func TestHostileAlertTextNeverReachesTheTerminal(t *testing.T) {
	var hostile []sources.Alert
	for i, h := range panetest.Hostile() {
		a := alert("A "+h, "critical", "firing", fmt.Sprintf("f%d %s", i, h), time.Duration(i+1)*time.Minute,
			map[string]string{"service": h, "l " + h: h}, "prometheus "+h)
		a.Annotations = map[string]string{"summary": h, "description " + h: panetest.HostileLine()}
		a.Value = h
		hostile = append(hostile, a)
	}
	for _, s := range panetest.Shots() {
		f := newFixture(t, "", s.Profile, s.W, s.H)
		f.prom.alerts, f.am.alerts = hostile, hostile[:3]
		m := f.m
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, s.Name(what), m.View(), s.W) }
		settle(m, m.fetch())
		check("list")
		if !strings.Contains(m.View(), "A csi red") {
			t.Fatalf("the hostile alerts were dropped, not cleaned:\n%s", m.View())
		}
		settle(m, panetest.Press(m, "j", "j", "enter"))
		check("detail")
		panetest.Press(m, "esc", "/", "c", "s", "i")
		check("filtering")
		panetest.Press(m, "enter")
		check("filtered")
		panetest.Press(m, "esc")
		settle(m, panetest.Press(m, "d"))
		check("declared")
		f.am.err = &sources.Error{Backend: "alertmanager", Kind: sources.KindUnreachable, Msg: panetest.HostileLine()}
		f.prom.err = errors.New(panetest.HostileLine())
		settle(m, m.fetch())
		check("both failed")
	}
}
