package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fixedNow is the instant the tests pin their clocks to.
var fixedNow = panetest.Epoch()

// fakeSource answers like a Prometheus holding the demo's series, and
// counts every call (panetest.Backend) so tests can prove Update and View
// make none. Its fields are read and written under the backend's lock.
type fakeSource struct {
	panetest.Backend
	queries  []string
	steps    []time.Duration
	fail     error // every QueryRange fails with this when set
	exFail   error
	missing  map[string]bool // metric names that do not exist
	services []string
	present  []string            // the series names scheme detection finds
	labels   []string            // the label names LabelValues lists services for ("" any)
	asked    []string            // the service labels asked for
	byLabel  map[string][]string // services per label, when set
}

func newFake() *fakeSource {
	return &fakeSource{services: []string{"checkout", "frontend", "payments"}, missing: map[string]bool{},
		present: []string{"http_requests_total"}}
}

// curve is a deterministic series over [from, to] at step: base with a
// gentle wave and, from 10:05 to 10:15, the spike the fault makes.
func curve(from, to time.Time, step time.Duration, base, spike float64) []sources.Sample {
	var out []sources.Sample
	i := 0
	for t := from; !t.After(to); t = t.Add(step) {
		v := base * (1 + 0.2*math.Sin(float64(i)/5))
		if !t.Before(fixedNow.Add(-25*time.Minute)) && t.Before(fixedNow.Add(-15*time.Minute)) {
			v *= spike
		}
		out = append(out, sources.Sample{Time: t, Value: v})
		i++
	}
	return out
}

func (f *fakeSource) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	if err := f.Call(ctx); err != nil {
		return nil, nil, err
	}
	var fail error
	var missing map[string]bool
	f.Locked(func() {
		f.queries = append(f.queries, expr)
		f.steps = append(f.steps, step)
		fail, missing = f.fail, f.missing
	})
	if fail != nil {
		return nil, nil, fail
	}
	for n := range missing {
		if strings.Contains(expr, n) {
			return nil, nil, nil
		}
	}
	svc := map[string]string{}
	one := func(base, spike float64) []sources.Series {
		return []sources.Series{{Labels: svc, Samples: curve(from, to, step, base, spike)}}
	}
	switch {
	case strings.Contains(expr, "build_info"):
		// payments deployed 1.4.3 thirty minutes ago, just before the
		// spike; the old series lingers five minutes.
		deploy := fixedNow.Add(-30 * time.Minute)
		var old, cur []sources.Sample
		for t := from; !t.After(to); t = t.Add(step) {
			if t.Before(deploy.Add(5 * time.Minute)) {
				old = append(old, sources.Sample{Time: t, Value: 1})
			}
			if !t.Before(deploy) {
				cur = append(cur, sources.Sample{Time: t, Value: 1})
			}
		}
		return []sources.Series{
			{Labels: map[string]string{"__name__": "build_info", "service": "payments", "version": "1.4.2"}, Samples: old},
			{Labels: map[string]string{"__name__": "build_info", "service": "payments", "version": "1.4.3"}, Samples: cur},
		}, nil, nil
	case strings.Contains(expr, "histogram_quantile(0.5,"):
		return one(0.02, 3), nil, nil
	case strings.Contains(expr, "histogram_quantile(0.95,"):
		return one(0.08, 12), nil, nil
	case strings.Contains(expr, "histogram_quantile(0.99,"):
		return one(0.15, 12), nil, nil
	case strings.Contains(expr, `code=~"5.."`):
		return one(0.01, 4), nil, nil
	case strings.Contains(expr, "http_requests_total") && strings.HasPrefix(expr, "sum(rate("):
		return one(5, 0.9), nil, nil
	case strings.Contains(expr, "__name__=~"):
		return []sources.Series{
			{Labels: map[string]string{"__name__": "db_pool_in_use_ratio"}, Samples: curve(from, to, step, 0.24, 3.9)},
			{Labels: map[string]string{"__name__": "process_cpu_utilization"}, Samples: curve(from, to, step, 0.14, 0.7)},
		}, nil, nil
	case strings.Contains(expr, "by (code)"):
		return []sources.Series{
			{Labels: map[string]string{"code": "200", "service": "payments"}, Samples: curve(from, to, step, 4.5, 0.8)},
			{Labels: map[string]string{"code": "500", "service": "payments"}, Samples: curve(from, to, step, 0.05, 6)},
			{Labels: map[string]string{"code": "503", "service": "payments"}, Samples: curve(from, to, step, 0.01, 2)},
		}, nil, nil
	}
	return nil, nil, nil
}

func (f *fakeSource) LabelValues(ctx context.Context, name string, matchers []string, from, to time.Time) (vs []string, _ []string, err error) {
	if err := f.Call(ctx); err != nil {
		return nil, nil, err
	}
	f.Locked(func() { vs = f.labelValues(name, matchers) })
	return vs, nil, nil
}

