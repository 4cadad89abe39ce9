package headless

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources/sanitize"
)

// WriteDrillScenarios prints `reltui drill list`: the context's drill
// scenarios with the alert each expects and its runbook.
func WriteDrillScenarios(w io.Writer, drills []config.Drill) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tALERT\tRUNBOOK\tDESCRIPTION")
	for _, d := range drills {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sanitize.Line(d.Name), sanitize.Line(d.Alert), orDash(sanitize.Line(d.Runbook)), sanitize.Line(d.Description))
	}
	return tw.Flush()
}
