package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/headless"
)

func newIncidentSetCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var kind, category, reason string
	var services []string
	cmd := &cobra.Command{
		Use:   "set ID",
		Short: "Set an incident's kind (incident, drill, maintenance), root-cause category or implicated services",
		Example: `  reltui incident set 42 --category deployment --service api --service web
  reltui incident set 43 --kind drill`,
		Args: exactArgs(1, "an incident id"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			a := incidents.Attributes{Services: services}
			if kind != "" {
				if a.Kind, err = incidents.ParseKind(kind); err != nil {
					return usage("--kind: %v", err)
				}
			}
			if category != "" {
				if a.Category, err = checkCategory(g, category); err != nil {
					return err
				}
			}
			if a.Kind == "" && a.Category == "" && len(a.Services) == 0 {
				return usage("set needs --kind, --category or --service")
			}
			who, err := o.author(g)
			if err != nil {
				return err
			}
			return o.said(g, appendAndReport(g, f, id, incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindUpdated, Attrs: &a, Text: reason}))
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&kind, "kind", "", "incident, drill or maintenance")
	cmd.Flags().StringVar(&category, "category", "", "root-cause category (the config's incidents.categories, default: "+strings.Join(incidents.DefaultCategories(), ", ")+")")
	cmd.Flags().StringArrayVar(&services, "service", nil, "implicated service (repeatable; replaces the list)")
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the timeline")
	return cmd
}

func newIncidentFollowUpCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "followup",
		Short: "Action items: add, done, cancel, and the list of open ones",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var o incidentOpts
	var owner, due string
	add := &cobra.Command{
		Use:     "add ID ACTION",
		Short:   "Add a follow-up to an incident",
		Example: `  reltui incident followup add 42 "alert on queue depth" --owner erin --due 2026-12-20`,
		Args:    exactArgs(2, "an incident id and the action"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			fu := incidents.FollowUp{Action: args[1], Owner: owner}
			if fu.Due, err = parseWhen("due", due, time.Now()); err != nil {
				return err
			}
			return o.followUp(g, f, id, fu)
		}),
	}
	o.addOutput(add)
	o.addKey(add)
	add.Flags().StringVar(&owner, "owner", "", "who will do it")
	add.Flags().StringVar(&due, "due", "", "when it is due (e.g. 2026-12-20)")
	cmd.AddCommand(add, followUpStateCmd(g, "done", incidents.FollowUpDone), followUpStateCmd(g, "cancel", incidents.FollowUpCancelled),
		followUpStateCmd(g, "reopen", incidents.FollowUpOpen), newFollowUpListCmd(g))
	return cmd
}

func followUpStateCmd(g *globals, verb string, state incidents.FollowUpState) *cobra.Command {
	var o incidentOpts
	cmd := &cobra.Command{
		Use:   verb + " ID FOLLOWUP",
		Short: "Mark a follow-up " + string(state) + " (FOLLOWUP is its number, as listed)",
		Args:  exactArgs(2, "an incident id and a follow-up number"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			n, err := parseNumber(args[1], "a follow-up number")
			if err != nil {
				return err
			}
			return o.followUp(g, f, id, incidents.FollowUp{ID: n, State: state})
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	return cmd
}

func (o *incidentOpts) followUp(g *globals, f string, id int64, fu incidents.FollowUp) error {
	who, err := o.author(g)
	if err != nil {
		return err
	}
	return o.said(g, appendAndReport(g, f, id, incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindFollowUp, Detail: &incidents.Detail{FollowUp: &fu}}))
}

func newFollowUpListCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var owner string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Open follow-ups of every incident, oldest due first",
		Args:  cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			get := func(ctx context.Context, s incidents.Store) ([]incidents.DueFollowUp, error) {
				incs, err := s.List(ctx, incidents.Filter{})
				if err != nil {
					return nil, err
				}
				return incidents.DueFollowUps(incs, owner), nil
			}
			return storeReport(g, f, get, func(v []incidents.DueFollowUp) any { return v }, headless.WriteDueFollowUps)
		}),
	}
	o.addOutput(cmd)
	cmd.Flags().StringVar(&owner, "owner", "", "only this owner's")
	return cmd
}

func newIncidentDeployCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var service, version, at string
	var rollback bool
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Record a deploy of a service (for change failure rate, rollback frequency and deploy suggestions)",
		Example: `  reltui incident deploy --service api --version v42 --at "10 minutes ago"
  reltui incident deploy --service api --version v41 --rollback`,
		Args: cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			if strings.TrimSpace(service) == "" {
				return usage("deploy needs --service")
			}
			t, err := parseWhen("at", at, time.Now())
			if err != nil {
				return err
			}
			who, err := o.author(g)
			if err != nil {
				return err
			}
			w := incidents.DeployWrite{Key: o.idemKey(), Author: who, Service: service, Version: version, At: t, Rollback: rollback}
			rec := func(ctx context.Context, s incidents.Store) (incidents.Deploy, error) { return s.RecordDeploy(ctx, w) }
			return o.said(g, storeReport(g, f, rec, func(d incidents.Deploy) any { return d }, headless.WriteDeploy))
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&service, "service", "", "the deployed service")
	cmd.Flags().StringVar(&version, "version", "", "what was deployed (tag, commit)")
	cmd.Flags().StringVar(&at, "at", "", "when it was deployed (default now)")
	cmd.Flags().BoolVar(&rollback, "rollback", false, "the deploy undid an earlier one (counted as rollback frequency in incident stats)")
	return cmd
}

func newIncidentDeploysCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var service, since string
	cmd := &cobra.Command{
		Use:   "deploys",
		Short: "List recorded deploys",
		Args:  cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			d, err := timespec.ParseDuration(since)
			if err != nil || d <= 0 {
				return usage("--since: invalid duration %q (examples: 30d, 12w, 24h)", since)
			}
			filter := incidents.DeployFilter{Service: service, From: time.Now().Add(-d)}
			get := func(ctx context.Context, s incidents.Store) ([]incidents.Deploy, error) {
				return s.Deploys(ctx, filter)
			}
			return storeReport(g, f, get, func(v []incidents.Deploy) any {
				if v == nil {
					v = []incidents.Deploy{}
				}
				return v
			}, headless.WriteDeploys)
		}),
	}
	o.addOutput(cmd)
	cmd.Flags().StringVar(&service, "service", "", "only this service")
	cmd.Flags().StringVar(&since, "since", "30d", "how far back")
	return cmd
}

func newIncidentLinkCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var unlink bool
	cmd := &cobra.Command{
		Use:   "link ID DEPLOY",
		Short: "Link an incident to the deploy that caused it (see the suggestions in incident show); --unlink undoes it",
		Args:  exactArgs(2, "an incident id and a deploy id"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			dep, err := parseNumber(args[1], "a deploy id")
			if err != nil {
				return err
			}
			who, err := o.author(g)
			if err != nil {
				return err
			}
			return o.said(g, appendAndReport(g, f, id, incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindDeployLink,
				Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: dep, Unlink: unlink}}}))
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().BoolVar(&unlink, "unlink", false, "remove the link")
	return cmd
}

// parseNumber reads a follow-up number or deploy id, "7" or "#7".
func parseNumber(s, what string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || n <= 0 {
		return 0, usage("%q is not %s", s, what)
	}
	return n, nil
}
