package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/drill"
	"github.com/reltui/reltui/ui/headless"
)

func newDrillCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "drill",
		Short: "Run game days: inject a configured fault and measure how the real alerting catches it",
		Long: "A drill scenario (the context's drills: in the config) names a fault to inject (a command or an HTTP call),\n" +
			"the alert expected to fire and the runbook to follow. Drills are incidents of kind drill: left out of\n" +
			"`reltui incident stats`, reported apart by `reltui incident stats --kind drill`.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().String("as", "", asUsage)
	cmd.AddCommand(newDrillStartCmd(g), newDrillWatchCmd(g), newDrillListCmd(g))
	return cmd
}

func newDrillListCmd(g *globals) *cobra.Command {
	var o incidentOpts
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the context's drill scenarios",
		Args:  cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			_, _, c, err := selectContext(g)
			if err != nil {
				return err
			}
			if f == "json" {
				return writeJSON(g.stdout, c.Drills)
			}
			return headless.WriteDrillScenarios(g.stdout, c.Drills)
		}),
	}
	o.addOutput(cmd)
	return cmd
}

func newDrillWatchCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var scenario string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "watch DRILL",
		Short: "Resume waiting for an undetected drill's alert (after drill start was interrupted or timed out)",
		Long: "watch waits, as start does, for the scenario's alert to fire with an instance that became active after the drill's\n" +
			"started, and records its firing time as detected. The scenario is --scenario, else the one the drill's title names.",
		Example: "  reltui drill watch INC-12\n  reltui drill watch 12 --scenario api-errors --timeout 2m",
		Args:    cobra.ExactArgs(1),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			return watchDrill(g, &o, f, id, scenario, timeout)
		}),
	}
	o.addOutput(cmd)
	cmd.Flags().StringVar(&scenario, "scenario", "", "the drill's scenario (default: the one its title names, \"NAME: description\")")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "how long to wait for the alert (default: the scenario's timeout, else 10m)")
	return cmd
}

func watchDrill(g *globals, o *incidentOpts, f string, id int64, scenario string, timeout time.Duration) error {
	var inc incidents.Incident
	if err := withStore(g, func(ctx context.Context, s incidents.Store) (err error) {
		inc, err = s.Get(ctx, id)
		return err
	}); err != nil {
		return err
	}
	if err := drill.Resumable(inc); err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	if scenario == "" {
		scenario = drill.ScenarioOf(inc.Title)
	}
	bs, sc, err := openScenario(g, scenario)
	if err != nil {
		return err
	}
	defer bs.Close()
	who, err := o.author(g)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	return awaitAlert(ctx, g, o, f, drillRunner(g, bs, who), sc, id, inc.Milestones.Started, timeout)
}

func newDrillStartCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var force, noWait bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "start NAME",
		Short: "Declare a drill, inject its fault and wait for the expected alert (its firing time is detected)",
		Long: "start records the injection time as the drill's started, runs the injection, then asks Prometheus's rules API\n" +
			"every few seconds, printing a progress line, until the expected alert fires with an instance that became active\n" +
			"after the injection: its firing time (activeAt + the rule's for) is recorded as detected, and the alert is attached\n" +
			"as evidence (so the Alerts pane's runbook marks steps on the drill). If it does not fire within the timeout the\n" +
			"drill stays undetected and start exits 1. Identified, mitigated and resolved are marked by the responders\n" +
			"(reltui incident mark), as in a real incident.",
		Example: "  reltui drill start api-errors\n  reltui drill start api-errors --timeout 5m -o json",
		Args:    cobra.ExactArgs(1),
		RunE: o.runE(func(f string, args []string) error {
			return runDrill(g, &o, f, args[0], timeout, force, noWait)
		}),
	}
	o.addOutput(cmd)
	// No --idempotency-key: a retried start is a new drill with a new
	// injection, never the old record re-injected.
	cmd.Flags().BoolVar(&force, "force", false, "start even though the expected alert is already pending or firing (only a new instance counts)")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "how long to wait for the alert (default: the scenario's timeout, else 10m)")
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "declare and inject, then return; reltui drill watch DRILL waits for the alert later")
	return cmd
}

