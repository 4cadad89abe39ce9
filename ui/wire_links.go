package ui

import "github.com/reltui/reltui/sources/links"

// linkTargets is where a context's links out point: its Grafana and the
// datasource uids the config names, VictoriaLogs' own UI when it is the
// log backend, and Jaeger UI's ui_url.
func linkTargets(c ContextSources) links.Targets {
	cfg := c.Config
	if cfg == nil {
		return links.Targets{}
	}
	var t links.Targets
	if g := cfg.Grafana; g != nil {
		t.Grafana = links.Grafana{URL: g.URL, OrgID: g.OrgID}
		t.LogsDatasource, t.TracesDatasource = g.LokiDatasource, g.JaegerDatasource
	}
	if vl := cfg.VictoriaLogs; vl != nil && c.Logs != nil && c.Logs.Backend() == "victorialogs" {
		t.VictoriaLogs = vl.URL
	}
	if j := cfg.Jaeger; j != nil {
		t.JaegerUI = j.UIURL
	}
	return t
}
