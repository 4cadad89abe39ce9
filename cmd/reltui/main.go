// Command reltui is a terminal console for incidents and observability.
// This package holds the CLI: flags, config loading and wiring. Logic lives
// in the packages it wires together.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reltui/reltui/sources/sanitize"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// exitError carries a specific exit code; its message is already printed
// or empty.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// globals are the flags every command shares.
type globals struct {
	configPath string
	configSet  bool
	context    string
	stdout     io.Writer
	stderr     io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the exit code: 0 success, 1 failure,
// 2 bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	return runWith(args, stdout, stderr, realDeps())
}

// runWith is run with the commands reaching the outside through d.
func runWith(args []string, stdout, stderr io.Writer, d deps) int {
	root := newRootCmd(stdout, stderr, d)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			// Our own messages may be several lines (config problems, one
			// per line); they are still sanitized, as they quote input.
			fmt.Fprintln(stderr, "reltui: "+sanitize.Text(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "reltui: "+sanitize.Line(err.Error()))
	if strings.HasPrefix(err.Error(), "unknown command") {
		return 2
	}
	return 1
}

func newRootCmd(stdout, stderr io.Writer, d deps) *cobra.Command {
	g := &globals{stdout: stdout, stderr: stderr}
	cf := &consoleFlags{}
	root := &cobra.Command{
		Use:           "reltui",
		Short:         "A terminal console for incidents and observability",
		Long:          "reltui queries Loki, Prometheus, Alertmanager and Jaeger and joins what they say about one request.\nWith no arguments it opens the console.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			return runConsole(g, cf)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: 2, msg: err.Error()}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", os.Getenv("RELTUI_CONFIG"), "config file (env RELTUI_CONFIG; default $XDG_CONFIG_HOME/reltui/config.yaml)")
	pf.StringVar(&g.context, "context", os.Getenv("RELTUI_CONTEXT"), "context to use (env RELTUI_CONTEXT; default current_context)")
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		g.configSet = g.configPath != ""
	}
	addConsoleFlags(root, cf)
	root.AddCommand(newRequestCmd(g))
	root.AddCommand(newVersionCmd(g), newConfigCmd(g), newLogsCmd(g), newMetricsCmd(g), newTracesCmd(g), newTraceCmd(g), newAlertsCmd(g), newIncidentCmd(g), newDrillCmd(g), newSLOCmd(g, d), newLagCmd(g, d))
	root.AddCommand(newServeCmd(g))
	return root
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(g.stdout, "reltui %s\n", versionString())
			return nil
		},
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + " " + info.GoVersion
}

func sanitizeLine(s string) string { return sanitize.Line(s) }
