package alerts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestHostileAlertTextNeverReachesTheTerminal: alert names, labels,
// annotations, values and backend errors are outside text; every frame
// (list, detail, filter, failed refresh, declare flash) stays clean and
// fits.
func TestHostileAlertTextNeverReachesTheTerminal(t *testing.T) {
	var hostile []sources.Alert
	for i, h := range panetest.Hostile() {
		a := alert("A "+h, "critical", "firing", fmt.Sprintf("f%d %s", i, h), time.Duration(i+1)*time.Minute,
			map[string]string{"service": h, "l " + h: h}, "prometheus "+h)
		a.Annotations = map[string]string{"summary": h, "description " + h: panetest.HostileLine()}
		a.Value = h
		hostile = append(hostile, a)
	}
	for _, s := range panetest.Shots() {
		f := newFixture(t, "", s.Profile, s.W, s.H)
		f.prom.alerts, f.am.alerts = hostile, hostile[:3]
		m := f.m
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, s.Name(what), m.View(), s.W) }
		settle(m, m.fetch())
		check("list")
		if !strings.Contains(m.View(), "A csi red") {
			t.Fatalf("the hostile alerts were dropped, not cleaned:\n%s", m.View())
		}
		settle(m, panetest.Press(m, "j", "j", "enter"))
		check("detail")
		panetest.Press(m, "esc", "/", "c", "s", "i")
		check("filtering")
		panetest.Press(m, "enter")
		check("filtered")
		panetest.Press(m, "esc")
		settle(m, panetest.Press(m, "d"))
		check("declared")
		f.am.err = &sources.Error{Backend: "alertmanager", Kind: sources.KindUnreachable, Msg: panetest.HostileLine()}
		f.prom.err = errors.New(panetest.HostileLine())
		settle(m, m.fetch())
		check("both failed")
	}
}
