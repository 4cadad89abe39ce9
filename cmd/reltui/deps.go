package main

import (
	"context"

	"github.com/reltui/reltui/slo"
)

// deps are what the commands that tests drive without a stack reach the
// outside through: newRootCmd fills them with the real openers, tests
// with fakes (runWith). They travel as a value into the constructors
// that need them, never as package state.
type deps struct {
	// prom opens the selected context's Prometheus; the func closes it.
	prom func(g *globals) (promQuerier, func(), error)
	// slos is the selected context's SLO setup (see configuredSLOs).
	slos func(g *globals) (sloSetup, error)
	// sloIncidents is the store `reltui slo` reads planned work from
	// (see configuredIncidents); nil when none is configured.
	sloIncidents func(ctx context.Context, g *globals) (slo.PlannedWorkLister, func(), error)
	// lagSource opens where lag comes from (see lagSourceFor).
	lagSource lagOpener
}

// realDeps are the production openers.
func realDeps() deps {
	d := deps{prom: openProm, slos: configuredSLOs, sloIncidents: configuredIncidents}
	d.lagSource = func(g *globals, source string) (lagSource, error) { return lagSourceFor(g, d.prom, source) }
	return d
}
