package lagpane

import (
	"fmt"
	"testing"
	"time"

	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// BenchmarkView200x50 is one frame of the Lag pane with 50 groups of
// 12 partitions, all expanded, in 256 colours.
func BenchmarkView200x50(b *testing.B) {
	var parts []lag.Partition
	for g := 0; g < 50; g++ {
		for p := int32(0); p < 12; p++ {
			parts = append(parts, lag.Partition{Group: fmt.Sprintf("group-%02d", g), Topic: "orders", Partition: p,
				LagMessages: float64(g * int(p)), LagSeconds: float64(p), Method: lag.MethodInterpolated,
				Verdict: lag.Verdict{Status: lag.StatusOK, Reason: "lag is shrinking"}, Trend: ramp(120, 0, float64(p))})
		}
	}
	m, _ := newTestModel(b, panetest.Wide(), &fakeSource{parts: parts})
	m.Update(answerMsg(m, time.Time{}, parts))
	panetest.Press(m, "e")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
