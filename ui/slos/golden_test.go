package slos

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

// fixture is a pane under test with its source and clock.
type fixture struct {
	m   *Model
	src *fakeProm
	clk *panetest.Clock
}

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) fixture {
		src := burning()
		m, clk := newTestModel(t, s, src)
		return fixture{m, src, clk}
	}
	panetest.Goldens(t, update(), build, func(f fixture) string { return f.m.View() }, []panetest.Scene[fixture]{
		{Name: "loading", Run: func(t *testing.T, f fixture) { f.m.Init() }},
		{Name: "burning", Run: func(t *testing.T, f fixture) { settle(f.m, f.m.Init()) }},
		{Name: "ticket_selected", Run: func(t *testing.T, f fixture) {
			settle(f.m, f.m.Init())
			panetest.Press(f.m, "j")
		}},
		{Name: "error_stale", Run: func(t *testing.T, f fixture) {
			settle(f.m, f.m.Init())
			f.clk.Add(3 * time.Minute)
			f.src.Fail(&sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"})
			settle(f.m, panetest.Press(f.m, "r"))
		}},
		{Name: "filter", Run: func(t *testing.T, f fixture) {
			settle(f.m, f.m.Init())
			panetest.Press(f.m, "/", "latency", "enter")
		}},
	}...)
}
