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
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/ui/headless"
)

// drillPoll is how often start asks the rules API about the expected
// alert; well inside a typical 15s-1m evaluation interval, and the
// firing time comes from the alert's activeAt, not from when it was seen.
const drillPoll = 3 * time.Second

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
	switch {
	case inc.Kind != incidents.KindDrill:
		return &exitError{code: 1, msg: fmt.Sprintf("%s is not a drill (kind %s)", incidents.Ref(id), inc.Kind)}
	case !inc.Milestones.Detected.IsZero():
		return &exitError{code: 1, msg: fmt.Sprintf("%s was already detected at %s", incidents.Ref(id), incidents.FormatTime(inc.Milestones.Detected))}
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
	return awaitAlert(ctx, g, o, f, bs, sc, id, who, inc.Milestones.Started, timeout)
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
	rules, err := bs.prom.Rules(ctx)
	if err != nil {
		return &exitError{code: 1, msg: "read the alerting rules: " + err.Error()}
	}
	if _, _, st := drill.Find(rules, sc.Alert, time.Now()); !st.Found {
		return &exitError{code: 1, msg: fmt.Sprintf("context %s's Prometheus has no alerting rule named %s", bs.name, sc.Alert)}
	}
	if n := drill.Active(rules, sc.Alert); n > 0 && !force {
		return &exitError{code: 1, msg: fmt.Sprintf("%s is already pending or firing (%d instance(s)): the drill could not tell its own alert apart; wait for it to clear or pass --force", sc.Alert, n)}
	}

	// started is the injection time, taken just before the call goes out.
	started := time.Now()
	inc, err := declareDrill(g, o, who, sc, started)
	if err != nil {
		return err
	}
	id := inc.ID
	fmt.Fprintf(g.stderr, "reltui: drill %s declared as %s, injecting its fault\n", sanitize.Line(sc.Name), incidents.Ref(id))
	said, injErr := drill.Inject(ctx, faultOf(sc), nil)
	if injErr != nil {
		_ = drillWrite(g, id, incidents.Write{Author: who, Kind: incidents.KindNote, Text: "drill injection failed: " + injErr.Error()})
		return &exitError{code: 1, msg: fmt.Sprintf("drill %s: %v (recorded on %s; resolve it with reltui incident resolve)", sc.Name, injErr, incidents.Ref(id))}
	}
	if err := drillWrite(g, id, incidents.Write{Author: who, Kind: incidents.KindNote, Occurred: started, Text: "drill fault injected: " + said}); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "reltui: injected: %s\n", said)
	if noWait {
		fmt.Fprintf(g.stderr, "reltui: not waiting; reltui drill watch %s records the alert's firing\n", incidents.Ref(id))
		return o.said(g, storeReport(g, f, getIncident(id), incidentJSON, func(w io.Writer, inc incidents.Incident) error {
			_, err := fmt.Fprintf(w, "drill %s (%s): started %s, waiting for %s\n", sanitize.Line(sc.Name), incidents.Ref(inc.ID), incidents.FormatTime(inc.Milestones.Started), sanitize.Line(sc.Alert))
			return err
		}))
	}

	return awaitAlert(ctx, g, o, f, bs, sc, id, who, started, timeout)
}

// declareDrill opens the drill's record: started at the injection time,
// detected left for the alert.
func declareDrill(g *globals, o *incidentOpts, who string, sc config.Drill, started time.Time) (incidents.Incident, error) {
	d := incidents.Declaration{
		Key: o.idemKey(), Author: who, Title: drill.Title(sc.Name, sc.Description), Kind: incidents.KindDrill, Started: started, Undetected: true,
		Services: sc.Services, Severity: incidents.Severity(sc.Severity),
	}
	var inc incidents.Incident
	err := withStore(g, func(ctx context.Context, s incidents.Store) error {
		var err error
		if inc, err = s.Declare(ctx, d); err != nil {
			return err
		}
		if rb := strings.TrimSpace(sc.Runbook); rb != "" {
			_, err = s.Append(ctx, inc.ID, incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindNote,
				Text: fmt.Sprintf("drill runbook: %s (expected alert %s)", rb, sc.Alert)})
		}
		return err
	})
	return inc, err
}