func runDrill(g *globals, o *incidentOpts, f, name string, timeout time.Duration, force, noWait bool) error {
	bs, sc, err := openScenario(g, name)
	if err != nil {
		return err
	}
	defer bs.Close()
	who, err := o.author(g)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	r := drillRunner(g, bs, who)
	id, started, err := r.Start(ctx, sc, force)
	if err != nil {
		return drillFailed(err)
	}
	if noWait {
		fmt.Fprintf(g.stderr, "reltui: not waiting; reltui drill watch %s records the alert's firing\n", incidents.Ref(id))
		return o.said(g, storeReport(g, f, getIncident(id), incidentJSON, func(w io.Writer, inc incidents.Incident) error {
			return headless.WriteDrillStarted(w, sc.Name, sc.Alert, inc)
		}))
	}
	return awaitAlert(ctx, g, o, f, r, sc, id, started, timeout)
}

// drillRunner wires a drill run to the context's Prometheus and the
// incident store, which is opened for each write (not held through the
// wait); progress lines go to stderr.
func drillRunner(g *globals, bs *backends, who string) drill.Runner {
	return drill.Runner{
		Rules: bs.prom, Record: storeRecorder{g}, Author: who, Context: bs.name, Grafana: grafanaOf(bs.cfg),
		Key: (&incidentOpts{}).idemKey,
		Say: func(line string) { fmt.Fprintf(g.stderr, "reltui: %s\n", line) },
	}
}

// storeRecorder opens the configured store for each unit of a drill's
// record (withStore).
type storeRecorder struct{ g *globals }

// Record runs fn with the store open.
func (r storeRecorder) Record(_ context.Context, fn func(context.Context, drill.Store) error) error {
	return withStore(r.g, func(ctx context.Context, s incidents.Store) error { return fn(ctx, s) })
}

// drillFailed is a run's error as the command's: exit 1 with its text.
func drillFailed(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: 1, msg: err.Error()}
}

// openScenario opens the context's backends (Prometheus is needed) and
// finds its drill scenario name; the caller closes bs.
func openScenario(g *globals, name string) (*backends, drill.Scenario, error) {
	bs, err := openWith(g, "prometheus", func(bs *backends) bool { return bs.prom != nil })
	if err != nil {
		return nil, drill.Scenario{}, err
	}
	sc, ok := bs.cfg.Drill(name)
	if !ok {
		var names []string
		for _, d := range bs.cfg.Drills {
			names = append(names, d.Name)
		}
		have := strings.Join(names, ", ")
		if have == "" {
			have = "-"
		}
		bs.Close()
		return nil, drill.Scenario{}, usage("context %s has no drill scenario %q (have: %s)", bs.name, name, have)
	}
	return bs, scenarioOf(sc), nil
}

// scenarioOf is the configured scenario as a drill run needs it.
func scenarioOf(sc config.Drill) drill.Scenario {
	f := drill.Fault{Command: sc.Inject.Command, Timeout: sc.InjectTimeoutOr()}
	if h := sc.Inject.HTTP; h != nil {
		f.Method, f.URL, f.Body = h.MethodOr(), h.URL, h.Body
	}
	return drill.Scenario{Name: sc.Name, Description: sc.Description, Alert: sc.Alert, Runbook: sc.Runbook,
		Services: sc.Services, Severity: incidents.Severity(sc.Severity), Fault: f, Wait: sc.WaitOr()}
}

func grafanaOf(c *config.Context) incidents.Grafana {
	if gr := c.Grafana; gr != nil {
		return incidents.Grafana{URL: gr.URL, OrgID: gr.OrgID, Datasource: gr.PrometheusDatasource}
	}
	return incidents.Grafana{}
}

// awaitAlert waits for sc's alert on drill id (see drill.Runner.Await)
// and prints the drill; without it, the command fails.
func awaitAlert(ctx context.Context, g *globals, o *incidentOpts, f string, r drill.Runner, sc drill.Scenario, id int64, started time.Time, timeout time.Duration) error {
	if err := r.Await(ctx, sc, id, started, timeout); err != nil {
		return drillFailed(err)
	}
	return o.said(g, storeReport(g, f, getIncident(id), incidentJSON, func(w io.Writer, inc incidents.Incident) error {
		return headless.WriteDrillDetected(w, sc.Name, sc.Alert, inc)
	}))
}
