package headless

import (
	"fmt"
	"io"
	"strconv"

	"github.com/reltui/reltui/slo/lag"
)

// WriteLagText prints `reltui lag`'s table: one row per partition (or
// per topic), lag in messages and seconds, how the seconds were found,
// and Burrow's status with its reason.
func WriteLagText(w io.Writer, rows []lag.Row) error {
	if _, err := fmt.Fprintf(w, "%-24s %-20s %9s %12s %12s  %-12s %-6s %s\n", "GROUP", "TOPIC", "PARTITION", "LAG_MSGS", "LAG_SECONDS", "METHOD", "STATUS", "REASON"); err != nil {
		return err
	}
	for _, r := range rows {
		secs := "-"
		if r.LagSeconds != nil {
			secs = strconv.FormatFloat(*r.LagSeconds, 'f', 1, 64)
		}
		part := "-"
		if r.Partition != nil {
			part = strconv.Itoa(int(*r.Partition))
		}
		if _, err := fmt.Fprintf(w, "%-24s %-20s %9s %12.0f %12s  %-12s %-6s %s\n", r.Group, r.Topic, part, r.LagMessages, secs, r.Method, r.Status, r.Reason); err != nil {
			return err
		}
	}
	return nil
}