// drillWrite appends one event to the drill under a fresh key.
func drillWrite(g *globals, id int64, w incidents.Write) error {
	var o incidentOpts
	w.Key = o.idemKey()
	return withStore(g, func(ctx context.Context, s incidents.Store) error {
		_, err := s.Append(ctx, id, w)
		return err
	})
}

// openScenario opens the context's backends (Prometheus is needed) and
// finds its drill scenario name; the caller closes bs.
func openScenario(g *globals, name string) (*backends, config.Drill, error) {
	bs, err := openWith(g, "prometheus", func(bs *backends) bool { return bs.prom != nil })
	if err != nil {
		return nil, config.Drill{}, err
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
		return nil, config.Drill{}, usage("context %s has no drill scenario %q (have: %s)", bs.name, name, have)
	}
	return bs, sc, nil
}

func faultOf(sc config.Drill) drill.Fault {
	f := drill.Fault{Command: sc.Inject.Command, Timeout: sc.InjectTimeoutOr()}
	if h := sc.Inject.HTTP; h != nil {
		f.Method, f.URL, f.Body = h.MethodOr(), h.URL, h.Body
	}
	return f
}

func grafanaOf(c *config.Context) incidents.Grafana {
	if gr := c.Grafana; gr != nil {
		return incidents.Grafana{URL: gr.URL, OrgID: gr.OrgID, Datasource: gr.PrometheusDatasource}
	}
	return incidents.Grafana{}
}

// awaitAlert waits for sc's alert to fire with an instance active since
// started, then records detected (its firing time) and the alert as
// evidence on drill id and prints the drill; without it, a note says
// why and the command fails.
func awaitAlert(ctx context.Context, g *globals, o *incidentOpts, f string, bs *backends, sc config.Drill, id int64, who string, started time.Time, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = sc.WaitOr()
	}
	waitStart := time.Now()
	last := time.Time{}
	fired, werr := drill.Wait(ctx, bs.prom, sc.Alert, started, drillPoll, timeout, func(st drill.Status, err error) {
		if time.Since(last) < 15*time.Second {
			return
		}
		last = time.Now()
		where := st.State
		if err != nil {
			where = "rules API: " + sanitize.Line(err.Error())
		} else if !st.Since.IsZero() {
			where += " since " + incidents.FormatTime(st.Since)
		}
		fmt.Fprintf(g.stderr, "reltui: waiting for %s: %s (%s of %s)\n", sc.Alert, where, time.Since(waitStart).Round(time.Second), timeout)
	})
	if werr != nil {
		text := fmt.Sprintf("drill: %s; the drill stays undetected", werr)
		if !errors.Is(werr, drill.ErrNotDetected) {
			text = fmt.Sprintf("drill: stopped waiting for %s (%v); detected is not recorded", sc.Alert, werr)
		}
		_ = drillWrite(g, id, incidents.Write{Author: who, Kind: incidents.KindNote, Text: text})
		return &exitError{code: 1, msg: fmt.Sprintf("%s (%s)", text, incidents.Ref(id))}
	}
	at := incidents.Normalize(fired.At())
	why := fmt.Sprintf("the expected alert %s fired (active %s, rule for %s, evaluated every %s)", sc.Alert, incidents.FormatTime(fired.Alert.ActiveAt), fired.For, fired.Interval)
	if err := drillWrite(g, id, incidents.Write{Author: who, Kind: incidents.KindMilestone, Milestone: incidents.Detected, At: at, Text: why}); err != nil {
		return err
	}
	fired.Alert.Source = "prometheus"
	ev := incidents.FromAlertLinked(fired.Alert, time.Now(), grafanaOf(bs.cfg)).Evidence[0]
	if err := drillWrite(g, id, incidents.Write{Author: who, Kind: incidents.KindEvidence, Evidence: &ev, Text: "the drill's expected alert"}); err != nil {
		return err
	}
	return o.said(g, storeReport(g, f, getIncident(id), incidentJSON, func(w io.Writer, inc incidents.Incident) error {
		_, err := fmt.Fprintf(w, "drill %s (%s): started %s, detected %s by %s: time to detect %s\n", sanitize.Line(sc.Name), incidents.Ref(inc.ID),
			incidents.FormatTime(inc.Milestones.Started), incidents.FormatTime(inc.Milestones.Detected), sanitize.Line(sc.Alert),
			incidents.FormatDuration(inc.Milestones.Detected.Sub(inc.Milestones.Started)))
		return err
	}))
}
