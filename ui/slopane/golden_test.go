package slopane

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) fixture { return newFixture(t, s, burning()) }
	panetest.Goldens(t, panetest.Update(), build, fixture.View, []panetest.Scene[fixture]{
		{Name: "loading", Run: func(t *testing.T, f fixture) { f.M.Init() }},
		{Name: "burning", Run: func(t *testing.T, f fixture) { settle(f.M, f.M.Init()) }},
		{Name: "ticket_selected", Run: func(t *testing.T, f fixture) {
			settle(f.M, f.M.Init())
			panetest.Press(f.M, "j")
		}},
		{Name: "error_stale", Run: func(t *testing.T, f fixture) {
			settle(f.M, f.M.Init())
			f.Clk.Add(3 * time.Minute)
			f.Src.Fail(&sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"})
			settle(f.M, panetest.Press(f.M, "r"))
		}},
		{Name: "filter", Run: func(t *testing.T, f fixture) {
			settle(f.M, f.M.Init())
			panetest.Press(f.M, "/", "latency", "enter")
		}},
	}...)
}
