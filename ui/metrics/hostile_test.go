package metrics

import (
	"context"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// hostileProm answers every call with hostile label names and values,
// metric names, exemplar trace ids, warnings and, when fail is set, a
// hostile error.
type hostileProm struct{ fail bool }

func (h hostileProm) QueryRange(ctx context.Context, expr string, from, to time.Time, step time.Duration) ([]sources.Series, []string, error) {
	if h.fail {
		return nil, nil, &sources.Error{Backend: "prometheus", Kind: sources.KindBadQuery, Msg: panetest.HostileLine()}
	}
	var out []sources.Series
	for i, s := range panetest.Hostile() {
		out = append(out, sources.Series{
			Labels:  map[string]string{"__name__": s, "k " + s: s, "service": s, "i": string(rune('a' + i))},
			Samples: curve(from, to, step, float64(i+1), 2),
		})
	}
	return out, panetest.Hostile(), nil
}

func (h hostileProm) LabelValues(ctx context.Context, name string, matchers []string, from, to time.Time) ([]string, []string, error) {
	return panetest.Hostile(), nil, nil
}

func (h hostileProm) QueryExemplars(ctx context.Context, expr string, from, to time.Time) ([]sources.Exemplar, error) {
	var out []sources.Exemplar
	for i, s := range panetest.Hostile() {
		out = append(out, sources.Exemplar{Time: fixedNow.Add(-time.Duration(i+1) * time.Minute), Value: 1, TraceID: s})
	}
	return out, nil
}

// TestHostileMetricTextNeverReachesTheTerminal feeds control sequences in
// every string Prometheus hands the pane (services, labels, exemplar
// trace ids, errors) and checks every frame is clean and fits.
func TestHostileMetricTextNeverReachesTheTerminal(t *testing.T) {
	panetest.EachShot(t, "hostile", func(t *testing.T, s panetest.Shot) {
		src := &hostileProm{}
		m, _ := newTestModel(t, s.Profile, src, s.W, s.H)
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, what, m.View(), s.W) }
		settle(m, m.Init())
		check("signals")
		settle(m, panetest.Press(m, "x"))
		check("exemplar selected")
		settle(m, panetest.Press(m, "s"))
		check("service picker")
		settle(m, panetest.Press(m, "enter"))
		check("hostile service chosen")
		settle(m, m.Run(`sum by (code) (rate(http_requests_total[5m]))`))
		check("query table")
		src.fail = true
		settle(m, m.Run(`sum(`))
		check("query error")
		settle(m, panetest.Press(m, "m"))
		settle(m, m.refresh())
		check("signals error")
	})
}
