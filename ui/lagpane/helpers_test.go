package lagpane

import (
	"context"
	"math"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var fixedNow = panetest.Epoch()

// fakeSource answers with fixed partitions (set under its lock).
type fakeSource struct {
	panetest.Backend
	parts []lag.Partition
}

func (f *fakeSource) Partitions(ctx context.Context, group string, from, now time.Time) ([]lag.Partition, []string, error) {
	if err := f.Call(ctx); err != nil {
		return nil, nil, err
	}
	var parts []lag.Partition
	f.Locked(func() { parts = f.parts })
	return parts, nil, nil
}

func ramp(n int, from, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + step*float64(i)
	}
	return out
}

// sample: orders-consumer is stalled on partition 1, billing is fine,
// audit is falling behind with no offset history.
func sample() []lag.Partition {
	p := func(g, t string, n int32, msgs, secs float64, m lag.Method, s lag.Status, reason string, trend []float64) lag.Partition {
		return lag.Partition{Group: g, Topic: t, Partition: n, LagMessages: msgs, LagSeconds: secs, Method: m,
			Verdict: lag.Verdict{Status: s, Reason: reason}, Trend: trend}
	}
	return []lag.Partition{
		p("orders-consumer", "orders", 0, 3, 1.5, lag.MethodInterpolated, lag.StatusOK, "lag is shrinking", ramp(20, 10, -0.3)),
		p("orders-consumer", "orders", 1, 1450, 192, lag.MethodInterpolated, lag.StatusStall, "committing offset 8812 over and over with 1450 messages of lag", ramp(20, 100, 70)),
		p("orders-consumer", "orders", 2, 0, 0, lag.MethodInterpolated, lag.StatusOK, "no lag now", ramp(20, 0, 0)),
		p("billing", "payments", 0, 12, 0.8, lag.MethodInterpolated, lag.StatusOK, "lag was zero within the window", ramp(20, 5, 0.2)),
		p("audit", "payments", 0, 900, 45, lag.MethodRate, lag.StatusWarn, "lag never shrank across the window (100 → 900) though offsets moved", ramp(20, 100, 40)),
		p("audit", "payments", 1, 20, math.NaN(), lag.MethodUnknown, lag.StatusErr, "need at least 2 commits in the window, have 1", nil),
	}
}

// fixture is the pane with its fake source and clock.
type fixture = panetest.Fixture[*Model, *fakeSource]

// newFixture is the pane over src drawn in shot s, on a clock stopped at
// fixedNow, closed when t ends.
func newFixture(t testing.TB, s panetest.Shot, src *fakeSource) fixture {
	clk := panetest.NewClock(fixedNow)
	b, pal := panetest.Setup(s.Profile, clk)
	m := panetest.Open(t, New(Config{Basics: b, Palette: pal, Source: src, SourceName: "prometheus"}), s.W, s.H)
	return fixture{M: m, Src: src, Clk: clk}
}

// newTestModel is newFixture's pane and clock.
func newTestModel(t testing.TB, s panetest.Shot, src *fakeSource) (*Model, *panetest.Clock) {
	f := newFixture(t, s, src)
	return f.M, f.Clk
}

// settle feeds the fetch results cmd brings back in.
func settle(m *Model, cmd tea.Cmd) {
	panetest.Feed(m, cmd, 300*time.Millisecond, func(msg tea.Msg) bool { _, ok := msg.(resultMsg); return ok })
}

// load runs Init and feeds the fetch result back in.
func load(m *Model) { settle(m, m.Init()) }

// answerMsg is the answer to the pane's latest fetch: parts read at at.
func answerMsg(m *Model, at time.Time, parts []lag.Partition) resultMsg {
	return resultMsg{Pane: m.id, Seq: m.fetch.Seq(), Value: answer{at: at, parts: parts}}
}
