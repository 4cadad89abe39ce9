package links

import "time"

// Targets are the web UIs one context links out to. Each view asks for its
// link and gets the best the context has: Grafana Explore when the
// context names Grafana and the datasource, else the backend's own UI.
type Targets struct {
	Grafana Grafana
	// LogsDatasource and TracesDatasource are Explore datasource uids
	// (the config's loki_datasource and jaeger_datasource).
	LogsDatasource   string
	TracesDatasource string
	// VictoriaLogs is the VictoriaLogs server's URL when it is the log
	// backend: its built-in VMUI needs nothing else.
	VictoriaLogs string
	// JaegerUI is Jaeger UI's URL (the jaeger block's ui_url).
	JaegerUI string
	// MetricsDatasource is the Explore datasource uid of the context's
	// Prometheus (prometheus_datasource); Prometheus is its URL, whose own
	// expression browser is the fallback.
	MetricsDatasource string
	Prometheus        string
}

// Link is a URL and the name of the UI it opens.
type Link struct {
	URL   string
	Where string
}

// UI names.
const (
	WhereExplore = "Grafana Explore"
	WhereVMUI    = "VictoriaLogs UI"
	WhereJaeger  = "Jaeger UI"
	WhereProm    = "Prometheus UI"
)

// Metrics links to a PromQL query over [from, to).
func (t Targets) Metrics(query string, from, to time.Time) (Link, bool) {
	if u := Explore(t.Grafana, ExplorePane{Datasource: t.MetricsDatasource, Expr: query, From: from, To: to}); u != "" {
		return Link{u, WhereExplore}, true
	}
	if u := PromGraph(t.Prometheus, query, from, to); u != "" {
		return Link{u, WhereProm}, true
	}
	return Link{}, false
}

// Logs links to a log (or log metric) query over [from, to).
func (t Targets) Logs(query string, from, to time.Time) (Link, bool) {
	if u := Explore(t.Grafana, ExplorePane{Datasource: t.LogsDatasource, Expr: query, From: from, To: to}); u != "" {
		return Link{u, WhereExplore}, true
	}
	if u := VMUI(t.VictoriaLogs, query, from, to); u != "" {
		return Link{u, WhereVMUI}, true
	}
	return Link{}, false
}

// Trace links to one trace; from and to bound Explore's range.
func (t Targets) Trace(traceID string, from, to time.Time) (Link, bool) {
	if u := Explore(t.Grafana, ExplorePane{Datasource: t.TracesDatasource, TraceID: traceID, From: from, To: to}); u != "" {
		return Link{u, WhereExplore}, true
	}
	if u := JaegerTrace(t.JaegerUI, traceID); u != "" {
		return Link{u, WhereJaeger}, true
	}
	return Link{}, false
}

// Request links to a request's view: its lines (logQuery) beside its
// trace in Explore's split view, or whichever of the two the context can
// link to alone.
func (t Targets) Request(logQuery, traceID string, from, to time.Time) (Link, bool) {
	if logQuery != "" && traceID != "" {
		if u := Explore(t.Grafana,
			ExplorePane{Datasource: t.LogsDatasource, Expr: logQuery, From: from, To: to},
			ExplorePane{Datasource: t.TracesDatasource, TraceID: traceID, From: from, To: to}); u != "" {
			return Link{u, WhereExplore}, true
		}
	}
	if traceID != "" {
		if l, ok := t.Trace(traceID, from, to); ok {
			return l, true
		}
	}
	if logQuery != "" {
		return t.Logs(logQuery, from, to)
	}
	return Link{}, false
}

// Any reports whether t can make any link.
func (t Targets) Any() bool {
	return (t.Grafana.Enabled() && (t.LogsDatasource != "" || t.TracesDatasource != "" || t.MetricsDatasource != "")) ||
		validBase(t.VictoriaLogs) || validBase(t.JaegerUI) || validBase(t.Prometheus)
}
