package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui"
	"github.com/reltui/reltui/ui/headless"
)

func newRequestCmd(g *globals) *cobra.Command {
	var w window
	var out string
	cmd := &cobra.Command{
		Use:   "request ID",
		Short: "Everything that happened to one request or trace id, across logs and traces",
		Long: `Searches the log backend (Loki or VictoriaLogs) and Jaeger in parallel for a request id or a trace id, follows the
ids each one names (trace ids in the lines, request ids on the spans), joins the
log lines to the spans they were written in, and prints one timeline grouped by
service with a summary, and lists the deploys and config changes inside the
request's window (from the context's changes: sources) to the request's services.
When nothing is found the window is widened once.
A backend that fails makes the result partial; that is said on stderr.
Exit status: 0 found, 1 not found or failed, 2 bad usage.`,
		Example: `  reltui request req-e40849d5669c --since 24h
  reltui request 807ab51aebce4c7a2deedf2f0bfaf0f2 --output json`,
		Args: exactArgs(1, "a request id or a trace id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextOrJSON(out); err != nil {
				return err
			}
			from, to, err := w.bounds(time.Now())
			if err != nil {
				return err
			}
			if _, _, ok := correlate.ClassifyInput(args[0]); !ok {
				return usage("%q is not a request id or a trace id", sanitizeLine(args[0]))
			}
			has := func(bs *backends) bool { return bs.logs != nil || bs.jaeger != nil }
			return withBackends(g, "log backend (loki or victorialogs) or jaeger", has, func(ctx context.Context, bs *backends) error {
				cs := ui.ContextSources{Config: bs.cfg, Logs: bs.logSource(), Prom: bs.prom, Jaeger: bs.jaeger}
				rc, err := cs.Resolver()
				if err != nil {
					return &exitError{code: 1, msg: err.Error()}
				}
				v, err := correlate.NewResolver(rc).Resolve(ctx, args[0], correlate.Window{From: from, To: to})
				if err != nil {
					return usage("%v", err)
				}
				var dialect sources.LogDialect
				if bs.logs != nil {
					dialect = bs.logs.Dialect()
				}
				l, _ := v.Link(cs.LinkTargets(), dialect)
				return reportRequest(g, out, v, l.URL)
			})
		},
	}
	w.add(cmd, "24h")
	textOrJSONFlag(cmd, &out)
	return cmd
}

// reportRequest prints what was found about a request and says on stderr
// what limits it; a request not found is exit 1. link, when not empty,
// opens the request in the team's web UI.
func reportRequest(g *globals, out string, v *correlate.View, link string) error {
	if out == "json" {
		d := v.Document()
		d.Link = link
		if err := writeJSON(g.stdout, d); err != nil {
			return err
		}
	} else {
		if err := headless.WriteRequestText(g.stdout, v); err != nil {
			return err
		}
	}
	printWarnings(g, v.Warnings)
	if v.ChangesProblem != "" {
		fmt.Fprintln(g.stderr, "reltui: changes not all listed: "+v.ChangesProblem)
	}
	if note := v.PartialNote(); note != "" {
		fmt.Fprintln(g.stderr, "reltui: "+note)
	}
	if v.Widened && v.Found() {
		fmt.Fprintf(g.stderr, "reltui: nothing in %s; widened once to %s\n", v.Narrow, v.Searched)
	}
	if !v.Found() {
		return &exitError{code: 1, msg: v.NotFound()}
	}
	return nil
}
