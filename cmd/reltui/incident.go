package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/incidents/storeopen"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/timespec"
	"github.com/reltui/reltui/ui/headless"
)

// storeTimeout bounds one command's store work; a locked SQLite file or an
// unreachable PostgreSQL fails the command instead of hanging it.
const storeTimeout = 30 * time.Second

// incidentOpts are the flags every incident subcommand shares.
type incidentOpts struct {
	out string
	key string
	// as is the inherited --as flag, read when the command runs.
	as string
	// authorMsg says whom writes are recorded as and why (see said).
	authorMsg string
}

func (o *incidentOpts) addOutput(cmd *cobra.Command) {
	textOrJSONFlag(cmd, &o.out)
}

func (o *incidentOpts) addKey(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.key, "idempotency-key", "", "retrying with the same key never records twice (default: a new random key)")
}

func (o *incidentOpts) format() (string, error) {
	if o.out != "text" && o.out != "json" {
		return "", usage("invalid --output %q: use text or json", o.out)
	}
	return o.out, nil
}

// runE checks --output before run sees the arguments, so a bad format
// never opens the store.
func (o *incidentOpts) runE(run func(f string, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		f, err := o.format()
		if err != nil {
			return err
		}
		if fl := cmd.Flags().Lookup("as"); fl != nil {
			o.as = fl.Value.String()
		}
		return run(f, args)
	}
}

// idemKey is the write's idempotency key: the user's, or a fresh one.
func (o *incidentOpts) idemKey() string {
	if o.key != "" {
		return o.key
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "cli-" + hex.EncodeToString(b[:])
}

func newIncidentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "Declare, update and report incidents",
		Long: "Every change is recorded as a new event with its author and time; nothing is overwritten.\n" +
			"The author is --as, else the config's user:, else the OS user; each write says which it used.\n" +
			"The record is a SQLite file under $XDG_DATA_HOME/reltui unless the config's incidents block says otherwise.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().String("as", "", asUsage)
	cmd.AddCommand(newIncidentDeclareCmd(g), newIncidentListCmd(g), newIncidentShowCmd(g), newIncidentNoteCmd(g),
		newIncidentMarkCmd(g), newIncidentResolveCmd(g), newIncidentExportCmd(g), newIncidentStatsCmd(g),
		newIncidentSetCmd(g), newIncidentFollowUpCmd(g), newIncidentDeployCmd(g), newIncidentDeploysCmd(g), newIncidentLinkCmd(g))
	return cmd
}

// withStore opens the configured store, runs fn under a timeout and maps
// store errors to exit codes: every rejection is exit 1 with the reason.
func withStore(g *globals, fn func(ctx context.Context, s incidents.Store) error) error {
	ctx, cancel := signalContext()
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, storeTimeout)
	defer cancelT()
	s, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := fn(ctx, s); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return &exitError{code: 1, msg: err.Error()}
	}
	return nil
}

// storeReport runs get against the store and prints its answer: asJSON's
// value as JSON when f is "json", else text's rendering.
func storeReport[T any](g *globals, f string, get func(context.Context, incidents.Store) (T, error),
	asJSON func(T) any, text func(io.Writer, T) error) error {
	return withStore(g, func(ctx context.Context, s incidents.Store) error {
		v, err := get(ctx, s)
		if err != nil {
			return err
		}
		if f == "json" {
			return writeJSON(g.stdout, asJSON(v))
		}
		return text(g.stdout, v)
	})
}

// getIncident reads incident id, for storeReport.
func getIncident(id int64) func(context.Context, incidents.Store) (incidents.Incident, error) {
	return func(ctx context.Context, s incidents.Store) (incidents.Incident, error) { return s.Get(ctx, id) }
}

// incidentJSON is an incident's full JSON view, timeline included.
func incidentJSON(inc incidents.Incident) any { return incidents.NewView(inc) }

// openStore opens the store the config names, or the default SQLite file
// when there is no config file: incidents must work with no setup.
func openStore(ctx context.Context, g *globals) (incidents.Store, error) {
	f, err := incidentConfig(g)
	if err != nil {
		return nil, err
	}
	var in *config.Incidents
	if f != nil {
		in = f.Incidents
	}
	s, warnings, err := storeopen.Open(ctx, in, config.OSEnv())
	return storeOpened(g, s, warnings, err)
}

