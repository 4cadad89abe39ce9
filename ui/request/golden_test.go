package request

import (
	"context"
	"testing"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// scene is what a golden scene drives: a fresh pane over its own fake.
type scene = panetest.Fixture[*Model, *fakeSource]

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) scene {
		src := &fakeSource{}
		return scene{M: newTestModel(t, s, src), Src: src}
	}
	answer := func(src *fakeSource, v *correlate.View) {
		src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) { return v, nil })
	}
	panetest.Goldens(t, panetest.Update(), build, scene.View, []panetest.Scene[scene]{
		{Name: "empty", Run: func(t *testing.T, f scene) { f.M.Init() }},
		{Name: "searching", Run: func(t *testing.T, f scene) { f.M.Init(); panetest.Press(f.M, reqID, "enter") }},
		{Name: "early", Run: func(t *testing.T, f scene) {
			f.M.Init()
			panetest.Press(f.M, reqID, "enter")
			f.M.Update(progressMsg{run: stamp(f.M, 0), id: reqID, view: traceOnly()})
		}},
		{Name: "view", Run: func(t *testing.T, f scene) {
			resolveTyped(f.M, reqID)
			panetest.Press(f.M, "J", "J", "j")
		}},
		{Name: "changes", Run: func(t *testing.T, f scene) {
			answer(f.Src, withChanges(sampleView()))
			resolveTyped(f.M, reqID)
			panetest.Press(f.M, "j")
		}},
		{Name: "filter", Run: func(t *testing.T, f scene) {
			resolveTyped(f.M, reqID)
			panetest.Press(f.M, "/", "error", "enter")
		}},
		{Name: "partial", Run: func(t *testing.T, f scene) {
			v := sampleView()
			v.Spans, v.Summary.SpanCount, v.Summary.FirstError, v.Summary.SlowestSpan, v.Summary.CriticalServices = nil, 0, nil, nil, nil
			v.Joined = correlate.Join(nil, v.Logs)
			v.Partial = []correlate.Problem{{Backend: "jaeger", Kind: sources.KindUnreachable, Reason: "127.0.0.1:16685: connection refused"}}
			v.Widened, v.Narrow = true, correlate.Window{From: v.Searched.To.Add(-v.Searched.Len() / 4), To: v.Searched.To}
			answer(f.Src, v)
			resolveTyped(f.M, reqID)
		}},
		{Name: "not_found", Run: func(t *testing.T, f scene) {
			v := sampleView()
			v.Input, v.RequestIDs, v.TraceIDs = "req-nowhere", []string{"req-nowhere"}, nil
			v.Joined = correlate.Join(nil, nil)
			v.Summary = correlate.Summary{}
			v.Widened, v.Narrow = true, v.Searched
			v.Searched = v.Searched.Widened()
			v.JaegerServices = []string{"checkout", "frontend", "inventory", "orders", "payments"}
			answer(f.Src, v)
			resolveTyped(f.M, "req-nowhere")
		}},
	}...)
}
