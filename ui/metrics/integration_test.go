//go:build integration

package metrics

// Against the dev stack's real Prometheus fed by the demo workload. The
// test injects its own payments latency fault and judges the p99 the
// pane computes against the level before the fault, so scheduled faults
// and other tests' faults cannot make it pass or fail by accident.

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/demo"
	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// realPane is the pane on the stack's Prometheus showing payments over
// the last span, live.
func realPane(t *testing.T, src Source, span time.Duration) *Model {
	now := time.Now()
	m := newPane(t, Config{Basics: pane.Basics{Timeout: 30 * time.Second}, Source: src, Service: "payments",
		From: now.Add(-span), To: now, Live: true}, 200, 50)
	return m
}

// p99 returns the finite p99 points of the latency chart.
func p99(t *testing.T, m *Model) []float64 {
	t.Helper()
	if len(m.panels) == 0 {
		t.Fatal("no panels")
	}
	lat := m.panels[0]
	if lat.err != nil {
		t.Fatalf("latency query failed: %v", lat.err)
	}
	var out []float64
	for _, s := range lat.series {
		if s.Name != "p99" {
			continue
		}
		for _, p := range s.Points {
			if !math.IsNaN(p.V) && !math.IsInf(p.V, 0) {
				out = append(out, p.V)
			}
		}
	}
	return out
}

