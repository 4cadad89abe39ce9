package headless

import (
	"fmt"
	"io"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
)

// WriteDrillStarted prints `reltui drill start --no-wait`'s line: drill
// inc of scenario name started, waiting for alert.
func WriteDrillStarted(w io.Writer, name, alert string, inc incidents.Incident) error {
	_, err := fmt.Fprintf(w, "drill %s (%s): started %s, waiting for %s\n", sanitize.Line(name), incidents.Ref(inc.ID),
		incidents.FormatTime(inc.Milestones.Started), sanitize.Line(alert))
	return err
}

// WriteDrillDetected prints the line of a drill whose alert fired: when
// it started, when alert detected it and the time to detect between.
func WriteDrillDetected(w io.Writer, name, alert string, inc incidents.Incident) error {
	ms := inc.Milestones
	_, err := fmt.Fprintf(w, "drill %s (%s): started %s, detected %s by %s: time to detect %s\n", sanitize.Line(name), incidents.Ref(inc.ID),
		incidents.FormatTime(ms.Started), incidents.FormatTime(ms.Detected), sanitize.Line(alert),
		incidents.FormatDuration(ms.Detected.Sub(ms.Started)))
	return err
}
