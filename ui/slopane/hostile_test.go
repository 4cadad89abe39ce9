package slopane

import (
	"errors"
	"testing"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestHostileSpecTextNeverReachesTheTerminal: SLO names, services,
// descriptions and labels come from spec files, errors from Prometheus or
// the spec parser; every frame stays clean and fits.
func TestHostileSpecTextNeverReachesTheTerminal(t *testing.T) {
	var specs []slo.SLO
	for _, s := range testSLOs() {
		for _, h := range panetest.Hostile()[:3] {
			s.Name, s.Description, s.Labels = s.Name+" "+h, "d "+h, map[string]string{"l " + h: h}
			specs = append(specs, s)
		}
	}
	for _, sh := range panetest.Shots() {
		src := burning()
		m := newModel(t, sh, panetest.NewClock(fixedNow), Config{SLOs: specs, Source: src})
		settle(m, m.Init())
		panetest.CheckFrame(t, sh.Name("list"), m.View(), sh.W)
		settle(m, panetest.Press(m, "enter"))
		panetest.CheckFrame(t, sh.Name("detail"), m.View(), sh.W)
		panetest.Press(m, "esc")
		src.Fail(errors.New(panetest.HostileLine()))
		settle(m, m.refresh())
		panetest.CheckFrame(t, sh.Name("error"), m.View(), sh.W)

		bad := newModel(t, sh, panetest.NewClock(fixedNow), Config{SpecErr: errors.New(panetest.HostileLine()), Source: src})
		panetest.CheckFrame(t, sh.Name("spec error"), bad.View(), sh.W)
	}
}