// labelValues answers LabelValues, under the lock.
func (f *fakeSource) labelValues(name string, matchers []string) []string {
	if name == "__name__" && len(matchers) == 1 && strings.HasPrefix(matchers[0], "{__name__=~") {
		// Scheme detection: which probe series exist.
		var out []string
		for _, n := range f.present {
			if strings.Contains(matchers[0], n) {
				out = append(out, n)
			}
		}
		return out
	}
	if name == "__name__" && len(matchers) == 1 {
		for n := range f.missing {
			if matchers[0] == fmt.Sprintf("{__name__=%q}", n) {
				return nil
			}
		}
		return []string{strings.Trim(strings.TrimPrefix(matchers[0], "{__name__="), `"}`)}
	}
	if len(f.labels) > 0 && !slices.Contains(f.labels, name) {
		return nil
	}
	f.asked = append(f.asked, name)
	if vs, ok := f.byLabel[name]; ok {
		return vs
	}
	return f.services
}

func (f *fakeSource) QueryExemplars(ctx context.Context, expr string, from, to time.Time) ([]sources.Exemplar, error) {
	if err := f.Call(ctx); err != nil {
		return nil, err
	}
	var err error
	f.Locked(func() { err = f.exFail })
	if err != nil {
		return nil, err
	}
	var out []sources.Exemplar
	for i := 0; i < 12; i++ {
		t := fixedNow.Add(-55*time.Minute + time.Duration(i)*5*time.Minute)
		v := 0.1 + 0.01*float64(i)
		if i == 7 || i == 6 {
			v = 1.6 + 0.1*float64(i-6) // inside the spike
		}
		out = append(out, sources.Exemplar{Time: t, Value: v, TraceID: fmt.Sprintf("%032x", i+0xabc)})
	}
	out = append(out, sources.Exemplar{Time: fixedNow.Add(-time.Minute), Value: 9, TraceID: ""}) // no trace id: left out
	return out, nil
}

func (f *fakeSource) lastQueries(n int) (qs []string) {
	f.Locked(func() { qs = append(qs, f.queries[max(0, len(f.queries)-n):]...) })
	return qs
}

func newTestModel(t testing.TB, profile termenv.Profile, src Source, w, h int) (*Model, *panetest.Clock) {
	t.Helper()
	clk := panetest.NewClock(fixedNow)
	b, pal := panetest.Setup(profile, clk)
	b.Location = time.UTC
	m := newPane(t, Config{Basics: b, Source: src, Palette: pal,
		From: fixedNow.Add(-time.Hour), To: fixedNow, Live: true, Ticker: (&tickLog{}).tick}, w, h)
	return m, clk
}

// newPane builds the pane from cfg, on the no-colour renderer and palette
// unless cfg names a renderer, sizes it w×h and closes it with the test.
func newPane(t testing.TB, cfg Config, w, h int) *Model {
	t.Helper()
	if cfg.Renderer == nil {
		cfg.Renderer, cfg.Palette = panetest.Renderer(termenv.Ascii)
	}
	return panetest.Open(t, New(cfg), w, h)
}

// loaded is a model showing the signals of the first service.
func loaded(t testing.TB, profile termenv.Profile, w, h int) (*Model, *fakeSource, *panetest.Clock) {
	t.Helper()
	src := newFake()
	m, clk := newTestModel(t, profile, src, w, h)
	settle(m, m.Init())
	if len(m.panels) != 4 {
		t.Fatalf("signals not loaded: %d panels", len(m.panels))
	}
	return m, src, clk
}

// settle feeds cmd's messages back into the model until none arrive, and
// returns the messages meant for the root (pivots, copies).
func settle(m *Model, cmd tea.Cmd) []tea.Msg { return settleWithin(m, cmd, 150*time.Millisecond) }

// settleWithin is settle giving each Cmd up to wait to answer (a real
// backend needs longer than a fake).
func settleWithin(m *Model, cmd tea.Cmd, wait time.Duration) []tea.Msg {
	return panetest.Settle(m, cmd, wait, func(msg tea.Msg) bool {
		switch msg.(type) {
		case pane.PivotMsg, pane.CopyMsg:
			return false
		}
		return true
	})
}

// tickLog is a Ticker that arms nothing: it records the periods asked
// for, and tests deliver tickMsg by hand with the fake clock.
type tickLog struct {
	mu      sync.Mutex
	periods []time.Duration
}

func (l *tickLog) tick(_ context.Context, d time.Duration, _ func(time.Time) tea.Msg) tea.Cmd {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.periods = append(l.periods, d)
	return nil
}

func (l *tickLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.periods)
}
