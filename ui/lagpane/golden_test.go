package lagpane

import (
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	build := func(t *testing.T, s panetest.Shot) fixture { return newFixture(t, s, &fakeSource{parts: sample()}) }
	panetest.Goldens(t, panetest.Update(), build, fixture.View, []panetest.Scene[fixture]{
		{Name: "loading", Run: func(t *testing.T, f fixture) { f.M.Init() }},
		{Name: "groups", Run: func(t *testing.T, f fixture) { load(f.M) }},
		{Name: "expanded", Run: func(t *testing.T, f fixture) {
			load(f.M)
			panetest.Press(f.M, "enter", "j", "j")
		}},
		{Name: "filtering", Run: func(t *testing.T, f fixture) {
			load(f.M)
			panetest.Press(f.M, "/", "Pay")
		}},
		{Name: "filtered", Run: func(t *testing.T, f fixture) {
			load(f.M)
			panetest.Press(f.M, "/", "Pay", "enter", "enter")
		}},
		{Name: "error_stale", Run: func(t *testing.T, f fixture) {
			load(f.M)
			f.Clk.Add(2 * time.Minute)
			f.Src.Fail(&sources.Error{Backend: "prometheus", Op: "query", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 30s"})
			settle(f.M, panetest.Press(f.M, "r"))
		}},
	}...)
}
