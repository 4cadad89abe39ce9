package lagpane

import (
	"errors"
	"testing"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// TestHostileGroupAndTopicNamesNeverReachTheTerminal: Kafka group and
// topic names, Burrow reasons and backend errors are outside text; every
// frame stays clean and fits, expanded, selected, filtered and failed.
func TestHostileGroupAndTopicNamesNeverReachTheTerminal(t *testing.T) {
	var parts []lag.Partition
	for i, h := range panetest.Hostile() {
		parts = append(parts, lag.Partition{Group: "g " + h, Topic: "t " + h, Partition: int32(i), LagMessages: 10, LagSeconds: 5,
			Method: lag.MethodRate, Verdict: lag.Verdict{Status: lag.StatusWarn, Reason: "r " + h}, Trend: ramp(20, 1, 1)})
	}
	for _, sh := range panetest.Shots() {
		src := &fakeSource{parts: parts}
		m, _ := newTestModel(t, sh, src)
		load(m)
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, sh.Name(what), m.View(), sh.W) }
		check("list")
		for range panetest.Hostile() {
			panetest.Press(m, "enter", "j")
			check("expanded")
		}
		panetest.Press(m, "/", "o", "s", "c")
		check("filtering")
		panetest.Press(m, "enter")
		check("filtered")
		src.Fail(errors.New(panetest.HostileLine()))
		load(m)
		check("error")
	}
}
