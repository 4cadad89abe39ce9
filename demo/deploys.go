package demo

import (
	"strconv"
	"time"

	"github.com/reltui/reltui/demo/fault"
	"github.com/reltui/reltui/demo/meter"
	"github.com/reltui/reltui/demo/shop"
)

// Deploys. Every service reports the version it runs as a build-info
// series (value 1, the version as a label), the way real services do, so
// a console can draw deploys as change markers. Payments is deployed a
// little before each scheduled latency fault, so the fault follows a
// deploy, as real incidents so often do; checkout ships a healthy release
// halfway between them.

// MetricBuildInfo is the build-info series' name.
const MetricBuildInfo = "reltui_demo_build_info"

// DeployLead is how long before each scheduled latency fault payments is
// deployed.
const DeployLead = 90 * time.Second

// releases tracks the version each service runs and keeps its build-info
// series in step: the old version's series stops when a new one starts.
type releases struct {
	sched   *fault.Schedule
	current map[string]string
}

func newReleases(sched *fault.Schedule) *releases {
	return &releases{sched: sched, current: map[string]string{}}
}

// versionsAt is the version of every service at now; a pure function of
// the schedule.
func versionsAt(sched *fault.Schedule, now time.Time) map[string]string {
	payments, checkout := 0, 0
	if sched != nil && sched.Period > 0 {
		for _, w := range sched.Between(sched.Origin, now.Add(DeployLead+time.Second)) {
			if w.Kind == fault.Latency && !w.Start.Add(-DeployLead).After(now) {
				payments++
			}
		}
		first := sched.Origin.Add(sched.FirstAfter + sched.Period/2)
		if !now.Before(first) {
			checkout = int(now.Sub(first)/sched.Period) + 1
		}
	}
	return map[string]string{
		shop.Frontend:  "3.2.0",
		shop.Checkout:  "2.7." + strconv.Itoa(checkout),
		shop.Payments:  "1.4." + strconv.Itoa(payments),
		shop.Inventory: "1.9.4",
		shop.Orders:    "0.8.1",
	}
}

// update sets the build-info series as of now.
func (r *releases) update(reg *meter.Registry, now time.Time) {
	for svc, v := range versionsAt(r.sched, now) {
		if old := r.current[svc]; old != v {
			if old != "" {
				reg.Delete(MetricBuildInfo, "service", svc, "version", old)
			}
			r.current[svc] = v
		}
		reg.Set(MetricBuildInfo, 1, "service", svc, "version", v)
	}
}
