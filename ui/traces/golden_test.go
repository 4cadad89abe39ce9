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
type fixture struct {
	m   *Model
	src *fakeSource
	clk *panetest.Clock
}

type scene = panetest.Scene[fixture]

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) fixture {
		src := shopSource()
		m, clk := newTestModel(t, s.Profile, src, s.W, s.H)
		return fixture{m, src, clk}
	}
	view := func(f fixture) string { return f.m.View() }
	panetest.Goldens(t, update(), build, view,
		scene{Name: "empty", Run: func(_ *testing.T, f fixture) {}},
		scene{Name: "form", Run: func(_ *testing.T, f fixture) {
			panetest.Press(f.m, "i", "payments", "tab", "tab", "http.status_code=500", "tab", "1s")
		}},
		scene{Name: "form_services", Run: func(_ *testing.T, f fixture) {
			f.src.services = append(f.src.services, "orders")
			settle(f.m, panetest.Press(f.m, "i"))
			settle(f.m, panetest.Press(f.m, "o", "down"))
		}},
		scene{Name: "form_operations", Run: func(_ *testing.T, f fixture) {
			settle(f.m, panetest.Press(f.m, "i"))
			settle(f.m, panetest.Press(f.m, "pay", "tab", "tab"))
		}},
		scene{Name: "results_reversed", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			panetest.Press(f.m, "s", "j", "S")
		}},
		scene{Name: "results", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			panetest.Press(f.m, "s", "j")
		}},
		scene{Name: "trace", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			panetest.Press(f.m, "s")
			settle(f.m, panetest.Press(f.m, "enter"))
			panetest.Press(f.m, "j", "j", "j")
		}},
		scene{Name: "trace_error_filter", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			settle(f.m, panetest.Press(f.m, "enter"))
			panetest.Press(f.m, "/", "payments", "enter", "n")
		}},
		scene{Name: "detail", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			settle(f.m, panetest.Press(f.m, "enter"))
			panetest.Press(f.m, "/", "authorize", "enter", "enter")
		}},
		scene{Name: "truncated", Run: func(_ *testing.T, f fixture) {
			big := bigTrace(300)
			big.Warnings = []string{"trace has more than 250 spans; showing the first 250"}
			f.src.traces[big.TraceID] = big
			settle(f.m, f.m.Pivot(paneTrace(big.TraceID)))
			panetest.Press(f.m, "G")
		}},
		scene{Name: "trace_folded", Run: func(_ *testing.T, f fixture) {
			fan := fanTrace()
			f.src.traces[fan.TraceID] = fan
			settle(f.m, f.m.Pivot(paneTrace(fan.TraceID)))
			panetest.Press(f.m, "z", "j", "j", "j")
		}},
		scene{Name: "trace_folded_big", Run: func(_ *testing.T, f fixture) {
			wide := wideTrace(2000)
			f.src.traces[wide.TraceID] = wide
			settle(f.m, f.m.Pivot(paneTrace(wide.TraceID)))
			panetest.Press(f.m, "j", "j", "j", "z")
		}},
		scene{Name: "diff", Run: func(_ *testing.T, f fixture) {
			useDiffTraces(f.src)
			settle(f.m, f.m.Pivot(paneTrace(diffSlowID)))
			settle(f.m, panetest.Press(f.m, "D"))
			panetest.Press(f.m, "j", "j")
		}},
		scene{Name: "diff_no_baseline", Run: func(_ *testing.T, f fixture) {
			trs := diffTraces()
			useDiffTraces(f.src, trs[0], trs[3])
			settle(f.m, f.m.Pivot(paneTrace(diffSlowID)))
			settle(f.m, panetest.Press(f.m, "D"))
		}},
		scene{Name: "error_stale", Run: func(_ *testing.T, f fixture) {
			search(f.m, "frontend")
			f.clk.Add(3*time.Minute + 10*time.Second)
			f.src.setErr(&sources.Error{Backend: "jaeger", Op: "find_traces", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 60s"})
			settle(f.m, panetest.Press(f.m, "i", "enter"))
		}},
	)
}
