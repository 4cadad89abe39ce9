package headless

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// writeTable prints rows as a table for people: none alone when there are
// no rows, else header and one line per row (row gives its cells,
// tab-separated), aligned in columns two spaces apart. The caller
// sanitizes what row takes from a backend.
func writeTable[T any](w io.Writer, none, header string, rows []T, row func(T) string) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, none)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, row(r))
	}
	return tw.Flush()
}
