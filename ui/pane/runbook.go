package pane

import (
	"fmt"
	"strconv"
	"strings"
)

// TargetAlerts names the Alerts pane, which a runbook pivot opens.
const TargetAlerts Target = "alerts"

// IncidentQueryPrefix starts the Query of a pivot to one incident:
// "incident:42" (or "incident:INC-42") opens INC-42.
const IncidentQueryPrefix = "incident:"

// IncidentPivot asks the Incidents pane to open incident id; any pane may
// send it without importing that pane.
func IncidentPivot(id int64) PivotMsg {
	return PivotMsg{Target: TargetIncidents, Query: IncidentQueryPrefix + strconv.FormatInt(id, 10)}
}

// runbookPrefix starts a runbook pivot's Query.
const runbookPrefix = "runbook:"

// RunbookPivot asks the Alerts pane to open the runbook of the alert named
// alert (of service, when known), with the steps marked done recorded on
// incident id. The Incidents pane sends it; the two panes share only this.
func RunbookPivot(alert, service string, id int64) PivotMsg {
	return PivotMsg{Target: TargetAlerts, Query: fmt.Sprintf("%s%s incident:%d", runbookPrefix, alert, id), Service: service}
}

// Runbook reads back what RunbookPivot asked for; ok is false for any
// other pivot.
func (p PivotMsg) Runbook() (alert, service string, id int64, ok bool) {
	rest, found := strings.CutPrefix(p.Query, runbookPrefix)
	if !found || p.Target != TargetAlerts {
		return "", "", 0, false
	}
	alert, inc, found := strings.Cut(rest, " incident:")
	n, err := strconv.ParseInt(inc, 10, 64)
	if !found || err != nil || n < 0 || alert == "" {
		return "", "", 0, false
	}
	return alert, p.Service, n, true
}
