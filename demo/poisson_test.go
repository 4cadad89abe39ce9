package demo

import (
	"math/rand/v2"
	"testing"
)

func TestPoissonMean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, mean := range []float64{0.05, 0.5, 3, 50} {
		const n = 20000
		sum := 0
		for range n {
			sum += poisson(r, mean)
		}
		if got := float64(sum) / n; got < mean*0.95 || got > mean*1.05 {
			t.Errorf("poisson(%v) averages %v", mean, got)
		}
	}
}
