// Command reltui-demo makes a local VictoriaLogs (or Loki), Prometheus and
// Jaeger look like a small production shop, so reltui has real incidents
// to find.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "reltui-demo",
		Short:         "Demo workload for reltui: traces, logs and metrics from a simulated shop",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newBackfillCmd(), newFaultCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "reltui-demo:", err)
		os.Exit(1)
	}
}
