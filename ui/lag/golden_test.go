package lag

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock)
	}{
		{"loading", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) { m.Init() }},
		{"groups", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) { load(m) }},
		{"expanded", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			panetest.Press(m, "enter", "j", "j")
		}},
		{"filtering", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			panetest.Press(m, "/", "Pay")
		}},
		{"filtered", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			load(m)
			panetest.Press(m, "/", "Pay", "enter", "enter")
		}},
		{"error_stale", func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock) {
			load(m)
			clk.Add(2 * time.Minute)
			src.err = &sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"}
			settle(m, panetest.Press(m, "r"))
		}},
	}
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			src := &fakeSource{parts: sample()}
			m, clk := newTestModel(t, s.Profile, src, s.W, s.H)
			sc.run(t, m, src, clk)
			s.Golden(t, sc.name, m.View(), update())
		})
	}
}
