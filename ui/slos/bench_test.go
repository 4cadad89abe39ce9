package slos

import (
	"testing"

	"github.com/muesli/termenv"
)

// BenchmarkView200x50 is one frame of the SLOs pane with every SLO
// evaluated and a 120-point burn history, in 256 colours.
func BenchmarkView200x50(b *testing.B) {
	m, _ := newTestModel(b, termenv.ANSI256, burning(), 200, 50)
	settle(m, m.Init())
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
