package request

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {200, 50}}
	profiles := []struct {
		name string
		p    termenv.Profile
		pal  themes.Palette
	}{{"nocolor", termenv.Ascii, themes.NoColor()}, {"256", termenv.ANSI256, themes.Dark()}}
	scenes := []struct {
		name string
		run  func(m *Model, src *fakeSource)
	}{
		{"empty", func(m *Model, _ *fakeSource) { m.Init() }},
		{"searching", func(m *Model, _ *fakeSource) { m.Init(); press(m, reqID, "enter") }},
		{"early", func(m *Model, _ *fakeSource) {
			m.Init()
			press(m, reqID, "enter")
			m.Update(progressMsg{run: stamp(m, 0), id: reqID, view: traceOnly()})
		}},
		{"view", func(m *Model, _ *fakeSource) {
			m.Init()
			press(m, reqID)
			settle(m, press(m, "enter"))
			press(m, "J", "J", "j")
		}},
		{"changes", func(m *Model, src *fakeSource) {
			src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
				return withChanges(sampleView()), nil
			})
			m.Init()
			press(m, reqID)
			settle(m, press(m, "enter"))
			press(m, "j")
		}},
		{"filter", func(m *Model, _ *fakeSource) {
			m.Init()
			press(m, reqID)
			settle(m, press(m, "enter"))
			press(m, "/", "error", "enter")
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
			m.Init()
			press(m, reqID)
			settle(m, press(m, "enter"))
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
			m.Init()
			press(m, "req-nowhere")
			settle(m, press(m, "enter"))
		}},
	}
	for _, sc := range scenes {
		for _, sz := range sizes {
			for _, pr := range profiles {
				name := fmt.Sprintf("%s_%dx%d_%s", sc.name, sz.w, sz.h, pr.name)
				t.Run(name, func(t *testing.T) {
					src := &fakeSource{}
					m := newTestModel(t, pr.p, pr.pal, src, sz.w, sz.h)
					sc.run(m, src)
					v := m.View()
					checkSize(t, v, sz.w, sz.h)
					if pr.p == termenv.Ascii && strings.ContainsRune(v, 0x1b) {
						t.Errorf("ASCII frame contains ESC:\n%q", v)
					}
					panetest.Golden(t, name, v, update())
				})
			}
		}
	}
}
