package request

import (
	"context"
	"testing"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(m *Model, src *fakeSource)
	}{
		{"empty", func(m *Model, _ *fakeSource) { m.Init() }},
		{"searching", func(m *Model, _ *fakeSource) { m.Init(); panetest.Press(m, reqID, "enter") }},
		{"early", func(m *Model, _ *fakeSource) {
			m.Init()
			panetest.Press(m, reqID, "enter")
			m.Update(progressMsg{run: stamp(m, 0), id: reqID, view: traceOnly()})
		}},
		{"view", func(m *Model, _ *fakeSource) {
			resolveTyped(m, reqID)
			panetest.Press(m, "J", "J", "j")
		}},
		{"changes", func(m *Model, src *fakeSource) {
			src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
				return withChanges(sampleView()), nil
			})
			resolveTyped(m, reqID)
			panetest.Press(m, "j")
		}},
		{"filter", func(m *Model, _ *fakeSource) {
			resolveTyped(m, reqID)
			panetest.Press(m, "/", "error", "enter")
		}},
		{"partial", func(m *Model, src *fakeSource) {
			src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
				v := sampleView()
				v.Spans, v.Summary.SpanCount, v.Summary.FirstError, v.Summary.SlowestSpan, v.Summary.CriticalServices = nil, 0, nil, nil, nil
				logs := v.Logs
				v.Joined = correlate.Join(nil, logs)
				v.Partial = []correlate.Problem{{Backend: "jaeger", Kind: sources.KindUnreachable, Reason: "127.0.0.1:16685: connection refused"}}
				v.Widened, v.Narrow = true, correlate.Window{From: v.Searched.To.Add(-v.Searched.Len() / 4), To: v.Searched.To}
				return v, nil
			})
			resolveTyped(m, reqID)
		}},
		{"not_found", func(m *Model, src *fakeSource) {
			src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
				v := sampleView()
				v.Input, v.RequestIDs, v.TraceIDs = "req-nowhere", []string{"req-nowhere"}, nil
				v.Joined = correlate.Join(nil, nil)
				v.Summary = correlate.Summary{}
				v.Widened, v.Narrow = true, v.Searched
				v.Searched = v.Searched.Widened()
				v.JaegerServices = []string{"checkout", "frontend", "inventory", "orders", "payments"}
				return v, nil
			})
			resolveTyped(m, "req-nowhere")
		}},
	}
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			src := &fakeSource{}
			m := newTestModel(t, s, src)
			sc.run(m, src)
			s.Golden(t, sc.name, m.View(), update())
		})
	}
}
