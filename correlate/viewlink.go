package correlate

import (
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/links"
)

// Link is the link to the request view in a team's web UI: its lines (the
// log backend's query, in dialect d, for the request id over the first
// service's streams) beside its trace in Grafana Explore, over the view's
// window; or the trace in Jaeger UI, or the lines in VictoriaLogs' UI,
// when that is all t can link to. The Request pane's U and `reltui
// request -o json` share it.
func (v *View) Link(t links.Targets, d sources.LogDialect) (links.Link, bool) {
	if v == nil || v.Joined == nil {
		return links.Link{}, false
	}
	traceID := ""
	if len(v.TraceIDs) > 0 {
		traceID = v.TraceIDs[0]
	}
	logQuery := ""
	if len(v.RequestIDs) > 0 && d != nil {
		label := "service"
		if len(v.Services) > 0 {
			label = v.ServiceLabel(v.Services[0])
		}
		logQuery = d.Contains(d.Stream(label, ""), v.RequestIDs[0])
	}
	return t.Request(logQuery, traceID, v.Window.From, v.Window.To)
}

// ServiceLabel is the stream label service svc's lines came under in the
// view, or "service" when none of its lines says.
func (v *View) ServiceLabel(svc string) string {
	for i := range v.Logs {
		if l := &v.Logs[i]; l.Service == svc {
			if _, label := ServiceOf(l.Labels); label != "" {
				return label
			}
		}
	}
	return "service"
}
