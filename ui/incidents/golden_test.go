package incidents

import (
	"errors"
	"testing"

	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(f *fixture)
	}{
		{"list", func(f *fixture) {}},
		{"filtering", func(f *fixture) { panetest.Press(f.m, "/", "Pay") }},
		{"filtered", func(f *fixture) { panetest.Press(f.m, "/", "CHECKOUT", "enter") }},
		{"incident", func(f *fixture) { settle(f, panetest.Press(f.m, "enter")) }},
		{"milestone_error", func(f *fixture) {
			settle(f, panetest.Press(f.m, "enter"))
			panetest.Press(f.m, "m", "ctrl+u", "mitigated", "tab", "10:05")
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{"declare_form", func(f *fixture) { panetest.Press(f.m, "d", "Checkout 502s", "tab", "sev2") }},
		{"resolved", func(f *fixture) { settle(f, panetest.Press(f.m, "G", "enter")) }},
		{"changes", func(f *fixture) {
			f.m.lister = &fakeLister{changes: demoChanges()}
			settle(f, panetest.Press(f.m, "enter"))
		}},
		{"changes_partial", func(f *fixture) {
			f.m.lister = &fakeLister{changes: demoChanges()[:1], err: errors.New("changes config-reloads: prometheus: 503 Service Unavailable")}
			settle(f, panetest.Press(f.m, "enter"))
		}},
	}
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			f := newFixture(t, "", s.Profile, s.W, s.H)
			populate(t, f)
			settle(f, f.m.reload())
			sc.run(f)
			s.Golden(t, sc.name, f.m.View(), update())
		})
	}
}
