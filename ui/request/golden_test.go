package request

import (
	"context"
	"testing"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

// scene is what a golden scene drives: a fresh pane over its own fake.
type scene struct {
	m   *Model
	src *fakeSource
}

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) scene {
		src := &fakeSource{}
		return scene{newTestModel(t, s, src), src}
	}
	answer := func(src *fakeSource, v *correlate.View) {
		src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) { return v, nil })
	}
	panetest.Goldens(t, update(), build, func(f scene) string { return f.m.View() }, []panetest.Scene[scene]{
		{Name: "empty", Run: func(t *testing.T, f scene) { f.m.Init() }},
		{Name: "searching", Run: func(t *testing.T, f scene) { f.m.Init(); panetest.Press(f.m, reqID, "enter") }},
		{Name: "early", Run: func(t *testing.T, f scene) {
			f.m.Init()
			panetest.Press(f.m, reqID, "enter")
			f.m.Update(progressMsg{run: stamp(f.m, 0), id: reqID, view: traceOnly()})
		}},
		{Name: "view", Run: func(t *testing.T, f scene) {
			resolveTyped(f.m, reqID)
			panetest.Press(f.m, "J", "J", "j")
		}},
		{Name: "changes", Run: func(t *testing.T, f scene) {
			answer(f.src, withChanges(sampleView()))
			resolveTyped(f.m, reqID)
			panetest.Press(f.m, "j")
		}},
		{Name: "filter", Run: func(t *testing.T, f scene) {
			resolveTyped(f.m, reqID)
			panetest.Press(f.m, "/", "error", "enter")
		}},
		{Name: "partial", Run: func(t *testing.T, f scene) {
			v := sampleView()
			v.Spans, v.Summary.SpanCount, v.Summary.FirstError, v.Summary.SlowestSpan, v.Summary.CriticalServices = nil, 0, nil, nil, nil
			v.Joined = correlate.Join(nil, v.Logs)
			v.Partial = []correlate.Problem{{Backend: "jaeger", Kind: sources.KindUnreachable, Reason: "127.0.0.1:16685: connection refused"}}
			v.Widened, v.Narrow = true, correlate.Window{From: v.Searched.To.Add(-v.Searched.Len() / 4), To: v.Searched.To}
			answer(f.src, v)
			resolveTyped(f.m, reqID)
		}},
		{Name: "not_found", Run: func(t *testing.T, f scene) {
			v := sampleView()
			v.Input, v.RequestIDs, v.TraceIDs = "req-nowhere", []string{"req-nowhere"}, nil
			v.Joined = correlate.Join(nil, nil)
			v.Summary = correlate.Summary{}
			v.Widened, v.Narrow = true, v.Searched
			v.Searched = v.Searched.Widened()
			v.JaegerServices = []string{"checkout", "frontend", "inventory", "orders", "payments"}
			answer(f.src, v)
			resolveTyped(f.m, "req-nowhere")
		}},
	}...)
}
