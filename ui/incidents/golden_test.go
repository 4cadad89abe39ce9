package incidents

import (
	"errors"
	"testing"

	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	open := func(_ *testing.T, f *fixture) { settle(f, panetest.Press(f.m, "enter")) }
	withChanges := func(l *fakeLister) func(*testing.T, *fixture) {
		return func(t *testing.T, f *fixture) {
			f.m.lister = l
			open(t, f)
		}
	}
	partial := &fakeLister{changes: demoChanges()[:1]}
	partial.Fail(errors.New("changes config-reloads: prometheus: 503 Service Unavailable"))
	scenes := []panetest.Scene[*fixture]{
		{Name: "list", Run: func(*testing.T, *fixture) {}},
		{Name: "filtering", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "/", "Pay") }},
		{Name: "filtered", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "/", "CHECKOUT", "enter") }},
		{Name: "incident", Run: open},
		{Name: "milestone_error", Run: func(t *testing.T, f *fixture) {
			open(t, f)
			panetest.Press(f.m, "m", "ctrl+u", "mitigated", "tab", "10:05")
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{Name: "declare_form", Run: func(_ *testing.T, f *fixture) { panetest.Press(f.m, "d", "Checkout 502s", "tab", "sev2") }},
		{Name: "resolved", Run: func(_ *testing.T, f *fixture) { settle(f, panetest.Press(f.m, "G", "enter")) }},
		{Name: "changes", Run: withChanges(&fakeLister{changes: demoChanges()})},
		{Name: "changes_partial", Run: withChanges(partial)},
	}
	panetest.Goldens(t, update(), func(t *testing.T, s panetest.Shot) *fixture {
		f := newFixture(t, "", s.Profile, s.W, s.H)
		populate(t, f)
		settle(f, f.m.reload())
		return f
	}, func(f *fixture) string { return f.m.View() }, scenes...)
}
