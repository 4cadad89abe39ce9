package slos

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
		run  func(t *testing.T, m *Model, src *fakeProm, clk *panetest.Clock)
	}{
		{"loading", func(t *testing.T, m *Model, _ *fakeProm, _ *panetest.Clock) { m.Init() }},
		{"burning", func(t *testing.T, m *Model, _ *fakeProm, _ *panetest.Clock) { settle(m, m.Init()) }},
		{"ticket_selected", func(t *testing.T, m *Model, _ *fakeProm, _ *panetest.Clock) {
			settle(m, m.Init())
			panetest.Press(m, "j")
		}},
		{"error_stale", func(t *testing.T, m *Model, src *fakeProm, clk *panetest.Clock) {
			settle(m, m.Init())
			clk.Add(3 * time.Minute)
			src.err = &sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"}
			settle(m, panetest.Press(m, "r"))
		}},
		{"filter", func(t *testing.T, m *Model, _ *fakeProm, _ *panetest.Clock) {
			settle(m, m.Init())
			panetest.Press(m, "/", "latency", "enter")
		}},
	}
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			src := burning()
			m, clk := newTestModel(t, s.Profile, src, s.W, s.H)
			sc.run(t, m, src, clk)
			s.Golden(t, sc.name, m.View(), update())
		})
	}
}
