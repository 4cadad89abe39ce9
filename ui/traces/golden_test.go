package traces

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// update is -update. The integration build may import teatest, whose
// golden package defines the same flag; then that one is used.
var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(m *Model, src *fakeSource, clk *panetest.Clock)
	}{
		{"empty", func(*Model, *fakeSource, *panetest.Clock) {}},
		{"form", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			panetest.Press(m, "i", "payments", "tab", "tab", "http.status_code=500", "tab", "1s")
		}},
		{"form_services", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			src.services = append(src.services, "orders")
			settle(m, panetest.Press(m, "i"))
			settle(m, panetest.Press(m, "o", "down"))
		}},
		{"form_operations", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, panetest.Press(m, "i"))
			settle(m, panetest.Press(m, "pay", "tab", "tab"))
		}},
		{"results_reversed", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			search(m, "frontend")
			panetest.Press(m, "s", "j", "S")
		}},
		{"results", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			search(m, "frontend")
			panetest.Press(m, "s", "j")
		}},
		{"trace", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			search(m, "frontend")
			panetest.Press(m, "s")
			settle(m, panetest.Press(m, "enter"))
			panetest.Press(m, "j", "j", "j")
		}},
		{"trace_error_filter", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			search(m, "frontend")
			settle(m, panetest.Press(m, "enter"))
			panetest.Press(m, "/", "payments", "enter", "n")
		}},
		{"detail", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			search(m, "frontend")
			settle(m, panetest.Press(m, "enter"))
			panetest.Press(m, "/", "authorize", "enter", "enter")
		}},
		{"truncated", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			big := bigTrace(300)
			big.Warnings = []string{"trace has more than 250 spans; showing the first 250"}
			src.traces[big.TraceID] = big
			settle(m, m.Pivot(paneTrace(big.TraceID)))
			panetest.Press(m, "G")
		}},
		{"trace_folded", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			fan := fanTrace()
			src.traces[fan.TraceID] = fan
			settle(m, m.Pivot(paneTrace(fan.TraceID)))
			panetest.Press(m, "z", "j", "j", "j")
		}},
		{"trace_folded_big", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			wide := wideTrace(2000)
			src.traces[wide.TraceID] = wide
			settle(m, m.Pivot(paneTrace(wide.TraceID)))
			panetest.Press(m, "j", "j", "j", "z")
		}},
		{"diff", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			useDiffTraces(src)
			settle(m, m.Pivot(paneTrace(diffSlowID)))
			settle(m, panetest.Press(m, "D"))
			panetest.Press(m, "j", "j")
		}},
		{"diff_no_baseline", func(m *Model, src *fakeSource, _ *panetest.Clock) {
			trs := diffTraces()
			useDiffTraces(src, trs[0], trs[3])
			settle(m, m.Pivot(paneTrace(diffSlowID)))
			settle(m, panetest.Press(m, "D"))
		}},
		{"error_stale", func(m *Model, src *fakeSource, clk *panetest.Clock) {
			search(m, "frontend")
			clk.Add(3*time.Minute + 10*time.Second)
			src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 60s"})
			settle(m, panetest.Press(m, "i", "enter"))
		}},
	}
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			src := shopSource()
			m, clk := newTestModel(t, s.Profile, src, s.W, s.H)
			sc.run(m, src, clk)
			s.Golden(t, sc.name, m.View(), update())
		})
	}
}
