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

// fixture is a pane over the shop's traces, with its source and clock.
type fixture = panetest.Fixture[*Model, *fakeSource]

type scene = panetest.Scene[fixture]

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) fixture {
		src := shopSource()
		m, clk := newTestModel(t, s, src)
		return fixture{M: m, Src: src, Clk: clk}
	}
	panetest.Goldens(t, update(), build, fixture.View,
		scene{Name: "empty", Run: func(_ *testing.T, f fixture) {}},
		scene{Name: "form", Run: func(_ *testing.T, f fixture) {
			panetest.Press(f.M, "i", "payments", "tab", "tab", "http.status_code=500", "tab", "1s")
		}},
		scene{Name: "form_services", Run: func(_ *testing.T, f fixture) {
			f.Src.services = append(f.Src.services, "orders")
			settle(f.M, panetest.Press(f.M, "i"))
			settle(f.M, panetest.Press(f.M, "o", "down"))
		}},
		scene{Name: "form_operations", Run: func(_ *testing.T, f fixture) {
			settle(f.M, panetest.Press(f.M, "i"))
			settle(f.M, panetest.Press(f.M, "pay", "tab", "tab"))
		}},
		scene{Name: "results_reversed", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			panetest.Press(f.M, "s", "j", "S")
		}},
		scene{Name: "results", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			panetest.Press(f.M, "s", "j")
		}},
		scene{Name: "trace", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			panetest.Press(f.M, "s")
			settle(f.M, panetest.Press(f.M, "enter"))
			panetest.Press(f.M, "j", "j", "j")
		}},
		scene{Name: "trace_error_filter", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			settle(f.M, panetest.Press(f.M, "enter"))
			panetest.Press(f.M, "/", "payments", "enter", "n")
		}},
		scene{Name: "detail", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			settle(f.M, panetest.Press(f.M, "enter"))
			panetest.Press(f.M, "/", "authorize", "enter", "enter")
		}},
		scene{Name: "truncated", Run: func(_ *testing.T, f fixture) {
			big := bigTrace(300)
			big.Warnings = []string{"trace has more than 250 spans; showing the first 250"}
			f.Src.traces[big.TraceID] = big
			settle(f.M, f.M.Pivot(paneTrace(big.TraceID)))
			panetest.Press(f.M, "G")
		}},
		scene{Name: "trace_folded", Run: func(_ *testing.T, f fixture) {
			fan := fanTrace()
			f.Src.traces[fan.TraceID] = fan
			settle(f.M, f.M.Pivot(paneTrace(fan.TraceID)))
			panetest.Press(f.M, "z", "j", "j", "j")
		}},
		scene{Name: "trace_folded_big", Run: func(_ *testing.T, f fixture) {
			wide := wideTrace(2000)
			f.Src.traces[wide.TraceID] = wide
			settle(f.M, f.M.Pivot(paneTrace(wide.TraceID)))
			panetest.Press(f.M, "j", "j", "j", "z")
		}},
		scene{Name: "diff", Run: func(_ *testing.T, f fixture) {
			useDiffTraces(f.Src)
			settle(f.M, f.M.Pivot(paneTrace(diffSlowID)))
			settle(f.M, panetest.Press(f.M, "D"))
			panetest.Press(f.M, "j", "j")
		}},
		scene{Name: "diff_no_baseline", Run: func(_ *testing.T, f fixture) {
			trs := diffTraces()
			useDiffTraces(f.Src, trs[0], trs[3])
			settle(f.M, f.M.Pivot(paneTrace(diffSlowID)))
			settle(f.M, panetest.Press(f.M, "D"))
		}},
		scene{Name: "error_stale", Run: func(_ *testing.T, f fixture) {
			search(f.M, "frontend")
			f.Clk.Add(3*time.Minute + 10*time.Second)
			f.Src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 60s"})
			settle(f.M, panetest.Press(f.M, "i", "enter"))
		}},
	)
}