// storeOpened prints the store's warnings; a failure is exit 1.
func storeOpened(g *globals, s incidents.Store, warnings []string, err error) (incidents.Store, error) {
	if err != nil {
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	printWarnings(g, warnings)
	return s, nil
}

// parseWhen reads a --started/--at value; "" means "now" (zero time, so
// the store's clock decides and a retried command is the same request).
func parseWhen(flag, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := timespec.ParseTime(s, now)
	if err != nil {
		return time.Time{}, usage("--%s: %v", flag, err)
	}
	return t, nil
}

// parseMark reads the arguments of `incident mark`: everything that can be
// checked without the store is checked here, so bad input never opens it.
func parseMark(ref, milestone, at string, now time.Time) (int64, incidents.Milestone, time.Time, error) {
	id, err := incidents.ParseRef(ref)
	if err != nil {
		return 0, "", time.Time{}, usage("%s", strings.TrimPrefix(err.Error(), "invalid: "))
	}
	m, err := incidents.ParseMilestone(milestone)
	if err != nil {
		return 0, "", time.Time{}, usage("%s", strings.TrimPrefix(err.Error(), "invalid: "))
	}
	t, err := parseWhen("at", at, now)
	if err != nil {
		return 0, "", time.Time{}, err
	}
	return id, m, t, nil
}

func parseID(ref string) (int64, error) {
	id, err := incidents.ParseRef(ref)
	if err != nil {
		return 0, usage("%s", strings.TrimPrefix(err.Error(), "invalid: "))
	}
	return id, nil
}

func newIncidentDeclareCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var title, severity, started, detected, fromAlert, commander, kind, category string
	var services []string
	cmd := &cobra.Command{
		Use:   "declare",
		Short: "Open an incident (started defaults to now; --from-alert prefills it from a firing alert)",
		Example: `  reltui incident declare --title "API 5xx" --severity sev2 --service api --started "15m ago"
  reltui incident declare --from-alert 3c0c7b4a0a6c9f1d`,
		Args: cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			now := time.Now()
			st, err := parseWhen("started", started, now)
			if err != nil {
				return err
			}
			det, err := parseWhen("detected", detected, now)
			if err != nil {
				return err
			}
			if severity != "" {
				if _, err := incidents.ParseSeverity(severity); err != nil {
					return usage("--severity: %s is not one of SEV1..SEV5", severity)
				}
			}
			if strings.TrimSpace(title) == "" && fromAlert == "" {
				return usage("declare needs --title (or --from-alert FINGERPRINT)")
			}
			d := incidents.Declaration{}
			if fromAlert != "" {
				if d, err = declarationFromAlert(g, fromAlert, now); err != nil {
					return err
				}
			}
			who, err := o.author(g)
			if err != nil {
				return err
			}
			d.Key, d.Author = o.idemKey(), who
			if kind != "" {
				k, err := incidents.ParseKind(kind)
				if err != nil {
					return usage("--kind: %v", err)
				}
				d.Kind = k
			}
			if category != "" {
				c, err := checkCategory(g, category)
				if err != nil {
					return err
				}
				d.Category = c
			}
			if strings.TrimSpace(title) != "" {
				d.Title = title
			}
			if severity != "" {
				d.Severity = incidents.Severity(severity)
			}
			if !st.IsZero() {
				d.Started = st
			}
			if !det.IsZero() {
				d.Detected = det
			}
			if len(services) > 0 {
				d.Services = services
			}
			d.Commander = commander
			declare := func(ctx context.Context, s incidents.Store) (incidents.Incident, error) { return s.Declare(ctx, d) }
			return o.said(g, storeReport(g, f, declare, incidentJSON, headless.WriteDeclared))
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&title, "title", "", "what is wrong, in a line")
	cmd.Flags().StringVar(&severity, "severity", "", "SEV1 (worst) .. SEV5 (default SEV3, or from the alert's severity label)")
	cmd.Flags().StringVar(&started, "started", "", "when impact began (RFC 3339, unix seconds, \"15m ago\"; default now, or the alert's start)")
	cmd.Flags().StringVar(&detected, "detected", "", "when it was noticed (default now, or the alert's start)")
	cmd.Flags().StringVar(&fromAlert, "from-alert", "", "fingerprint of a firing alert (see reltui alerts) to prefill from and attach as evidence")
	cmd.Flags().StringArrayVar(&services, "service", nil, "affected service (repeatable)")
	cmd.Flags().StringVar(&commander, "commander", "", "incident commander")
	cmd.Flags().StringVar(&kind, "kind", "", "incident (default), drill or maintenance; drills and maintenance are left out of MTTx")
	cmd.Flags().StringVar(&category, "category", "", "root-cause category, when already known (see incident set)")
	return cmd
}

