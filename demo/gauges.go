package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/shop"
)

// Saturation and Kafka metric names. The Kafka ones are kafka_exporter's,
// so dashboards and rules written for it work unchanged.
const (
	metricCPU             = "process_cpu_utilization"
	metricDBPool          = "db_pool_in_use_ratio"
	metricQueueDepth      = "worker_queue_depth"
	metricLag             = "kafka_consumergroup_lag"
	metricGroupOffset     = "kafka_consumergroup_current_offset"
	metricPartitionOffset = "kafka_topic_partition_current_offset"
)

// saturation models the USE-style gauges of each service. They follow the
// faults the way the real resources would, so the console can show a cause
// next to the symptom: a slow gateway holds payments' DB connections and
// fills its worker queue; a stalled consumer pins the orders pool at 100%.
type saturation struct {
	rng *rand.Rand
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

func (s *saturation) noise(sd float64) float64 { return sd * s.rng.NormFloat64() }

// update sets every gauge as of now. load is the request rate relative to
// the default of 5/s.
func (s *saturation) update(reg *meter.Registry, active func(fault.Kind) bool, parts []PartitionStatus, load float64) {
	latency, errs, stall := active(fault.Latency), active(fault.Errors), active(fault.Stall)
	var lag int64
	for _, p := range parts {
		lag += p.Lag
	}
	catchingUp := !stall && lag > 20

	cpu := map[string]float64{
		shop.Frontend:  0.16 * load,
		shop.Checkout:  0.21 * load,
		shop.Payments:  0.14 * load,
		shop.Inventory: 0.11 * load,
		shop.Orders:    0.09 * load,
	}
	pool := map[string]float64{
		shop.Checkout:  0.18 * load,
		shop.Payments:  0.24 * load,
		shop.Inventory: 0.31 * load,
		shop.Orders:    0.15 * load,
	}
	queue := map[string]float64{
		shop.Checkout: 1 + 2*s.rng.Float64(),
		shop.Payments: s.rng.Float64() * 2,
		shop.Orders:   float64(min(lag, 500)),
	}
	if latency {
		cpu[shop.Payments] -= 0.04
		cpu[shop.Checkout] += 0.03
		pool[shop.Payments] = 0.92 + 0.07*s.rng.Float64()
		queue[shop.Payments] = 30 + 15*s.rng.Float64()
		queue[shop.Checkout] = 14 + 8*s.rng.Float64()
	}
	if errs {
		cpu[shop.Payments] += 0.12 // error paths log stack traces and retry
		pool[shop.Payments] += 0.1
	}
	switch {
	case stall:
		cpu[shop.Orders] = 0.02
		pool[shop.Orders] = 1
	case catchingUp:
		cpu[shop.Orders] = 0.62
		pool[shop.Orders] = 0.7
	}
	for svc, v := range cpu {
		reg.Set(metricCPU, clamp01(v+s.noise(0.015)), "service", svc)
	}
	for svc, v := range pool {
		if v < 1 {
			v += s.noise(0.02)
		}
		reg.Set(metricDBPool, clamp01(v), "service", svc)
	}
	for svc, v := range queue {
		reg.Set(metricQueueDepth, math.Max(0, math.Round(v)), "service", svc)
	}

	for _, p := range parts {
		part := strconv.Itoa(p.Partition)
		reg.Set(metricPartitionOffset, float64(p.Offset), "topic", shop.Topic, "partition", part)
		reg.Set(metricGroupOffset, float64(p.Committed), "consumergroup", shop.ConsumerGroup, "topic", shop.Topic, "partition", part)
		reg.Set(metricLag, float64(p.Lag), "consumergroup", shop.ConsumerGroup, "topic", shop.Topic, "partition", part)
	}
}

// conditions maps the active faults to the shop model's failure knobs.
func conditions(active func(fault.Kind) bool) shop.Conditions {
	var c shop.Conditions
	if active(fault.Latency) {
		c.PaymentsSlow = 0.85
	}
	if active(fault.Errors) {
		c.PaymentsFail = 0.30
	}
	return c
}

// poisson draws arrivals for one tick; Knuth's method is fine for the
// small means a 100 ms tick has.
func poisson(r *rand.Rand, mean float64) int {
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// jitter spreads a tick's requests over the tick.
func jitter(r *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(r.Int64N(int64(d)))
}
