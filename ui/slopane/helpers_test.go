package slopane

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/slo/slotest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var fixedNow = panetest.Epoch()

// fakeProm answers the SLO queries from a table: the error ratio per
// service and window; every events query gets plenty of events, and the
// burn history is a ramp per service. It counts every call, so tests can
// prove Update and View make none.
type fakeProm struct {
	panetest.Backend
	ratio map[string]map[string]float64 // service → window → error ratio (under the lock)
}

var (
	svcRe    = regexp.MustCompile(`service="([^"]+)"`)
	windowRe = regexp.MustCompile(`\[(\d+[a-z]+)\]`)
)

func (f *fakeProm) Query(ctx context.Context, expr string, _ time.Time) ([]sources.Series, []string, error) {
	if err := f.Call(ctx); err != nil {
		return nil, nil, err
	}
	v := 1e6
	if strings.Contains(expr, "\n/\n") {
		svc, win := match(svcRe, expr), match(windowRe, expr)
		f.Locked(func() { v = f.ratio[svc][win] })
	}
	return []sources.Series{{Samples: []sources.Sample{{Time: fixedNow, Value: v}}}}, nil, nil
}

func (f *fakeProm) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	if err := f.Call(ctx); err != nil {
		return nil, nil, err
	}
	peak := 1.0
	if match(svcRe, expr) == "payments" {
		peak = 25
	}
	var s sources.Series
	n := int(to.Sub(from) / step)
	for i := 0; i <= n; i++ {
		// Quiet, then a burst in the last quarter.
		v := 0.2 + 0.1*math.Sin(float64(i)/5)
		if i > 3*n/4 {
			v = peak * float64(i-3*n/4) / float64(n/4)
		}
		s.Samples = append(s.Samples, sources.Sample{Time: from.Add(time.Duration(i) * step), Value: v})
	}
	return []sources.Series{s}, nil, nil
}

func match(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// burning: payments pages (2% errors on 99.9% over 1h and 5m), checkout
// has a ticket (0.5% over 1d and 2h), frontend is fine, latency is quiet.
func burning() *fakeProm {
	all := func(v float64) map[string]float64 {
		m := map[string]float64{}
		for _, w := range []string{"5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"} {
			m[w] = v
		}
		return m
	}
	pay := all(0.0002)
	pay["1h"], pay["5m"], pay["30d"] = 0.02, 0.03, 0.0006
	co := all(0.0001)
	co["1d"], co["2h"], co["30d"] = 0.005, 0.004, 0.0003
	return &fakeProm{ratio: map[string]map[string]float64{
		"payments": pay, "checkout": co, "frontend": all(0.00005),
	}}
}

// fixture is the pane with its fake Prometheus and clock.
type fixture = panetest.Fixture[*Model, *fakeProm]

// newFixture is the pane over src and the test SLOs drawn in shot s, on a
// clock stopped at fixedNow, closed when t ends.
func newFixture(t testing.TB, s panetest.Shot, src *fakeProm) fixture {
	clk := panetest.NewClock(fixedNow)
	return fixture{M: newModel(t, s, clk, Config{Source: src, SLOs: testSLOs()}), Src: src, Clk: clk}
}

// newTestModel is newFixture's pane and clock.
func newTestModel(t testing.TB, s panetest.Shot, src *fakeProm) (*Model, *panetest.Clock) {
	f := newFixture(t, s, src)
	return f.M, f.Clk
}

// newModel is the pane cfg describes, drawn in shot s on clk's clock and
// closed when t ends.
func newModel(t testing.TB, s panetest.Shot, clk *panetest.Clock, cfg Config) *Model {
	cfg.Basics, cfg.Palette = panetest.Setup(s.Profile, clk)
	return panetest.Open(t, New(cfg), s.W, s.H)
}

// settle feeds a Cmd's results (not spinner ticks or timer ticks) back in.
func settle(m *Model, cmd tea.Cmd) {
	panetest.Feed(m, cmd, 300*time.Millisecond, func(msg tea.Msg) bool { _, ok := msg.(resultMsg); return ok })
}

// testSLOs are the pane's fixtures: availability of three services and the
// latency of one.
func testSLOs() []slo.SLO { return slotest.SLOs() }
