package ui

import (
	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources/links"
)

// linkTargets is where a context's links out point.
func linkTargets(c ContextSources) links.Targets {
	kind := ""
	if c.Logs != nil {
		kind = c.Logs.Backend()
	}
	return LinkTargets(c.Config, kind)
}

// LinkTargets is where links out point for a context whose log backend is
// of kind logBackend ("loki", "victorialogs", "" for none): its Grafana
// and the datasource uids the config names, VictoriaLogs' own UI when it
// is the log backend, and Jaeger UI's ui_url. The console's panes and the
// headless commands' `link` use it alike.
func LinkTargets(cfg *config.Context, logBackend string) links.Targets {
	var t links.Targets
	if cfg == nil {
		return t
	}
	if g := cfg.Grafana; g != nil {
		t.Grafana = links.Grafana{URL: g.URL, OrgID: g.OrgID}
		t.LogsDatasource, t.TracesDatasource = g.LokiDatasource, g.JaegerDatasource
		t.MetricsDatasource = g.PrometheusDatasource
	}
	if p := cfg.Prometheus; p != nil {
		t.Prometheus = p.URL
	}
	if vl := cfg.VictoriaLogs; vl != nil && logBackend == "victorialogs" {
		t.VictoriaLogs = vl.URL
	}
	if j := cfg.Jaeger; j != nil {
		t.JaegerUI = j.UIURL
	}
	return t
}
