package main

import (
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
)

func TestDependentChain(t *testing.T) {
	ms := time.Millisecond
	// Round one: logs (ends 30ms) and Jaeger (ends 50ms) at once. Round
	// two: the trace the log line named (starts at 30ms, after logs) and
	// the trace's lines (starts at 50ms, after Jaeger).
	calls := []correlate.Call{
		{Op: "logs", At: 0, Took: 30 * ms},
		{Op: "jaeger", At: 1 * ms, Took: 49 * ms},
		{Op: "trace", At: 31 * ms, Took: 40 * ms},
		{Op: "trace logs", At: 51 * ms, Took: 10 * ms},
	}
	alone := []time.Duration{20 * ms, 45 * ms, 35 * ms, 8 * ms}
	// logs alone 20 + trace alone 35 = 55 beats jaeger 45 + 8 = 53.
	if got := dependentChain(calls, alone); got != 55*ms {
		t.Errorf("chain %v, want 55ms", got)
	}
	// With no dependent call the chain is the slowest call alone.
	if got := dependentChain(calls[:2], alone[:2]); got != 45*ms {
		t.Errorf("chain of one round %v, want 45ms", got)
	}
}