// declarationFromAlert finds the alert with fingerprint fp through the
// context's Prometheus and Alertmanager and prefills a declaration.
func declarationFromAlert(g *globals, fp string, now time.Time) (incidents.Declaration, error) {
	bs, err := openWith(g, "prometheus or alertmanager", func(bs *backends) bool { return bs.prom != nil || bs.am != nil })
	if err != nil {
		return incidents.Declaration{}, err
	}
	defer bs.Close()
	ctx, cancel := signalContext()
	defer cancel()
	var listers []alertstart.AlertLister
	if bs.prom != nil {
		listers = append(listers, bs.prom.Alerts)
	}
	if bs.am != nil {
		listers = append(listers, func(ctx context.Context) ([]sources.Alert, error) { return bs.am.Alerts(ctx, nil) })
	}
	found, err := alertstart.Find(ctx, fp, listers...)
	var nf *alertstart.NotFoundError
	if errors.As(err, &nf) && nf.Err == nil {
		return incidents.Declaration{}, &exitError{code: 1, msg: err.Error() + " (list them with reltui alerts)"}
	}
	if err != nil {
		return incidents.Declaration{}, &exitError{code: 1, msg: err.Error()}
	}
	// The backwards evaluation needs Prometheus; without it the alert's
	// own times still make a record, and the warning says what is missing.
	var q alertstart.Querier
	if bs.prom != nil {
		q = bs.prom
	}
	r := alertstart.Declare(ctx, q, found, now, grafanaOf(bs.cfg))
	for _, w := range r.Warnings {
		fmt.Fprintln(g.stderr, "reltui: warning: "+w)
	}
	if r.Said != "" {
		fmt.Fprintln(g.stderr, "reltui: "+r.Said+"; declaring confirms them, --started/--detected override")
	}
	d := r.Declaration
	return d, nil
}

func newIncidentListCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var status string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List incidents (--status open means not yet resolved)",
		Args:  cobra.NoArgs,
		RunE: o.runE(func(f string, _ []string) error {
			var filter incidents.Filter
			switch status {
			case "", "all":
			case "open", "mitigated", "resolved":
				filter.Status = incidents.Status(status)
			default:
				return usage("--status must be open, mitigated, resolved or all, not %q", status)
			}
			list := func(ctx context.Context, s incidents.Store) ([]incidents.Incident, error) { return s.List(ctx, filter) }
			return storeReport(g, f, list, func(incs []incidents.Incident) any {
				out := make([]incidents.View, len(incs))
				for i, inc := range incs {
					out[i] = incidents.NewView(inc)
					out[i].Events = nil
				}
				return out
			}, func(w io.Writer, incs []incidents.Incident) error {
				return headless.WriteIncidentTable(w, incs, time.Now())
			})
		}),
	}
	o.addOutput(cmd)
	cmd.Flags().StringVar(&status, "status", "all", "open (not resolved), mitigated, resolved or all")
	return cmd
}

func newIncidentShowCmd(g *globals) *cobra.Command {
	var o incidentOpts
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an incident: milestones, MTTx, the whole timeline and the changes in its window",
		Args:  exactArgs(1, "an incident id, e.g. 42 or INC-42"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			get := func(ctx context.Context, s incidents.Store) (headless.IncidentShow, error) {
				inc, err := s.Get(ctx, id)
				if err != nil {
					return headless.IncidentShow{}, err
				}
				v := incidents.NewView(inc)
				if st := inc.Milestones.Started; !st.IsZero() && len(inc.Services) > 0 {
					deps, err := s.Deploys(ctx, incidents.DeployFilter{From: st.Add(-incidents.DefaultSuggestWindow), To: st})
					if err != nil {
						return headless.IncidentShow{}, err
					}
					v.SuggestedDeploys = incidents.SuggestDeploys(inc, deps, incidents.DefaultSuggestWindow)
				}
				out := headless.IncidentShow{View: v}
				now := time.Now()
				out.Changes, out.ChangesError, out.ChangesRead = incidentChanges(ctx, g, inc, now)
				if out.Changes == nil {
					out.Changes = []headless.ShowChange{}
				}
				if from, to, ok := incidents.ChangeWindow(inc, now); ok {
					out.WindowFrom, out.WindowTo = from, to
				}
				return out, nil
			}
			return storeReport(g, f, get, func(v headless.IncidentShow) any { return v }, func(w io.Writer, v headless.IncidentShow) error {
				return headless.WriteIncidentShow(w, v)
			})
		}),
	}
	o.addOutput(cmd)
	return cmd
}

func newIncidentNoteCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var at string
	cmd := &cobra.Command{
		Use:   "note ID TEXT",
		Short: "Add a note to the timeline",
		Example: `  reltui incident note 42 "rolled back api to v41"
  reltui incident note 42 "paged the DBA" --at "10:05"`,
		Args: exactArgs(2, "an incident id and the note text"),
		RunE: o.runE(func(f string, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			if strings.TrimSpace(args[1]) == "" {
				return usage("the note is empty")
			}
			who, err := o.author(g)
			if err != nil {
				return err
			}
			occ, err := parseWhen("at", at, time.Now())
			if err != nil {
				return err
			}
			w := incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindNote, Text: args[1], Occurred: occ}
			return o.said(g, appendAndReport(g, f, id, w))
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&at, "at", "", "when it happened, if not now (shown beside when it was recorded)")
	return cmd
}

func newIncidentMarkCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var at, reason string
	cmd := &cobra.Command{
		Use:   "mark ID MILESTONE",
		Short: "Set or move a milestone: started, detected, acknowledged, identified, mitigated, resolved",
		Long: "Sets a milestone (default: now). Moving one that is already set needs --reason; the old value stays in the timeline.\n" +
			"identified is when the cause was isolated (MTTI). Milestones must keep the order\n" +
			"started ≤ detected ≤ acknowledged ≤ identified ≤ mitigated ≤ resolved.",
		Example: `  reltui incident mark 42 mitigated
  reltui incident mark 42 started --at "2026-11-22 09:58" --reason "error rate rose at 09:58 per the SLO chart"`,
		Args: exactArgs(2, "an incident id and a milestone"),
		RunE: o.runE(func(f string, args []string) error {
			return o.mark(g, f, args[0], args[1], at, reason)
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&at, "at", "", "when (RFC 3339, \"2026-11-22 10:04\", unix seconds, \"5m ago\"; default now)")
	cmd.Flags().StringVar(&reason, "reason", "", "why: required to move a milestone that is already set")
	return cmd
}

func newIncidentResolveCmd(g *globals) *cobra.Command {
	var o incidentOpts
	var at string
	cmd := &cobra.Command{
		Use:   "resolve ID",
		Short: "Mark an incident resolved (an already resolved one is refused; use mark --reason to move the time)",
		Args:  exactArgs(1, "an incident id"),
		RunE: o.runE(func(f string, args []string) error {
			return o.mark(g, f, args[0], string(incidents.Resolved), at, "")
		}),
	}
	o.addOutput(cmd)
	o.addKey(cmd)
	cmd.Flags().StringVar(&at, "at", "", "when it was resolved (default now)")
	return cmd
}

// mark sets (or, with a reason, moves) a milestone of incident ref at at,
// default now, and prints the recorded event.
func (o *incidentOpts) mark(g *globals, f, ref, milestone, at, reason string) error {
	id, m, t, err := parseMark(ref, milestone, at, time.Now())
	if err != nil {
		return err
	}
	who, err := o.author(g)
	if err != nil {
		return err
	}
	w := incidents.Write{Key: o.idemKey(), Author: who, Kind: incidents.KindMilestone, Milestone: m, At: t, Text: reason}
	return o.said(g, appendAndReport(g, f, id, w))
}

// appendAndReport writes w and prints the recorded event.
func appendAndReport(g *globals, f string, id int64, w incidents.Write) error {
	appendW := func(ctx context.Context, s incidents.Store) (incidents.Event, error) { return s.Append(ctx, id, w) }
	return storeReport(g, f, appendW, func(ev incidents.Event) any { return ev }, func(out io.Writer, ev incidents.Event) error {
		return headless.WriteEvent(out, id, ev)
	})
}

func newIncidentExportCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export ID",
		Short: "Export a postmortem skeleton (markdown) or the full record (json)",
		Args:  exactArgs(1, "an incident id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "markdown" && format != "md" && format != "json" {
				return usage("--format must be markdown or json, not %q", format)
			}
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			return storeReport(g, format, getIncident(id), incidentJSON, func(w io.Writer, inc incidents.Incident) error {
				_, err := io.WriteString(w, incidents.Markdown(inc))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "markdown", "markdown or json")
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(headless.EscapeJSON(w))
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
