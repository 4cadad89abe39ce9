package pane

import (
	"fmt"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources/links"
)

// What a context's clients and settings give the panes, derived in one
// place so every pane (and the headless commands, which build a Sources
// too) derives them alike.

// LinkTargets is where links out point: the context's Grafana and the
// datasource uids the config names, VictoriaLogs' own UI when it is the
// log backend, Prometheus's own UI and Jaeger UI's ui_url.
func (s Sources) LinkTargets() links.Targets {
	var t links.Targets
	cfg := s.Config
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
	if vl := cfg.VictoriaLogs; vl != nil && s.Logs != nil && s.Logs.Backend() == "victorialogs" {
		t.VictoriaLogs = vl.URL
	}
	if j := cfg.Jaeger; j != nil {
		t.JaegerUI = j.UIURL
	}
	return t
}

// rules is the context's ID extractor; nil without correlate rules.
func (s Sources) rules() (*correlate.Extractor, error) {
	if s.Config == nil || s.Config.Correlate == nil || len(s.Config.Correlate.Rules) == 0 {
		return nil, nil
	}
	rs := s.Config.Correlate.Rules
	specs := make([]correlate.RuleSpec, len(rs))
	for i, r := range rs {
		specs[i] = correlate.RuleSpec{ID: r.ID, From: r.From, Key: r.Key, Regex: r.Regex}
	}
	x, err := correlate.NewExtractor(specs)
	if err != nil {
		return nil, fmt.Errorf("correlate: %w", err)
	}
	return x, nil
}

// Extractor is the context's ID rules; without rules, or with one the
// config check would already have refused, the defaults.
func (s Sources) Extractor() *correlate.Extractor {
	if x, err := s.rules(); err == nil && x != nil {
		return x
	}
	return correlate.DefaultExtractor()
}

// Resolver is the request resolver's configuration: the context's log
// backend and Jaeger (nil when not configured), its correlate block and
// its change feeds. The pane and `reltui request` share it, so both
// search the same way. The error is a correlate rule that does not
// compile.
func (s Sources) Resolver() (correlate.Config, error) {
	var cfg correlate.Config
	// A nil *Client in the interface would look configured; keep nil nil.
	if s.Logs != nil {
		cfg.Logs = s.Logs
	}
	if s.Jaeger != nil {
		cfg.Traces = s.Jaeger
	}
	if f := s.ChangeFeeds(); !f.Empty() {
		cfg.Changes = f
	}
	if s.Config == nil || s.Config.Correlate == nil {
		return cfg, nil
	}
	x, err := s.rules()
	if err != nil {
		return cfg, err
	}
	c := s.Config.Correlate
	cfg.Extractor = x
	cfg.Selectors = c.Selectors
	cfg.Pad = c.Pad.Std()
	cfg.TraceTag = c.TraceTag
	return cfg, nil
}

// ChangeFeeds are the context's change sources over its Prometheus and
// log backend: what the Metrics pane marks, the request view lists and an
// incident's timeline shows. A source without a service label uses the
// metrics service label. Empty when the context configures none.
func (s Sources) ChangeFeeds() changes.Feeds {
	var f changes.Feeds
	c := s.Config
	if c == nil {
		return f
	}
	for _, src := range c.Changes {
		f.Sources = append(f.Sources, changes.Source{Name: src.Name, Kind: src.KindOr(), Expr: src.PromQL, Logs: src.Logs,
			ServiceLabel: src.LabelOr(c.Metrics.Label())})
	}
	// A nil *Client in the interface would look configured; keep nil nil.
	if s.Prom != nil {
		f.Prom = s.Prom
	}
	if s.Logs != nil {
		f.Logs = s.Logs
	}
	return f
}
