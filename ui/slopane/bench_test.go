package slopane

import (
	"testing"

	"github.com/reltui/reltui/ui/pane/panetest"
)

// BenchmarkView200x50 is one frame of the SLOs pane with every SLO
// evaluated and a 120-point burn history, in 256 colours.
func BenchmarkView200x50(b *testing.B) {
	m, _ := newTestModel(b, panetest.Wide(), burning())
	settle(m, m.Init())
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