// TestPaymentsLatencyFaultIsAP99Jump opens the pane before the fault and
// never presses a key: the live refresh alone must show the jump.
func TestPaymentsLatencyFaultIsAP99Jump(t *testing.T) {
	s := stacktest.Require(t)
	c := stackProm(t)
	// The usual level: the lower quartile of the last 30 minutes' p99,
	// which a fault (a minority of the time) does not move.
	before := realPane(t, c, 30*time.Minute)
	settleWithin(before, before.Init(), 5*time.Second)
	hist := p99(t, before)
	if len(hist) < 10 {
		t.Fatalf("only %d p99 points in the last 30m; is the demo workload running?", len(hist))
	}
	slices.Sort(hist)
	base := hist[len(hist)/4]
	t.Logf("payments p99 lower quartile over 30m: %.3fs", base)

	ctl, err := demo.NewControl(s.DemoControl, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A latency fault already running (scheduled, or another test's)
	// would make any reading look like a jump: wait for it to end and
	// for the rate window to forget it, then take the level just before
	// ours.
	level := settledLevel(t, c, ctl, base)
	t.Logf("payments p99 just before the fault: %.3fs", level)

	// The pane is open, live, before the fault, and from here on gets no
	// key: only its own refresh timer can bring the fault in.
	m := realPane(t, c, 5*time.Minute)
	run := panetest.NewRunner(64)
	pump := func(cmd tea.Cmd, wait time.Duration) tea.Cmd {
		var next []tea.Cmd
		for _, msg := range run.Run(cmd, wait) {
			if _, spin := msg.(pane.SpinMsg); spin {
				continue
			}
			_, c := m.Update(msg)
			next = append(next, c)
		}
		return tea.Batch(next...)
	}
	cmd := m.Init()
	for i := 0; i < 5 && len(m.panels) == 0; i++ { // detection, then the signals
		cmd = pump(cmd, 3*time.Second)
	}
	if len(p99(t, m)) == 0 {
		t.Fatal("the open pane has no p99 before the fault")
	}
	opened := m.panels[0].to
	t.Logf("pane open, refreshing every %s", m.cadence())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	w, err := ctl.Inject(ctx, fault.Latency, 3*time.Minute)
	cancel()
	if err != nil {
		t.Fatalf("inject latency fault: %v", err)
	}
	t.Logf("latency fault %s active until %s", w.ID, w.End.Format(time.TimeOnly))
	// End our window, and only ours, when done: other packages' tests share
	// the workload and may have a latency fault of their own in force.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := ctl.End(ctx, w); err != nil {
			t.Logf("end latency fault %s: %v", w.ID, err) // over already, or cleared by a person
		}
	})

	// The gateway slows by 0.8–2 s for most charges, so p99 passes
	// 0.8 s; demand a jump well clear of the usual level too.
	want := math.Max(math.Max(4*base, 3*level), 0.7)
	deadline := time.Now().Add(150 * time.Second)
	var last float64
	refreshes := 0
	seen := opened
	for {
		cmd = pump(cmd, 2*time.Second)
		if to := m.panels[0].to; to.After(seen) {
			refreshes++
			seen = to
		}
		if pts := p99(t, m); len(pts) > 0 {
			last = pts[len(pts)-1]
			if last >= want {
				t.Logf("payments p99 now %.3fs (base %.3fs) after %d refreshes of the open pane, %s after the fault started",
					last, base, refreshes, time.Since(w.Start).Round(time.Second))
				if refreshes == 0 {
					t.Fatal("the jump arrived without a refresh")
				}
				if !strings.Contains(m.View(), " old, every ") {
					t.Errorf("the header does not say how old the data is:\n%s", strings.SplitN(m.View(), "\n", 2)[0])
				}
				// The data a trace pivot needs is there: a slow exemplar
				// with a trace id.
				slow := false
				for _, e := range m.exemplars {
					if e.v >= 0.7 && len(e.traceID) >= 16 && e.t.After(w.Start.Add(-time.Minute)) {
						slow = true
					}
				}
				if !slow {
					t.Errorf("no slow exemplar with a trace id among %d after the fault", len(m.exemplars))
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open pane's p99 never jumped: last %.3fs, want ≥ %.3fs (base %.3fs), %d refreshes", last, want, base, refreshes)
		}
	}
}

// settledLevel waits until no latency fault is active and the p99 is back
// near the usual level (a fault that just ended, e.g. another package's
// test, lingers in the rate window), and returns that level.
func settledLevel(t *testing.T, c *prom.Client, ctl *demo.Control, base float64) float64 {
	t.Helper()
	calm := math.Max(2*base, 0.5)
	deadline := time.Now().Add(5 * time.Minute)
	for {
		waitNoLatencyFault(t, ctl)
		pre := realPane(t, c, 5*time.Minute)
		settleWithin(pre, pre.Init(), 5*time.Second)
		pts := p99(t, pre)
		if len(pts) == 0 {
			t.Fatal("no p99 points in the last 5m")
		}
		level := pts[len(pts)-1]
		if level <= calm {
			return level
		}
		if time.Now().After(deadline) {
			t.Fatalf("payments p99 stayed at %.3fs (usual %.3fs) for 5 minutes with no latency fault active", level, base)
		}
		t.Logf("payments p99 still %.3fs after a fault; waiting for it to settle", level)
		time.Sleep(10 * time.Second)
	}
}

// waitNoLatencyFault returns once no latency fault is active and the
// 60-75 s rate window has moved past its end.
func waitNoLatencyFault(t *testing.T, ctl *demo.Control) {
	t.Helper()
	deadline := time.Now().Add(6 * time.Minute)
	waited := false
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		st, err := ctl.Status(ctx)
		cancel()
		if err != nil {
			t.Fatalf("demo status: %v", err)
		}
		active := false
		for _, w := range st.Active {
			if w.Kind == fault.Latency {
				active = true
			}
		}
		if !active {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a latency fault stayed active for 6 minutes; cannot measure a jump")
		}
		waited = true
		time.Sleep(5 * time.Second)
	}
	if waited {
		t.Log("waited for a running latency fault to end")
		time.Sleep(100 * time.Second)
	}
}

func TestRealErrorsAndEmptyResults(t *testing.T) {
	c := stackProm(t)
	m := realPane(t, c, 15*time.Minute)
	settleWithin(m, m.Run(`rate(reltui_no_such_metric_total[5m])`), 3*time.Second)
	if m.result == nil || m.result.empty != "metric reltui_no_such_metric_total not found" {
		t.Fatalf("missing metric: %+v", m.result)
	}
	settleWithin(m, m.Run(`http_requests_total{service="no-such-service-xyz"}`), 3*time.Second)
	if m.result.empty != "no data" {
		t.Fatalf("existing metric, no series: empty = %q", m.result.empty)
	}
	good := m.result
	settleWithin(m, m.Run(`sum(rate(http_requests_total[5m])`), 3*time.Second)
	if m.qReq.Err() == nil || m.result != good {
		t.Fatal("a bad query must fail and keep the last result")
	}
	kind, msg := pane.ErrText(m.qReq.Err())
	if kind != "bad query" || msg == "" {
		t.Fatalf("error = %s: %s", kind, msg)
	}
	t.Logf("Prometheus said: %s", msg)
}
